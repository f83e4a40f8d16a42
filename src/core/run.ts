/**
 * What every backend (GPU trainer, CPU reference) reports while and after running a sweep.
 */
import type { SweepOutputs } from './outputs';

/** Progress of a running sweep. */
export interface RunProgress {
  /** Cells whose outputs are final (completed tiles or blocks). */
  cellsDone: number;
  cells: number;
  /** Network-steps done so far, counting partly trained cells (one network-step = one update of one network). */
  networkStepsDone: number;
  networkSteps: number;
  elapsedMs: number;
  /** Outputs so far; cells not yet done hold NaN losses and −1 step counts. */
  outputs: SweepOutputs;
}

/** complete; cancelled by the user; interrupted by a lost device or GPU error. */
export type RunStatus = 'complete' | 'cancelled' | 'interrupted';

/**
 * Cells a stopped GPU run had partly trained (one tile at most): their indices, the loss evaluations done (the next k),
 * and their state then, as the WGSL kernel's CellState records (CELL_STATE.size / 4 32-bit words each, raw).
 */
export interface Checkpoint { cells: Int32Array; stepsDone: number; state: Uint32Array }

export interface RunResult {
  outputs: SweepOutputs;
  status: RunStatus;
  /** Cells whose outputs are final; the rest hold NaN / −1 when cancelled or interrupted. */
  cellsDone: number;
  /** Wall time from the first upload to the last read-back, set-up (device, compilation) excluded. */
  elapsedMs: number;
  /** cellsDone × steps / (elapsedMs / 1000). */
  networkStepsPerSecond: number;
  /** After a cancel mid-tile on the GPU: the tile's cells as far as they got (see RunOptions.resume). */
  checkpoint?: Checkpoint;
}

export interface RunOptions {
  /** Called between chunks or blocks; the GPU trainer awaits a returned promise, the CPU pool does not wait for it. */
  onProgress?: (progress: RunProgress) => void | Promise<void>;
  /** Aborting stops at the next chunk boundary and returns what is complete. */
  signal?: AbortSignal;
  /**
   * The cells to train, in this order (cell indices, row-major); default every cell in index order. Progress and
   * cellsDone then count positions in this list: the cells done are cellOrder[0 … cellsDone − 1]. Outputs stay
   * full-size, indexed by cell. Used for progressive refinement and for sampled comparisons.
   */
  cellOrder?: ArrayLike<number>;
  /**
   * Continue a checkpoint (GPU only): its cells must be the first checkpoint.cells.length of the cell order; they start
   * from the saved state at k = stepsDone instead of from scratch. The outputs have the same bits either way.
   */
  resume?: Checkpoint;
  /**
   * Outputs by position in cellOrder (sized cellOrder.length) instead of by cell, and cellOrder's entries are network
   * indices (cell·R + r in a replica sweep): how runReplicas (src/core/replica-run.ts) drives an engine.
   */
  compact?: boolean;
  /**
   * With compact: an engine that can fold each cell's R replicas itself (the WGSL trainers, shaders/replicas.wgsl)
   * returns one entry per cell of the order (position / R) with the REPLICA_OUTPUTS rows instead of one per network;
   * cellsDone still counts networks. Others ignore it.
   */
  foldReplicas?: boolean;
  /** A replica sweep's networks per engine run (runReplicas; default CHUNK_NETWORKS): fewer keep less memory in flight. */
  chunkNetworks?: number;
}

/** Network-steps per second, or 0 for an empty or instant run. */
export function rate(cells: number, steps: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (cells * steps) / (elapsedMs / 1000) : 0;
}
