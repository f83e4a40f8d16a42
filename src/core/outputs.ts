/**
 * Per-cell outputs of a sweep, in row-major cell order (index = iy · nx + ix). See DESIGN §2.
 */
export interface SweepOutputs {
  /** loss[steps]; NaN for a diverged cell. */
  finalLoss: Float64Array;
  /** min over k of loss[k] (over finite losses before divergence); +Infinity when diverged at k = 0. */
  minLoss: Float64Array;
  /** first k with loss[k] < threshold, or −1. */
  stepsToThreshold: Int32Array;
  /** first k at which the loss or a weight is not finite, or −1. */
  divergedAt: Int32Array;
}

export const OUTPUT_NAMES = ['finalLoss', 'minLoss', 'stepsToThreshold', 'divergedAt'] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

/** One cell's outputs. */
export interface CellOutputs {
  finalLoss: number;
  minLoss: number;
  stepsToThreshold: number;
  divergedAt: number;
}

export const CELL_CLASSES = ['converged', 'stalled', 'diverged'] as const;
export type CellClass = (typeof CELL_CLASSES)[number];

/** Allocates outputs for `cellCount` cells, each cell marked "not computed": NaN losses, −1 step counts. */
export function allocateOutputs(cellCount: number): SweepOutputs {
  return {
    finalLoss: new Float64Array(cellCount).fill(NaN),
    minLoss: new Float64Array(cellCount).fill(NaN),
    stepsToThreshold: new Int32Array(cellCount).fill(-1),
    divergedAt: new Int32Array(cellCount).fill(-1),
  };
}

/** Stores one cell's outputs at `index`. */
export function setCell(outputs: SweepOutputs, index: number, cell: CellOutputs): void {
  outputs.finalLoss[index] = cell.finalLoss;
  outputs.minLoss[index] = cell.minLoss;
  outputs.stepsToThreshold[index] = cell.stepsToThreshold;
  outputs.divergedAt[index] = cell.divergedAt;
}

/**
 * Copies of the outputs at positions first … end − 1: of the cells, or with `order`, of cells order[first …]. Entry j
 * of the result belongs to position first + j.
 */
export function outputsAt(outputs: SweepOutputs, first: number, end: number, order?: ArrayLike<number>): SweepOutputs {
  const at = allocateOutputs(Math.max(0, end - first));
  for (const name of OUTPUT_NAMES) {
    if (!order) { at[name].set(outputs[name].subarray(first, end)); continue; }
    for (let j = 0; j < end - first; j++) at[name][j] = outputs[name][order[first + j]];
  }
  return at;
}

/**
 * Whether cell `index` was computed. Exact, not a guess: a computed cell either diverged (divergedAt ≥ 0) or has a
 * finite finalLoss (every loss it evaluated was finite), while a cell not computed keeps the NaN and −1 it started with.
 */
export function isComputed(outputs: SweepOutputs, index: number): boolean {
  return outputs.divergedAt[index] >= 0 || !Number.isNaN(outputs.finalLoss[index]);
}

/** diverged if divergedAt ≥ 0; else converged if stepsToThreshold ≥ 0; else stalled. */
export function classify(stepsToThreshold: number, divergedAt: number): CellClass {
  if (divergedAt >= 0) return 'diverged';
  return stepsToThreshold >= 0 ? 'converged' : 'stalled';
}

/** Cells of each class, and not computed, among cells first … end − 1 (default: all). */
export function countClasses(outputs: SweepOutputs, first = 0, end = outputs.divergedAt.length): Record<CellClass | 'notRun', number> {
  const counts = { converged: 0, stalled: 0, diverged: 0, notRun: 0 };
  for (let i = first; i < end; i++) {
    if (isComputed(outputs, i)) counts[classify(outputs.stepsToThreshold[i], outputs.divergedAt[i])]++;
    else counts.notRun++;
  }
  return counts;
}
