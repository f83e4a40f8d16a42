/**
 * The library, `import { sweep, readResults } from 'backprop-sweeper'` (Node): the command line's sweep without its
 * files, and its results read back. Outputs are the typed arrays the command line writes (SweepOutputs: one row per
 * output name, cell iy · nx + ix; float64 for losses, int32 for step counts and class).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { cpuAdapter } from './core/engine';
import { axisValues } from './core/grid';
import type { SweepOutputs } from './core/outputs';
import type { ReplicaRunResult } from './core/replica-run';
import type { ResultsHead } from './core/results';
import type { Checkpoint, RunProgress, RunStatus } from './core/run';
import { parseSpec, parseSpecText, type SweepSpec } from './core/spec';
import type { BackendFlag } from './cli/args';
import { pickEngine, runOnGpu } from './cli/engines';
import { createNodePool } from './cli/node-cpu';
import { readResults as readResultsFile } from './cli/results-file';

export type { SweepSpec, SweepOutputs, RunProgress, RunStatus, ResultsHead, Checkpoint };
export { OUTPUT_NAMES } from './core/outputs';

/** How to run: the engine ('auto' as the command line: the GPU unless it is missing or a CPU emulation), CPU threads. */
export interface SweepOptions {
  backend?: BackendFlag;
  /** CPU worker threads (default: every core, os.availableParallelism()). */
  threads?: number;
  /** Stops at the next chunk; the promise then resolves with what is finished (status "cancelled"). */
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
}

/** An axis and its values in cell order (x along a row, y down the rows; y null for a 1-D sweep). */
export interface Axes { x: { param: string; values: number[] }; y: { param: string; values: number[] } | null }

export interface SweepResult {
  /** The spec as run: normalised, every default filled in. */
  spec: SweepSpec;
  axes: Axes;
  outputs: SweepOutputs;
  /** A replica sweep with keep "all": every replica's outputs, network c · R + r. */
  replicaOutputs?: SweepOutputs;
  /** "webgpu", "cpu" (float64) or "cpu-f32". */
  backend: 'webgpu' | 'cpu' | 'cpu-f32';
  adapter: string;
  /** Why this engine (the command line's "engine" line). */
  reason: string;
  status: RunStatus;
  cellsDone: number;
  elapsedMs: number;
  networkStepsPerSecond: number;
  /** A lost GPU device's message, when it stopped the run. */
  error?: string;
}

/** A spec the command line would refuse: its messages, as the command line prints them. */
export class SpecError extends Error {
  constructor(readonly errors: string[]) {
    super(`invalid sweep spec:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'SpecError';
  }
}

const axesOf = (spec: SweepSpec): Axes => ({ x: { param: spec.x.param, values: axisValues(spec.x) }, y: spec.y ? { param: spec.y.param, values: axisValues(spec.y) } : null });

/** Runs a sweep spec (an object, or its JSON text) as `backprop-sweeper sweep` does, without writing files. */
export async function sweep(spec: unknown, options: SweepOptions = {}): Promise<SweepResult> {
  const parsed = typeof spec === 'string' ? parseSpecText(spec) : parseSpec(spec);
  if (!parsed.ok) throw new SpecError(parsed.errors);
  const asked = options.backend ?? 'auto', threads = options.threads ?? availableParallelism();
  const { choice, trainer } = await pickEngine(asked, threads);
  const arithmetic = asked === 'cpu-f32' ? 'float32' : 'float64';
  const backend = choice.device === 'webgpu' ? 'webgpu' : arithmetic === 'float32' ? 'cpu-f32' : 'cpu';
  const runOptions = { signal: options.signal, onProgress: options.onProgress };
  let outcome;
  if (trainer) outcome = await runOnGpu(trainer, parsed.spec, runOptions);
  else {
    const pool = createNodePool(threads);
    try {
      await pool.ready();
      outcome = { run: await pool.run(parsed.spec, arithmetic, runOptions), error: undefined };
    } finally {
      pool.close();
    }
  }
  const { run, error } = outcome;
  return {
    spec: parsed.spec, axes: axesOf(parsed.spec), outputs: run.outputs, replicaOutputs: (run as ReplicaRunResult).replicaOutputs,
    backend, adapter: trainer ? trainer.gpu.adapter : cpuAdapter(arithmetic, threads), reason: choice.reason,
    status: run.status, cellsDone: run.cellsDone, elapsedMs: run.elapsedMs, networkStepsPerSecond: run.networkStepsPerSecond,
    ...(error ? { error } : {}),
  };
}

/** A results folder (its results.json, or a results or part file), read and checked as --resume reads it. */
export interface ReadResult { head: ResultsHead; spec: SweepSpec; axes: Axes; outputs: SweepOutputs; replicaOutputs?: SweepOutputs; checkpoint?: Checkpoint }

/** Reads `path` (a folder holding results.json, or the file itself) and its .npy companions; throws naming the problem. */
export function readResults(path: string): ReadResult {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'results.json') : path;
  const read = readResultsFile(file);
  if (!read.ok) throw new Error(read.error);
  const { head, outputs, replicaOutputs } = read.results;
  return { head, spec: head.spec, axes: axesOf(head.spec), outputs, replicaOutputs, checkpoint: read.checkpoint };
}
