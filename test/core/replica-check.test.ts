/**
 * The checks a replica sweep's rows get when read back (src/core/replica-check.ts): a real run's rows pass, and each
 * kind of damage is refused naming the row and the cell.
 */
import { describe, expect, it } from 'vitest';
import { runReference } from '../../src/core/cpu-runner';
import { allocateOutputs, outputsAt, type SweepOutputs } from '../../src/core/outputs';
import { keptReplicasProblem, replicaRowsProblem } from '../../src/core/replica-check';
import type { ReplicaRunResult } from '../../src/core/replica-run';
import { parseSpec } from '../../src/core/spec';

const parsed = parseSpec({ activation: 'tanh', preset: 'eva', steps: 120, init: { distribution: 'normal', scale: 1, seed: 5 }, replicas: { count: 8, keep: 'all' }, x: { param: 'lr', min: 0.5, max: 60, count: 6, scale: 'log' } });
if (!parsed.ok) throw new Error(parsed.errors.join());
const spec = parsed.spec, R = 8;
const run = (await runReference(spec, 'float64')) as ReplicaRunResult;
/** A copy of the run's rows (and kept replicas) with `edit` applied. */
function damaged(edit: (o: SweepOutputs, kept: SweepOutputs) => void) {
  const o = outputsAt(run.outputs, 0, 6), kept = outputsAt(run.replicaOutputs!, 0, 6 * R);
  edit(o, kept);
  return { rows: replicaRowsProblem(o, spec), kept: keptReplicasProblem(kept, o, spec, 6) };
}
// A cell where some but not all replicas converged, and one where none diverged.
const mixed = Array.from(run.outputs.replicasConverged!).findIndex((k) => k > 0 && k < R);

describe('replica rows read back', () => {
  it('a run\'s rows and kept replicas pass, and the run has a cell with both outcomes', () => {
    expect(mixed).toBeGreaterThanOrEqual(0);
    expect(replicaRowsProblem(run.outputs, spec)).toBeUndefined();
    expect(keptReplicasProblem(run.replicaOutputs!, run.outputs, spec, 6)).toBeUndefined();
  });

  it('refuse counts out of 0 … R or not summing to R, naming the row and the cell', () => {
    expect(damaged((o) => { o.replicasConverged![2] = R + 1; }).rows).toMatch(/^replicasConverged\[2\]: 9 is not a count of replicas 0 … 8/);
    expect(damaged((o) => { o.replicasStalled![mixed]++; }).rows).toMatch(new RegExp(`^replicasStalled\\[${mixed}\\]: converged \\d+ \\+ stalled \\d+ \\+ diverged \\d+ = 9, not the 8 replicas`));
  });

  it('refuse a probability or interval other than converged / R and Wilson\'s, exactly', () => {
    expect(damaged((o) => { o.pConverged![mixed] += 1e-16; }).rows).toMatch(new RegExp(`^pConverged\\[${mixed}\\]: .*; \\d of 8 converged gives`));
    expect(damaged((o) => { o.pConvergedLow![mixed] = 0; }).rows).toMatch(new RegExp(`^pConvergedLow\\[${mixed}\\]: 0;`));
    expect(damaged((o) => { o.pConvergedHigh![0] = NaN; }).rows).toMatch(/^pConvergedHigh\[0\]: NaN;/);
  });

  it('refuse medians and quartiles outside their ranges, or present over no replica', () => {
    expect(damaged((o) => { o.medianStepsToThreshold![mixed] = 121; }).rows).toMatch(new RegExp(`^medianStepsToThreshold\\[${mixed}\\]: 121 .*expected a step 0 … 120`));
    expect(damaged((o) => { o.medianFinalLoss![mixed] = Infinity; }).rows).toMatch(new RegExp(`^medianFinalLoss\\[${mixed}\\]: Infinity .*expected a finite loss`));
    const calm = Array.from(run.outputs.replicasDiverged!).findIndex((d) => d === 0);
    expect(damaged((o) => { o.divergedAtMedian![calm] = 3; }).rows).toMatch(new RegExp(`^divergedAtMedian\\[${calm}\\]: 3 .*expected none \\(null\\)`));
  });

  it('refuse a cell not computed with any replica row set', () => {
    const stopped = allocateOutputs(6, true);
    expect(replicaRowsProblem(stopped, spec)).toBeUndefined();
    stopped.pConvergedLow![4] = 0;
    expect(replicaRowsProblem(stopped, spec)).toMatch(/^pConvergedLow\[4\]: 0 in a cell not computed/);
  });

  it('refuse kept replicas that do not fold into the cell\'s rows, or are computed where the cell is not', () => {
    expect(damaged((_, kept) => { kept.finalLoss[mixed * R + 3] *= 2; }).kept).toMatch(new RegExp(`^cell ${mixed}: its replicas give (medianFinalLoss|replicas\\w+|pConverged)`));
    expect(damaged((_, kept) => { kept.finalLoss[mixed * R] *= 1 + 2 ** -40; }).kept).toMatch(new RegExp(`^cell ${mixed}: its replicas give`));
    expect(damaged((_, kept) => { kept.divergedAt[5 * R + 1] = 200; }).kept).toMatch(/^divergedAt\[41\]: 200 is not a step index −1 … 120/);
    const notDone = damaged((o) => { for (const name of Object.keys(o) as Array<keyof SweepOutputs>) o[name]![5] = allocateOutputs(1, true)[name]![0]; });
    expect(notDone.rows).toBeUndefined();
    expect(notDone.kept).toMatch(/computed, but the cell is not|cells are computed, but the file says/);
  });
});
