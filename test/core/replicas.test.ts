/**
 * Replica sweeps on the float64 oracle: the spec's checks, the statistics (Wilson interval, quantiles), R = 1 against
 * the plain sweep, R replicas against a seed axis of R draws (exact: the same draws), and pConverged against a
 * separate Monte Carlo estimate with other random numbers (within its binomial error).
 */
import { describe, expect, it } from 'vitest';
import { runReference } from '../../src/core/cpu-runner';
import { networkCount } from '../../src/core/grid';
import { trainCell } from '../../src/core/reference';
import { cellSetup } from '../../src/core/grid';
import { classOf, OUTPUT_NAMES, REPLICA_OUTPUT_NAMES, type SweepOutputs } from '../../src/core/outputs';
import { randomWeights } from '../../src/core/random';
import { describeReplicas, quantile, wilson } from '../../src/core/replicas';
import { parseSpec, type SweepSpec } from '../../src/core/spec';
import { SETUP } from '../../src/core/network';

function spec(input: Record<string, unknown>): SweepSpec {
  const r = parseSpec(input);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec;
}
const errors = (input: Record<string, unknown>) => { const r = parseSpec(input); return r.ok ? [] : r.errors; };
const lrAxis = { param: 'lr', min: 0.5, max: 60, count: 6, scale: 'log' };
const course = { activation: 'tanh', preset: 'eva', steps: 120, init: { distribution: 'normal', scale: 1, seed: 5 } };
const mlp = { network: { kind: 'mlp', inputs: 3, width: 4, outputs: 1 }, data: { points: 7, seed: 2 }, steps: 40 };

describe('the replicas setting', () => {
  it('normalizes with common draws and summaries kept, and parses again to itself', () => {
    const s = spec({ ...course, replicas: { count: 16 }, x: lrAxis });
    expect(s.replicas).toEqual({ count: 16, draws: 'common', keep: 'summary' });
    expect(spec(s as unknown as Record<string, unknown>)).toEqual(s);
    expect(networkCount(s)).toBe(6 * 16);
    expect('replicas' in spec({ ...course, x: lrAxis })).toBe(false);
  });

  it('refuses bad counts, a seed axis beside it, and cells × replicas over the limits, naming the field', () => {
    expect(errors({ ...course, replicas: { count: 0 }, x: lrAxis })[0]).toMatch(/^replicas\.count: must be an integer from 1 to 4096/);
    expect(errors({ ...course, replicas: { count: 4097 }, x: lrAxis })[0]).toMatch(/^replicas\.count/);
    expect(errors({ ...course, replicas: { count: 4, draws: 'same' }, x: lrAxis })[0]).toMatch(/^replicas\.draws: must be "common"/);
    expect(errors({ ...course, replicas: { count: 4, extra: 1 }, x: lrAxis })[0]).toMatch(/^replicas: unknown key "extra"; allowed keys are count, draws, keep/);
    expect(errors({ ...course, replicas: { count: 4 }, x: lrAxis, y: { param: 'seed', count: 4 } })[0]).toMatch(/^replicas: a seed axis and replicas both choose the initial draws/);
    expect(errors({ ...course, replicas: { count: 4096 }, x: { ...lrAxis, count: 4096 }, y: { param: 'initScale', min: 0.1, max: 1, count: 8, scale: 'log' } })[0])
      .toMatch(/^x\.count × y\.count × replicas\.count: 32,768 cells × 4,096 replicas = 134,217,728 networks; at most 16,777,216/);
    expect(errors({ ...course, steps: 1_000_000, replicas: { count: 4096 }, x: { ...lrAxis, count: 64 } })[0]).toMatch(/^steps: 262,144 networks \(cells × replicas\) × 1,000,000 steps/);
  });
});

describe('the statistics', () => {
  it('Wilson 95%: 13 of 16 is 57–93% (the issue\'s example), the ends stay inside [0, 1] and are not empty', () => {
    const { low, high } = wilson(13, 16);
    expect([Math.round(100 * low), Math.round(100 * high)]).toEqual([57, 93]);
    expect(low).toBeCloseTo(0.5699, 4); expect(high).toBeCloseTo(0.9341, 4);
    expect(wilson(0, 10)).toEqual({ low: 0, high: expect.closeTo(0.2775, 4) });
    expect(wilson(10, 10)).toEqual({ low: expect.closeTo(0.7225, 4), high: 1 });
    const a = wilson(3, 40), b = wilson(37, 40);
    expect(a.low).toBeCloseTo(1 - b.high, 12); expect(a.high).toBeCloseTo(1 - b.low, 12);
  });

  it('quantiles interpolate linearly between order statistics, as numpy does by default', () => {
    const v = Float64Array.from([1, 2, 3, 4]);
    expect(quantile(v, 4, 0.5)).toBe(2.5); // numpy.median([1,2,3,4])
    expect(quantile(v, 4, 0.25)).toBe(1.75); // numpy.quantile([1,2,3,4], 0.25)
    expect(quantile(v, 3, 0.5)).toBe(2);
    expect(quantile(v, 1, 0.25)).toBe(1);
    expect(quantile(v, 0, 0.5)).toBeNaN();
  });
});

/** The converged fraction of each x column of a sweep whose y axis is a seed axis. */
function columnFractions(outputs: SweepOutputs, nx: number, ny: number, rule: SweepSpec['convergence']): number[] {
  return Array.from({ length: nx }, (_, ix) => Array.from({ length: ny }, (_, iy) => classOf(outputs, iy * nx + ix, rule)).filter((c) => c === 'converged').length / ny);
}

