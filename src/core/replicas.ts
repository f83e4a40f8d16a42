/**
 * A replica sweep's statistics (pure): each cell's R replicas folded into its REPLICA_OUTPUTS row values — class counts
 * under the sweep's rule, the probability of converging with its Wilson score interval, medians and a quartile.
 */
import { classOf, copyCell, type ConvergenceRule, type SweepOutputs } from './outputs';

/** The normal quantile of 0.975: a 95% two-sided interval. */
export const WILSON_Z = 1.959963984540054;

/**
 * The Wilson score interval of a binomial proportion: k successes of n, at `z` standard errors (95% by default).
 * Unlike p ± z·√(p(1−p)/n) it stays inside [0, 1] and is not empty at k = 0 or k = n (Wilson 1927).
 */
export function wilson(k: number, n: number, z = WILSON_Z): { low: number; high: number } {
  if (n <= 0) return { low: NaN, high: NaN };
  const p = k / n, z2 = z * z, denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}

/**
 * The q-quantile of n values from their order statistics at position ⌊q·(n − 1)⌋ (lo) and the next (hi, unused where
 * q·(n − 1) is whole): interpolated linearly between them (numpy's default, "linear"); NaN when n is 0.
 */
export function quantileBetween(n: number, q: number, lo: number, hi: number): number {
  if (n === 0) return NaN;
  const position = q * (n - 1), t = position - Math.floor(position);
  return t === 0 ? lo : lo + (hi - lo) * t;
}

/** The q-quantile of the first `count` values of `sorted` (ascending): quantileBetween of its order statistics. */
export function quantile(sorted: ArrayLike<number>, count: number, q: number): number {
  const below = Math.floor(q * (Math.max(count, 1) - 1));
  return quantileBetween(count, q, sorted[below], sorted[below + 1]);
}

/** One cell's fold before it is stored: class counts and the four quantiles (NaN over no replica). */
export interface CellSummary { converged: number; diverged: number; medianStepsToThreshold: number; medianFinalLoss: number; divergedAtQ1: number; divergedAtMedian: number }

/** Stores `summary` at `cell` of `into`'s REPLICA_OUTPUTS rows: the counts, pConverged and its Wilson 95% interval, the quantiles. */
export function writeSummary(into: SweepOutputs, cell: number, R: number, summary: CellSummary): void {
  const { converged, diverged } = summary, { low, high } = wilson(converged, R);
  into.replicasConverged![cell] = converged;
  into.replicasDiverged![cell] = diverged;
  into.replicasStalled![cell] = R - converged - diverged;
  into.pConverged![cell] = converged / R;
  into.pConvergedLow![cell] = low;
  into.pConvergedHigh![cell] = high;
  into.medianStepsToThreshold![cell] = summary.medianStepsToThreshold;
  into.medianFinalLoss![cell] = summary.medianFinalLoss;
  into.divergedAtQ1![cell] = summary.divergedAtQ1;
  into.divergedAtMedian![cell] = summary.divergedAtMedian;
}

/** Scratch space for reduceCell, for up to `replicas` replicas (one allocation per run, not per cell). */
export interface ReplicaScratch { steps: Float64Array; losses: Float64Array; diverged: Float64Array }
export const replicaScratch = (replicas: number): ReplicaScratch => ({ steps: new Float64Array(replicas), losses: new Float64Array(replicas), diverged: new Float64Array(replicas) });

const sorted = (values: Float64Array, count: number) => values.subarray(0, count).sort();

/**
 * Folds one cell's R replicas — `networks` at positions first … first + R − 1, each a computed network — into `into`
 * at `cell`: the OUTPUTS rows from replica 0; replicasConverged, replicasStalled (neither converged nor diverged; under
 * ends-below also "left") and replicasDiverged by classOf under `rule`; pConverged = converged / R with its Wilson 95%
 * interval; the median stepsToThreshold over converged replicas that reached the threshold; the median finalLoss over
 * replicas that did not diverge; the first quartile and median of divergedAt over diverged replicas (NaN over none).
 */
export function reduceCell(networks: SweepOutputs, first: number, R: number, rule: ConvergenceRule, into: SweepOutputs, cell: number, scratch = replicaScratch(R)): void {
  let converged = 0, diverged = 0, reached = 0, ended = 0;
  for (let j = first; j < first + R; j++) {
    const cls = classOf(networks, j, rule);
    if (cls === 'diverged') scratch.diverged[diverged++] = networks.divergedAt[j];
    else scratch.losses[ended++] = networks.finalLoss[j];
    if (cls === 'converged') {
      converged++;
      if (networks.stepsToThreshold[j] >= 0) scratch.steps[reached++] = networks.stepsToThreshold[j];
    }
  }
  copyCell(networks, first, into, cell);
  const s = sorted(scratch.steps, reached), l = sorted(scratch.losses, ended), d = sorted(scratch.diverged, diverged);
  writeSummary(into, cell, R, {
    converged, diverged, medianStepsToThreshold: quantile(s, reached, 0.5), medianFinalLoss: quantile(l, ended, 0.5),
    divergedAtQ1: quantile(d, diverged, 0.25), divergedAtMedian: quantile(d, diverged, 0.5),
  });
}

/** "converged 13 of 16 = 81% (95% CI 57–93%)": a cell's replica counts for people. */
export function describeReplicas(outputs: SweepOutputs, cell: number): string {
  const converged = outputs.replicasConverged?.[cell] ?? -1;
  if (converged < 0) return 'not run yet';
  const R = converged + outputs.replicasStalled![cell] + outputs.replicasDiverged![cell];
  const percent = (p: number) => Math.round(100 * p);
  return `converged ${converged} of ${R} = ${percent(converged / R)}% (95% CI ${percent(outputs.pConvergedLow![cell])}–${percent(outputs.pConvergedHigh![cell])}%)`;
}
