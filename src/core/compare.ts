/**
 * Agreement between two sweeps' outputs over the same cells (typically GPU float32 against the float64 reference).
 */
import { classOf, type ConvergenceRule, type SweepOutputs } from './outputs';

export interface Agreement {
  /** Cells compared. */
  cells: number;
  /** Cells whose class (converged / left / stalled / diverged, under the sweep's rule) differs. */
  classDisagreements: number;
  /** 1 − classDisagreements / cells. */
  classAgreementRate: number;
  /** Cells both call converged, over which the finalLoss errors are taken. */
  bothConverged: number;
  /** Absolute error |a − b| of finalLoss among cells both call converged; NaN if none. */
  finalLossAbsErrorMax: number;
  finalLossAbsErrorMedian: number;
  /** Of those, cells whose reference finalLoss is at least RELATIVE_ERROR_FLOOR. */
  relativeCells: number;
  /** Relative error |a − b| / |b| of finalLoss over the `relativeCells` (b = the reference); NaN if none. */
  finalLossRelErrorMax: number;
  finalLossRelErrorMedian: number;
  /** Cells both call converged whose stepsToThreshold differs. */
  stepsToThresholdDisagreements: number;
}

/**
 * Losses below this are compared absolutely only. A float32 output a_o is resolved to about 3e-8 near 0.5, so float32
 * training stalls at losses around 1e-12 where float64 goes on to 1e-30 or exactly 0: a relative error there measures
 * float32's resolution, not the kernel.
 */
export const RELATIVE_ERROR_FLOOR = 1e-9;

const maxOf = (sorted: number[]) => (sorted.length ? sorted[sorted.length - 1] : NaN);
const medianOf = (sorted: number[]) => (sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN);

/** Per-cell flag (1 = the classes differ) for the cells compared, in row-major order; 0 elsewhere. */
export function disagreementMap(a: SweepOutputs, b: SweepOutputs, rule: ConvergenceRule, cellIndices?: ArrayLike<number>): Uint8Array {
  const map = new Uint8Array(a.divergedAt.length);
  const n = cellIndices?.length ?? map.length;
  for (let m = 0; m < n; m++) {
    const i = cellIndices ? cellIndices[m] : m;
    map[i] = Number(classOf(a, i, rule) !== classOf(b, i, rule));
  }
  return map;
}

/** Compares `a` against the reference `b` over all cells, or over `cellIndices` (a sample), classes under `rule`. */
export function compareOutputs(a: SweepOutputs, b: SweepOutputs, rule: ConvergenceRule, cellIndices?: ArrayLike<number>): Agreement {
  const n = cellIndices?.length ?? a.divergedAt.length;
  const absolute: number[] = [], relative: number[] = [];
  let classDisagreements = 0, stepsToThresholdDisagreements = 0;
  for (let m = 0; m < n; m++) {
    const i = cellIndices ? cellIndices[m] : m;
    const ca = classOf(a, i, rule), cb = classOf(b, i, rule);
    if (ca !== cb) { classDisagreements++; continue; }
    if (ca !== 'converged') continue;
    const ref = b.finalLoss[i], error = Math.abs(a.finalLoss[i] - ref);
    absolute.push(error);
    if (Math.abs(ref) >= RELATIVE_ERROR_FLOOR) relative.push(error / Math.abs(ref));
    if (a.stepsToThreshold[i] !== b.stepsToThreshold[i]) stepsToThresholdDisagreements++;
  }
  absolute.sort((x, y) => x - y);
  relative.sort((x, y) => x - y);
  return {
    cells: n,
    classDisagreements,
    classAgreementRate: n ? 1 - classDisagreements / n : 1,
    bothConverged: absolute.length,
    finalLossAbsErrorMax: maxOf(absolute),
    finalLossAbsErrorMedian: medianOf(absolute),
    relativeCells: relative.length,
    finalLossRelErrorMax: maxOf(relative),
    finalLossRelErrorMedian: medianOf(relative),
    stepsToThresholdDisagreements,
  };
}

/** How two replica sweeps' counts agree over the same cells (float32 against float64): the converged count per cell. */
export interface ReplicaAgreement {
  /** Cells compared. */
  cells: number;
  /** Cells whose count of converged replicas differs. */
  countDisagreements: number;
  /** 1 − countDisagreements / cells. */
  countAgreementRate: number;
  /** The largest |difference| of a cell's converged count (replicas), and a cell where it occurs (−1 when none differ). */
  largestDifference: number;
  largestAt: number;
  /** Per cell (row-major), 1 where the converged count or replica 0's class (under `rule`) differs; 0 elsewhere. */
  map: Uint8Array;
}

/**
 * Compares the replica counts of `a` against `b` (both replica sweeps' outputs) over all cells or `cellIndices`: per
 * cell, whether the number of converged replicas is the same, and by how much it differs. Replica 0's class (the
 * OUTPUTS rows) is compared by compareOutputs; the map marks a cell where either differs.
 */
export function compareReplicaCounts(a: SweepOutputs, b: SweepOutputs, rule: ConvergenceRule, cellIndices?: ArrayLike<number>): ReplicaAgreement {
  const ka = a.replicasConverged!, kb = b.replicasConverged!, map = disagreementMap(a, b, rule, cellIndices);
  const n = cellIndices?.length ?? ka.length;
  let countDisagreements = 0, largestDifference = 0, largestAt = -1;
  for (let m = 0; m < n; m++) {
    const i = cellIndices ? cellIndices[m] : m, d = Math.abs(ka[i] - kb[i]);
    if (d === 0) continue;
    countDisagreements++;
    map[i] = 1;
    if (d > largestDifference) { largestDifference = d; largestAt = i; }
  }
  return { cells: n, countDisagreements, countAgreementRate: n ? 1 - countDisagreements / n : 1, largestDifference, largestAt, map };
}