describe('a replica sweep on the oracle', () => {
  it('R = 1 gives the plain sweep\'s outputs bit for bit (the MLP; the course network with draw 0\'s weights)', async () => {
    for (const [base, plainOf] of [
      [mlp, (s: Record<string, unknown>) => s],
      [course, (s: Record<string, unknown>) => { const w = new Float64Array(8); randomWeights(course.init as never, 0, w); return { ...s, weights: Array.from(w) }; }],
    ] as const) {
      const replicated = await runReference(spec({ ...base, replicas: { count: 1 }, x: lrAxis }), 'float64');
      const plain = await runReference(spec(plainOf({ ...base, x: lrAxis })), 'float64');
      for (const name of OUTPUT_NAMES) expect(Array.from(replicated.outputs[name]), name).toEqual(Array.from(plain.outputs[name]));
      const rule = spec({ ...base, x: lrAxis }).convergence;
      expect(Array.from(replicated.outputs.replicasConverged!)).toEqual(Array.from({ length: 6 }, (_, i) => (classOf(plain.outputs, i, rule) === 'converged' ? 1 : 0)));
    }
  });

  for (const [name, base] of [['course', course], ['mlp', mlp]] as const) {
    it(`R replicas are a seed axis of R draws folded into each cell, exactly (${name})`, async () => {
      const R = 12;
      const replicated = spec({ ...base, replicas: { count: R, keep: 'all' }, x: lrAxis });
      const seeded = spec({ ...base, x: lrAxis, y: { param: 'seed', count: R } });
      const a = await runReference(replicated, 'float64'), b = await runReference(seeded, 'float64');
      const fractions = columnFractions(b.outputs, 6, R, seeded.convergence);
      expect(Array.from(a.outputs.pConverged!)).toEqual(fractions);
      expect(fractions.some((f) => f > 0 && f < 1), 'a column with both classes').toBe(true);
      const all = (a as { replicaOutputs?: SweepOutputs }).replicaOutputs!;
      for (let ix = 0; ix < 6; ix++) for (let r = 0; r < R; r++) {
        for (const out of OUTPUT_NAMES) expect(Object.is(all[out][ix * R + r], b.outputs[out][r * 6 + ix]), `${out} cell ${ix} replica ${r}`).toBe(true);
      }
      for (let ix = 0; ix < 6; ix++) {
        const k = a.outputs.replicasConverged![ix];
        expect(k + a.outputs.replicasStalled![ix] + a.outputs.replicasDiverged![ix]).toBe(R);
        expect(describeReplicas(a.outputs, ix)).toMatch(new RegExp(`^converged ${k} of ${R} = \\d+% \\(95% CI \\d+–\\d+%\\)$`));
      }
    });
  }

  it('independent draws differ per cell, and cell 0 keeps the common draws', async () => {
    const common = await runReference(spec({ ...course, replicas: { count: 8, keep: 'all' }, x: lrAxis }), 'float64');
    const independent = await runReference(spec({ ...course, replicas: { count: 8, draws: 'independent', keep: 'all' }, x: lrAxis }), 'float64');
    const A = (common as { replicaOutputs?: SweepOutputs }).replicaOutputs!, B = (independent as { replicaOutputs?: SweepOutputs }).replicaOutputs!;
    expect(Array.from(B.finalLoss.subarray(0, 8))).toEqual(Array.from(A.finalLoss.subarray(0, 8)));
    expect(Array.from(B.minLoss.subarray(8, 16))).not.toEqual(Array.from(A.minLoss.subarray(8, 16)));
  });

  it('every summary row is computed, and a cancel keeps whole cells only', async () => {
    const s = spec({ ...course, replicas: { count: 5 }, x: lrAxis });
    const done = await runReference(s, 'float64');
    for (const name of REPLICA_OUTPUT_NAMES) expect(done.outputs[name]!.length, name).toBe(6);
    expect(Array.from(done.outputs.replicasConverged!).every((k) => k >= 0)).toBe(true);
    const abort = new AbortController(); abort.abort();
    const stopped = await runReference(s, 'float64', { signal: abort.signal });
    expect(stopped.status).toBe('cancelled');
    expect(Array.from(stopped.outputs.replicasConverged!)).toEqual([-1, -1, -1, -1, -1, -1]);
  });

  it('pConverged agrees with a separate Monte Carlo estimate (other random numbers) within its binomial error', async () => {
    // The course network, N(0, 1) initial weights, a 1-D learning-rate sweep: 256 common replicas per learning rate
    // against 1024 draws under another seed, trained one by one with the oracle's trainCell.
    const R = 256, N = 1024, base = { ...course, steps: 100, threshold: 1e-3, convergence: 'reached' };
    const s = spec({ ...base, replicas: { count: R }, x: { param: 'lr', min: 10, max: 80, count: 5, scale: 'log' } });
    const result = await runReference(s, 'float64');
    const config = { activation: s.activation, biases: s.biases, steps: s.steps, threshold: s.threshold };
    const other = { ...s.init, seed: 99 };
    let informative = 0;
    for (let ix = 0; ix < 5; ix++) {
      const setup = cellSetup({ ...s, replicas: undefined }, ix);
      let converged = 0;
      for (let k = 0; k < N; k++) {
        randomWeights(other, k, setup, SETUP.w1);
        if (trainCell(setup, config, 'float64').stepsToThreshold >= 0) converged++;
      }
      const p = result.outputs.pConverged![ix], q = converged / N, pooled = (p * R + converged) / (R + N);
      const error = Math.sqrt(pooled * (1 - pooled) * (1 / R + 1 / N));
      expect(Math.abs(p - q), `lr cell ${ix}: ${p} vs ${q}`).toBeLessThanOrEqual(4 * error + 1e-12);
      if (pooled > 0.05 && pooled < 0.95) informative++;
    }
    expect(informative, 'learning rates where both outcomes are common').toBeGreaterThanOrEqual(2);
  });
});
