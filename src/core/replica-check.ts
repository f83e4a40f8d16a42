/**
 * A replica sweep's rows read back from a results file, checked (pure): each cell's REPLICA_OUTPUTS values must be
 * what reduceCell could have written — counts 0 … R summing to R, pConverged = converged / R exactly, its interval
 * Wilson's, medians and quartiles inside their ranges — and, with keep "all", every replica's outputs must fold into
 * exactly those values. Messages name the row and the cell ("pConverged[5]: …"); the caller prefixes the field.
 */
import { allocateOutputs, isComputed, outputArray, OUTPUT_NAMES, outputsProblem, REPLICA_OUTPUTS, type SweepOutputs } from './outputs';
import { reduceCell, replicaScratch, wilson } from './replicas';
import { replicaCount, type SweepSpec } from './spec';

const COUNTS = ['replicasConverged', 'replicasStalled', 'replicasDiverged'] as const;

/** What is wrong with the REPLICA_OUTPUTS rows of `outputs` (a replica sweep of `spec`, or a part of it), or undefined. */
export function replicaRowsProblem(outputs: SweepOutputs, spec: SweepSpec): string | undefined {
  const R = replicaCount(spec), steps = spec.steps;
  for (let i = 0; i < outputs.finalLoss.length; i++) {
    const row = (name: (typeof REPLICA_OUTPUTS)[number]['name']) => outputArray(outputs, name)![i];
    if (!isComputed(outputs, i)) {
      const set = REPLICA_OUTPUTS.find((o) => !Object.is(row(o.name), o.notRun));
      if (set) return `${set.name}[${i}]: ${row(set.name)} in a cell not computed (finalLoss none, divergedAt −1): the file is damaged or edited`;
      continue;
    }
    const bad = COUNTS.find((name) => !(row(name) >= 0 && row(name) <= R));
    if (bad) return `${bad}[${i}]: ${row(bad)} is not a count of replicas 0 … ${R}`;
    const [converged, stalled, diverged] = COUNTS.map(row);
    if (converged + stalled + diverged !== R) return `replicasStalled[${i}]: converged ${converged} + stalled ${stalled} + diverged ${diverged} = ${converged + stalled + diverged}, not the ${R} replicas: the file is damaged or edited`;
    const { low, high } = wilson(converged, R);
    const exact: Array<[string, number]> = [['pConverged', converged / R], ['pConvergedLow', low], ['pConvergedHigh', high]];
    for (const [name, want] of exact) {
      if (!Object.is(row(name as 'pConverged'), want)) return `${name}[${i}]: ${row(name as 'pConverged')}; ${converged} of ${R} converged gives ${want}: the file is damaged or edited`;
    }
    const inSteps = (v: number) => v >= 0 && v <= steps;
    // Over none: NaN. Converged replicas reach the threshold under every rule but the paper's tail mean.
    const ranges: Array<[string, number, boolean, boolean]> = [
      ['medianStepsToThreshold', row('medianStepsToThreshold'), converged === 0, spec.convergence === 'tail-mean'],
      ['medianFinalLoss', row('medianFinalLoss'), diverged === R, false],
      ['divergedAtQ1', row('divergedAtQ1'), diverged === 0, false],
      ['divergedAtMedian', row('divergedAtMedian'), diverged === 0, false],
    ];
    for (const [name, v, none, mayBeNone] of ranges) {
      const ok = none ? Number.isNaN(v) : (mayBeNone && Number.isNaN(v)) || (name === 'medianFinalLoss' ? Number.isFinite(v) && v >= 0 : inSteps(v));
      if (!ok) return `${name}[${i}]: ${v} with ${converged} converged, ${diverged} diverged of ${R} replicas; expected ${none ? 'none (null)' : name === 'medianFinalLoss' ? 'a finite loss' : `a step 0 … ${steps}`}: the file is damaged or edited`;
    }
    if (row('divergedAtQ1') > row('divergedAtMedian')) return `divergedAtQ1[${i}]: ${row('divergedAtQ1')} is above divergedAtMedian ${row('divergedAtMedian')}: the file is damaged or edited`;
  }
  return undefined;
}

/**
 * What is wrong with `kept` (keep "all": every replica's OUTPUTS rows, network c·R + r for cell c of `summary`), or
 * undefined: each cell's R replicas are computed exactly when the cell is, every value is one a network can hold,
 * and they fold (reduceCell) into the cell's summary rows bit for bit.
 */
export function keptReplicasProblem(kept: SweepOutputs, summary: SweepOutputs, spec: SweepSpec, cellsDone: number): string | undefined {
  const R = replicaCount(spec), cells = summary.finalLoss.length;
  const wrong = outputsProblem(kept, spec.steps, cellsDone * R);
  if (wrong) return wrong;
  const folded = allocateOutputs(1, true), scratch = replicaScratch(R);
  for (let c = 0; c < cells; c++) {
    const computed = isComputed(summary, c);
    for (let r = 0; r < R; r++) {
      if (isComputed(kept, c * R + r) !== computed) return `finalLoss[${c * R + r}]: replica ${r} of cell ${c} is ${computed ? 'not ' : ''}computed, but the cell is${computed ? '' : ' not'}: the file is damaged or edited`;
    }
    if (!computed) continue;
    reduceCell(kept, c * R, R, spec.convergence, folded, 0, scratch);
    for (const { name } of [...REPLICA_OUTPUTS, ...OUTPUT_NAMES.map((n) => ({ name: n }))]) {
      const want = outputArray(folded, name)![0], have = outputArray(summary, name)![c];
      if (!Object.is(want, have)) return `cell ${c}: its replicas give ${name} ${want}, but the cell's row holds ${have}: the file is damaged or edited`;
    }
  }
  return undefined;
}
