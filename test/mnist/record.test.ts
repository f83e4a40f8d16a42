/** A sweep's results are folded from its copies' events in one place (recordCopyEvent). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_COPY, DEFAULT_RUN } from '../../src/mnist/training';
import { newResults, recordCopyEvent } from '../../src/mnist/sweep';

describe('recording a copy\'s events', () => {
  it('appends epochs (a waiting copy is then running), ends finished, or failed with its message', () => {
    const results = newResults(DEFAULT_RUN, [DEFAULT_COPY, { ...DEFAULT_COPY, seed: 2 }, { ...DEFAULT_COPY, seed: 3 }], 'cpu');
    const metrics = { epoch: 1, trainLoss: 0.5, trainAccuracy: 0.9, testLoss: 0.4, testAccuracy: 0.95, lr: 0.05, seconds: 1 };
    recordCopyEvent(results, 0, { type: 'epoch', metrics, params: new Float32Array(2), stats: new Float32Array(1), predictions: new Uint8Array(3) });
    expect(results.copies[0]).toMatchObject({ state: 'running', epochs: [metrics] });
    recordCopyEvent(results, 0, { type: 'copy-done' });
    recordCopyEvent(results, 1, { type: 'copy-failed', message: 'its worker exited' });
    expect(results.copies.map((c) => [c.state, c.error])).toEqual([['finished', undefined], ['failed', 'its worker exited'], ['waiting', undefined]]);
  });

  it('marks a waiting copy running at its first progress, and records no epoch for it', () => {
    const results = newResults(DEFAULT_RUN, [DEFAULT_COPY], 'cpu');
    recordCopyEvent(results, 0, { type: 'progress', epoch: 0, iteration: 3, iterations: 10 });
    expect(results.copies[0]).toMatchObject({ state: 'running', epochs: [] });
  });
});
