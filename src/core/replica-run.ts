/**
 * Runs a replica sweep on any engine: the cells' networks (cell c's replicas are networks c·R … c·R + R − 1) go to the
 * engine in chunks of about CHUNK_NETWORKS, with compact outputs, and each cell is folded into its summary
 * (reduceCell, or by the engine itself where it can: RunOptions.foldReplicas) as soon as all its replicas are done, so memory, messages and the result grow with the cells, not with
 * cells × replicas (unless the spec keeps every replica). Each chunk is one engine run: every network of it shares
 * the engine's dispatches or blocks.
 */
import { gridSize } from './grid';
import { allocateOutputs, copyCell, type SweepOutputs } from './outputs';
import { reduceCell, replicaScratch } from './replicas';
import { rate, type RunOptions, type RunResult } from './run';
import { replicaCount, type SweepSpec } from './spec';

/** Networks per engine run: large enough that a chunk's start-up is negligible, small enough to keep little memory. */
export const CHUNK_NETWORKS = 1 << 18;

/** An engine's run over networks: the networks of options.cellOrder, outputs by position in it (compact). */
export type NetworkRun = (options: RunOptions & { cellOrder: Int32Array; compact: true; foldReplicas: boolean }) => Promise<RunResult>;

/** A replica sweep's result: per-cell outputs with the REPLICA_OUTPUTS rows; with keep "all", every network's too. */
export interface ReplicaRunResult extends RunResult {
  /** keep "all": every replica's outputs, network j = cell·R + r (so row-major [ny][nx][R]); cells not done hold notRun. */
  replicaOutputs?: SweepOutputs;
}

/**
 * Trains every cell of replica spec `spec` (or options.cellOrder's cells, in that order) with `runNetworks`; resolves
 * with the cells whose replicas all finished (a prefix of the order) after a cancel or an interruption. Progress and
 * the rate count networks (cells × R) as network-steps.
 */
export async function runReplicas(spec: SweepSpec, options: RunOptions, runNetworks: NetworkRun): Promise<ReplicaRunResult> {
  const R = replicaCount(spec), { cells: gridCells } = gridSize(spec);
  const order = options.cellOrder, total = order ? order.length : gridCells;
  const outputs = allocateOutputs(gridCells, true);
  const replicaOutputs = spec.replicas?.keep === 'all' ? allocateOutputs(gridCells * R) : undefined;
  const cellsPerChunk = Math.max(1, Math.floor((options.chunkNetworks ?? CHUNK_NETWORKS) / R));
  const scratch = replicaScratch(R), steps = spec.steps, start = performance.now();
  let cellsDone = 0;
  // Time as RunResult defines it (first upload to last read-back, the engine's set-up excluded): the engine runs'
  // own elapsed times, plus the host's folding after each.
  let runMs = 0;
  const finish = (status: RunResult['status']): ReplicaRunResult => {
    const elapsedMs = runMs;
    return { outputs, status, cellsDone, elapsedMs, networkStepsPerSecond: rate(cellsDone * R, steps, elapsedMs), ...(replicaOutputs ? { replicaOutputs } : {}) };
  };
  while (cellsDone < total) {
    if (options.signal?.aborted) return finish('cancelled');
    const first = cellsDone, count = Math.min(cellsPerChunk, total - first);
    const cellAt = (position: number) => (order ? order[position] : position);
    const networks = new Int32Array(count * R);
    for (let c = 0; c < count; c++) for (let r = 0; r < R; r++) networks[c * R + r] = cellAt(first + c) * R + r;
    let folded = 0; // cells of this chunk folded so far
    // An engine that folded the replicas itself returns one entry per cell (its outputs have the replica rows).
    const fold = (chunk: SweepOutputs, networksDone: number) => {
      for (; (folded + 1) * R <= networksDone; folded++) {
        const cell = cellAt(first + folded);
        if (chunk.pConverged) { copyCell(chunk, folded, outputs, cell); continue; }
        reduceCell(chunk, folded * R, R, spec.convergence, outputs, cell, scratch);
        if (replicaOutputs) for (let r = 0; r < R; r++) copyCell(chunk, folded * R + r, replicaOutputs, cell * R + r);
      }
      cellsDone = first + folded;
    };
    let result: RunResult;
    try {
      result = await runNetworks({
        cellOrder: networks, compact: true, foldReplicas: !replicaOutputs, signal: options.signal,
        onProgress: options.onProgress && (async (p) => {
          fold(p.outputs, p.cellsDone);
          await options.onProgress!({ cellsDone, cells: total, networkStepsDone: first * R * steps + p.networkStepsDone, networkSteps: total * R * steps, elapsedMs: performance.now() - start, outputs });
        }),
      });
    } catch (e) {
      // An engine that stops with what it finished (the GPU trainer's SweepInterruptedError, `partial`): the cells
      // whose replicas all finished, in the sweep's outputs, replace the chunk's network outputs.
      const partial = (e as { partial?: RunResult }).partial;
      if (partial) { fold(partial.outputs, partial.cellsDone); runMs += partial.elapsedMs; (e as { partial: RunResult }).partial = finish('interrupted'); }
      throw e;
    }
    const folding = performance.now();
    fold(result.outputs, result.cellsDone);
    runMs += result.elapsedMs + (performance.now() - folding);
    if (result.status !== 'complete') return finish(result.status);
  }
  return finish('complete');
}
