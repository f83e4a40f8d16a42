/** The MNIST view's runs: kept until discarded, described, timed, and their curves drawn together (pure parts). */
import { describe, expect, it } from 'vitest';
import { copiesOf, newResults } from '../../src/mnist/sweep';
import { DEFAULT_COPY, DEFAULT_RUN, type EpochMetrics } from '../../src/mnist/training';
import { copyStateText, describeRun, formatDuration, outcomeText, progressLine, runCurves, type MnistRun } from '../../src/ui/mnist/runs-history';

const metrics = (epoch: number, testAccuracy: number): EpochMetrics => ({ epoch, trainLoss: 0.5 / epoch, trainAccuracy: 0.9, testLoss: 0.1, testAccuracy, lr: 0.01, seconds: 1 });

function run(id: number, lr: number[], epochs: number, startedMs = 0): MnistRun {
  const results = newResults({ ...DEFAULT_RUN, epochs, trainLimit: 500, testLimit: 500 }, copiesOf({ lr, dropout: [0.05], seeds: [1] }, DEFAULT_COPY), 'cpu');
  return { id, results, copies: lr.map(() => ({})), outcome: 'running', startedMs };
}

describe('a run in the list', () => {
  it('says its settings, how it ended and its best accuracy', () => {
    const r = run(2, [0.1, 0.05], 2);
    r.results.copies[0].epochs.push(metrics(1, 0.8), metrics(2, 0.852));
    r.results.copies[1].epochs.push(metrics(1, 0.7), metrics(2, 0.75));
    Object.assign(r, { outcome: 'finished', elapsedMs: 42_000 });
    expect(describeRun(r)).toBe('Run 2: 2 copies × 2 epochs × 500 images (lr 0.1, 0.05; dropout 0.05; 1 seed) · finished in 42 s · best 85.20%');
  });
  it('stopped in its first epoch, keeps how far the furthest copy got', () => {
    const r = run(3, [0.1], 2);
    r.copies[0].epochsTrained = 0.375;
    r.results.copies[0].state = 'stopped';
    Object.assign(r, { outcome: 'stopped', elapsedMs: 9_000 });
    expect(outcomeText(r)).toBe('stopped after 9 s before the first epoch ended (at 37% of epoch 1): no curves or weights');
    expect(copyStateText(r, 0)).toBe('stopped in epoch 1 at 37%');
    r.copies[0].epochsTrained = 0;
    expect(outcomeText(r)).toBe('stopped after 9 s before the first epoch ended (no batch had run): no curves or weights');
  });
  it('stopped later, counts its finished epochs', () => {
    const r = run(1, [0.1], 3);
    r.results.copies[0].epochs.push(metrics(1, 0.8));
    Object.assign(r, { outcome: 'stopped', elapsedMs: 125_000 });
    expect(outcomeText(r)).toBe('stopped after 2 min 05 s with 1 of 3 epochs');
  });
});

describe('elapsed time and time left', () => {
  it('formats durations in s, min and h', () => {
    expect([formatDuration(42_400), formatDuration(125_000), formatDuration(3_720_000)]).toEqual(['42 s', '2 min 05 s', '1 h 02 min']);
  });
  it('projects the time left from the copy-epochs done since the first batch', () => {
    // 2 copies × 2 epochs = 4 copy-epochs; copy 0 finished epoch 1 (1) and copy 1 is halfway through it (0.5): 1.5 of 4 = 37.5%.
    // Batches ran from 10 s to 40 s: 30 s for 37.5%, so 30 / 0.375 × 0.625 = 50 s left; 40 s since Train.
    const r = run(1, [0.1, 0.05], 2);
    r.firstBatchMs = 10_000;
    r.results.copies[0].epochs.push(metrics(1, 0.8));
    r.copies[0].epochsTrained = 1;
    r.copies[1].epochsTrained = 0.5;
    expect(progressLine(r, 40_000)).toBe('37% of 4 copy-epochs · 40 s elapsed · about 50 s left');
  });
  it('says no time left before the first batch (the data still loading)', () => {
    expect(progressLine(run(1, [0.1], 1), 3_000)).toBe('3 s elapsed · time left: after the first batches');
  });
});

describe('two runs\' curves', () => {
  const colors = ['blue', 'orange', 'red', 'green'];
  const shown = run(2, [0.1, 0.2], 2), earlier = run(1, [0.05, 0.1], 1);
  shown.results.copies.forEach((c) => c.epochs.push(metrics(1, 0.8), metrics(2, 0.9)));
  earlier.results.copies.forEach((c) => c.epochs.push(metrics(1, 0.7)));
  it('draw the shown run solid and the compared one dashed, labelled by run, a shared setting in one colour', () => {
    const curves = runCurves(shown, earlier, 0, (e) => e.testAccuracy, colors);
    expect(curves.map((c) => [c.label, c.color, c.dashed, c.width])).toEqual([
      ['run 2 · lr 0.1 · d 0.05 · s 1', 'blue', false, 3],
      ['run 2 · lr 0.2 · d 0.05 · s 1', 'orange', false, 1.5],
      ['run 1 · lr 0.05 · d 0.05 · s 1', 'red', true, 1.5], // a setting only in run 1 takes the next colour
      ['run 1 · lr 0.1 · d 0.05 · s 1', 'blue', true, 1.5], // lr 0.1 is in both runs: the same colour
    ]);
    // One value per epoch of the longer run (2); run 1 has none for epoch 2.
    expect(curves[2].values).toEqual([0.7, NaN]);
  });
  it('alone, without run labels', () => {
    expect(runCurves(shown, undefined, 1, (e) => e.testAccuracy, colors).map((c) => [c.label, c.width])).toEqual([['lr 0.1 · d 0.05 · s 1', 1.5], ['lr 0.2 · d 0.05 · s 1', 3]]);
  });
});
