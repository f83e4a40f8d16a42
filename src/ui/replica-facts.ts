/**
 * What a finished replica view says in words, in place of a plain view's class counts: in how many cells every
 * replica converged, none did, or some did, and the mean of pConverged over the computed cells. Pure.
 */
import { convergenceLabel, type ConvergenceRule, type SweepOutputs } from '../core/outputs';
import type { Replicas } from '../core/spec';
import { count } from './words';

/** Cells (computed) where all R replicas converged, none did, or some did, and the mean pConverged over them. */
export interface ReplicaFacts { all: number; none: number; some: number; cells: number; meanP: number }

/** The facts of `outputs` (a replica sweep's, R replicas per cell); cells not computed are left out. */
export function replicaFacts(outputs: SweepOutputs, R: number): ReplicaFacts {
  const converged = outputs.replicasConverged!;
  let all = 0, none = 0, cells = 0, sum = 0;
  for (let i = 0; i < converged.length; i++) {
    const k = converged[i];
    if (k < 0) continue;
    cells++;
    sum += k / R;
    if (k === R) all++; else if (k === 0) none++;
  }
  return { all, none, some: cells - all - none, cells, meanP: cells ? sum / cells : NaN };
}

/** "64 replicas a cell (common draws): every replica converged in 1,234 cells, none in 2,345, some in 345; mean pConverged 41.2% (…)." */
export function replicaFactsText(outputs: SweepOutputs, replicas: Replicas, rule: ConvergenceRule): string {
  const f = replicaFacts(outputs, replicas.count);
  return `${count(replicas.count)} replica${replicas.count === 1 ? '' : 's'} a cell (${replicas.draws} draws): every replica converged in ${count(f.all)} cells, ` +
    `none in ${count(f.none)}, some in ${count(f.some)}; mean pConverged ${Number.isNaN(f.meanP) ? '–' : `${(100 * f.meanP).toFixed(1)}%`} (converged: ${convergenceLabel(rule)}).`;
}
