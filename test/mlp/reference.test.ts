import { describe, expect, it } from 'vitest';
import { outputsOfLosses, SCORE_CAP } from '../../src/core/reference';
import { parseSpec, type MlpSweepSpec } from '../../src/core/spec';
import { mlpInitialWeights, mlpProblem, MLP_SETUP_LENGTH, mlpSetupWriter, type MlpProblem } from '../../src/mlp/problem';
import { mlpLossAndGradient, startingWeights, trainMlpCell } from '../../src/mlp/reference';

const mlpSpec = (extra: Record<string, unknown> = {}): MlpSweepSpec => {
  const r = parseSpec({ network: { kind: 'mlp', inputs: 5, width: 7, outputs: 2, ...((extra.network as object) ?? {}) }, data: { points: 9, seed: 4 }, steps: 30, x: { param: 'lrHidden', values: [0.3] }, ...extra, ...(extra.network ? { network: { kind: 'mlp', inputs: 5, width: 7, outputs: 2, ...(extra.network as object) } } : {}) });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec as MlpSweepSpec;
};

/** The notebook's convergence_measure, ported literally (numpy semantics, float64). */
function notebookScore(losses: number[]): number {
  let v = losses.map((x) => (Number.isFinite(x) ? x : SCORE_CAP));
  const first = v[0];
  v = v.map((x) => x / first).map((x) => (x > SCORE_CAP ? SCORE_CAP : x));
  const tail = v.slice(-20);
  const converged = tail.reduce((s, x) => s + x, 0) / tail.length < 1;
  return converged ? -v.reduce((s, x) => s + x, 0) : v.reduce((s, x) => s + 1 / x, 0);
}

describe('the MLP float64 oracle', () => {
  for (const activation of ['tanh', 'relu', 'identity'] as const) {
    it(`gives the gradient of its loss (${activation}, central finite differences)`, () => {
      const spec = mlpSpec({ network: { activation } });
      const problem = mlpProblem(spec);
      const w = mlpInitialWeights(spec, 3);
      const dW = new Float64Array(w.length);
      const loss = mlpLossAndGradient(problem, w, 0, dW);
      expect(loss).toBeGreaterThan(0);
      const eps = 1e-6, scratch = new Float64Array(w.length);
      for (let j = 0; j < w.length; j++) {
        const wp = Float64Array.from(w), wm = Float64Array.from(w);
        wp[j] += eps; wm[j] -= eps;
        const fd = (mlpLossAndGradient(problem, wp, 0, scratch) - mlpLossAndGradient(problem, wm, 0, scratch)) / (2 * eps);
        expect(Math.abs(fd - dW[j])).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
      }
    });
  }

  it('takes a minibatch step as the gradient of the loss over the drawn points (with repeats)', () => {
    const spec = mlpSpec({ minibatch: { size: 6, seed: 11 } });
    const problem = mlpProblem(spec);
    const k = 5, batch = Array.from(problem.batches!.subarray(k * 6, k * 6 + 6));
    expect(batch.every((p) => p >= 0 && p < 9)).toBe(true);
    const gathered: MlpProblem = {
      ...problem, points: 6, m: 6, batches: null,
      x: Float64Array.from(batch.flatMap((p) => Array.from(problem.x.subarray(p * 5, p * 5 + 5)))),
      y: Float64Array.from(batch.flatMap((p) => Array.from(problem.y.subarray(p * 2, p * 2 + 2)))),
    };
    const w = mlpInitialWeights(spec, 0);
    const dBatch = new Float64Array(w.length), dGathered = new Float64Array(w.length);
    mlpLossAndGradient(problem, w, k, dBatch);
    mlpLossAndGradient(gathered, w, 0, dGathered);
    for (let j = 0; j < w.length; j++) expect(dBatch[j]).toBeCloseTo(dGathered[j], 14);
  });

  it('records the full-batch loss before each update and scores the trajectory as the notebook does', () => {
    const spec = mlpSpec();
    const problem = mlpProblem(spec);
    const setup = new Float64Array(MLP_SETUP_LENGTH);
    mlpSetupWriter(spec)(0, setup);
    const losses: number[] = [];
    const out = trainMlpCell(problem, setup, mlpInitialWeights(spec, 0), 'float64', (_, loss) => losses.push(loss));
    expect(losses).toHaveLength(31);
    expect(out.finalLoss).toBe(losses[30]);
    expect(out.score).toBe(notebookScore(losses.slice(0, 30)));
    expect(out).toEqual(outputsOfLosses(losses, spec.threshold));
  });

  it('scores a divergence as the notebook does (non-finite losses count as 10⁶ before the division)', () => {
    for (const losses of [[2, 3, 50, Infinity], [0.5, 1e9, NaN, NaN, NaN], [NaN, NaN, NaN], [1, 0.5, 0.25, 0.1, 0.05]]) {
      const out = outputsOfLosses([...losses, 0.01], 1e-4);
      const history = losses.map((x, k) => (losses.slice(0, k + 1).every(Number.isFinite) ? x : NaN));
      expect(out.score).toBeCloseTo(notebookScore(history), 9);
    }
  });

  it('adds initOffset to W0 once, or before every step (the notebook)', () => {
    const once = mlpSpec({ x: { param: 'initOffset', values: [0.5] } });
    const every = mlpSpec({ x: { param: 'initOffset', values: [0.5] }, initOffsetEveryStep: true });
    const setup = new Float64Array(MLP_SETUP_LENGTH);
    mlpSetupWriter(once)(0, setup);
    const drawn = mlpInitialWeights(once, 0);
    const start = startingWeights(mlpProblem(once), setup, drawn);
    expect(start[0]).toBe(drawn[0] + 0.5);
    expect(start[5 * 7]).toBe(drawn[5 * 7]);
    const seen: number[][] = [[], []];
    trainMlpCell(mlpProblem(once), setup, drawn, 'float64', (k, _, w) => { if (k < 2) seen[0].push(w[0]); });
    trainMlpCell(mlpProblem(every), setup, drawn, 'float64', (k, _, w) => { if (k < 2) seen[1].push(w[0]); });
    expect(seen[0][0]).toBe(seen[1][0]);
    expect(seen[1][1] - seen[0][1]).toBeCloseTo(0.5, 12);
  });
});
