/**
 * The WGSL MLP trainer (shaders/mlp.wgsl) on a real WebGPU adapter (SwiftShader in CI; no adapter is an error, never a
 * skip) against the float64 oracle and its float32-faithful twin (src/mlp/reference.ts).
 *
 * Tolerance of a short run: every loss and gradient entry is a sum of at most L = max(P, d, n, o) + 2 products, so in
 * float32 each carries a relative error of at most about L·2⁻²⁴ (2⁻²⁴ per rounding, one rounding per term), a few more
 * roundings come from the activation, the scalings and the update (≤ 33 in all), and a step passes its weights' errors
 * on roughly unchanged when the learning rates keep the step contractive. So after `steps` steps loss[steps] differs
 * from float64 by at most about 4·(steps + 1)·(P + d + n + o + 33)·2⁻²⁴ relative (factor 4 for the loss squaring the
 * residuals and for the forward and backward halves), checked here at small learning rates. Long chaotic runs are
 * compared by the agreement of convergence classes instead.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { gridSize } from '../../src/core/grid';
import { parseSpec, type MlpSweepSpec } from '../../src/core/spec';
import { MlpLimitError } from '../../src/gpu/mlp-layout';
import { mlpProblem, MLP_SETUP_LENGTH, writeMlpSetups } from '../../src/mlp/problem';
import { trainMlpSpecCell } from '../../src/mlp/reference';
import { createTestTrainer } from './setup';

const trainer = await createTestTrainer();
afterAll(() => trainer.gpu.device.destroy());

function mlpSpec(fields: Record<string, unknown>): MlpSweepSpec {
  const r = parseSpec({ network: { kind: 'mlp', inputs: 5, width: 6, outputs: 2, activation: 'tanh' }, data: { points: 11, seed: 4 }, steps: 6, ...fields });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.spec as MlpSweepSpec;
}

/** The oracle's outputs for every cell of `spec` in one arithmetic. */
function oracle(spec: MlpSweepSpec, arithmetic: 'float64' | 'float32') {
  const problem = mlpProblem(spec), { cells } = gridSize(spec);
  const setups = writeMlpSetups(spec, 0, cells, new Float64Array(cells * MLP_SETUP_LENGTH));
  return Array.from({ length: cells }, (_, c) => trainMlpSpecCell(spec, problem, setups.subarray(c * MLP_SETUP_LENGTH, (c + 1) * MLP_SETUP_LENGTH), arithmetic));
}

const bound = (spec: MlpSweepSpec) => {
  const { inputs: d, width: n, outputs: o } = spec.network;
  return 4 * (spec.steps + 1) * (spec.data.points + d + n + o + 33) * 2 ** -24;
};

describe('the WGSL MLP trainer against the float64 oracle', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['tanh, full batch, odd sizes (5-6-2, 11 points)', {}],
    ['relu', { network: { kind: 'mlp', inputs: 5, width: 6, outputs: 2, activation: 'relu' } }],
    ['identity, standard scaling', { network: { kind: 'mlp', inputs: 5, width: 6, outputs: 2, activation: 'identity', scaling: 'standard' } }],
    ['minibatch of 4 drawn with replacement', { minibatch: { size: 4, seed: 9 } }],
    ['offset once, on an axis', { y: { param: 'initOffset', min: -0.5, max: 0.5, count: 3, scale: 'linear' } }],
    ['offset re-added every step', { initOffsetEveryStep: true, y: { param: 'initOffset', min: 0.01, max: 0.05, count: 3, scale: 'linear' } }],
    ['more than 16 inputs (the inputs past 16 in arrays), one output', { network: { kind: 'mlp', inputs: 21, width: 3, outputs: 1 } }],
    ['the paper\'s sizes (16-16-1, 272 points, more than one tile of points)', { network: { kind: 'mlp' }, data: { points: 272, seed: 1 }, steps: 3 }],
  ];
  for (const [name, fields] of cases) {
    it(`stays within the float32 bound of the float64 loss over a short run: ${name}`, async () => {
      const spec = mlpSpec({ x: { param: 'lrHidden', min: 0.01, max: 0.3, count: 5, scale: 'log' }, lrOutput: 0.1, ...fields });
      const run = await trainer.run(spec, {});
      expect(run.status).toBe('complete');
      const exact = oracle(spec, 'float64'), tol = bound(spec);
      exact.forEach((ref, c) => {
        expect(run.outputs.divergedAt[c]).toBe(-1);
        expect(Math.abs(run.outputs.finalLoss[c] - ref.finalLoss) / ref.finalLoss, `cell ${c}`).toBeLessThan(tol);
        expect(Math.abs(run.outputs.minLoss[c] - ref.minLoss) / ref.minLoss).toBeLessThan(tol);
        expect(Math.abs(run.outputs.tailLossRatio[c] - ref.tailLossRatio) / ref.tailLossRatio).toBeLessThan(tol);
        expect(Math.abs(run.outputs.score[c] - ref.score) / Math.abs(ref.score)).toBeLessThan(tol);
        expect(run.outputs.stepsToThreshold[c]).toBe(ref.stepsToThreshold);
      });
    }, 60_000);
  }

  it('reports divergence at the float32-faithful oracle\'s step, with the paper\'s score', async () => {
    const spec = mlpSpec({ network: { kind: 'mlp', inputs: 5, width: 6, outputs: 2, activation: 'identity' }, steps: 30, x: { param: 'lr', min: 30, max: 3000, count: 4, scale: 'log' } });
    const run = await trainer.run(spec, {});
    const f32 = oracle(spec, 'float32');
    f32.forEach((ref, c) => {
      expect(ref.divergedAt).toBeGreaterThanOrEqual(0);
      expect(run.outputs.divergedAt[c]).toBe(ref.divergedAt);
      expect(run.outputs.score[c]).toBeGreaterThan(0);
      expect(Math.abs(run.outputs.score[c] - ref.score) / ref.score).toBeLessThan(1e-5);
    });
  }, 60_000);

  it('agrees with the float64 oracle on the convergence class of ≥ 95% of a paper view\'s cells (100 steps)', async () => {
    const spec = mlpSpec({ network: { kind: 'mlp' }, data: { points: 272, seed: 1 }, steps: 100,
      x: { param: 'lrHidden', min: 0.1, max: 1e3, count: 5, scale: 'log' }, y: { param: 'lrOutput', min: 0.1, max: 1e3, count: 5, scale: 'log' } });
    const run = await trainer.run(spec, {});
    const exact = oracle(spec, 'float64');
    const agree = exact.filter((ref, c) => Math.sign(ref.score) === Math.sign(run.outputs.score[c])).length;
    expect(exact.some((r) => r.score < 0) && exact.some((r) => r.score > 0)).toBe(true); // both classes present
    expect(agree / exact.length).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});

describe('chunks, tiles and cell order', () => {
  const spec = mlpSpec({ steps: 9, x: { param: 'lrHidden', min: 0.01, max: 3, count: 7, scale: 'log' }, y: { param: 'lrOutput', min: 0.01, max: 3, count: 3, scale: 'log' } });
  it('give bit-identical outputs whatever the steps per chunk and tile sizes', async () => {
    const whole = await trainer.run(spec, { stepsPerChunk: 100 });
    const pieces = await trainer.run(spec, { stepsPerChunk: 1, firstTileCells: 5, tileCells: 5 });
    for (const name of Object.keys(whole.outputs) as Array<keyof typeof whole.outputs>) expect(pieces.outputs[name], name).toEqual(whole.outputs[name]);
  }, 60_000);

  it('train the cells of a cell order at their indices, and a cancel keeps only finished tiles', async () => {
    const whole = await trainer.run(spec, {});
    const order = [20, 3, 7, 0, 11];
    const some = await trainer.run(spec, { cellOrder: order });
    for (const c of order) expect(some.outputs.finalLoss[c]).toBe(whole.outputs.finalLoss[c]);
    expect(Number.isNaN(some.outputs.finalLoss[1])).toBe(true);
    const abort = new AbortController();
    const cancelled = await trainer.run(spec, { tileCells: 4, firstTileCells: 4, signal: abort.signal, onProgress: (p) => { if (p.cellsDone >= 4) abort.abort(); } });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cellsDone).toBe(4);
    for (let c = 0; c < 4; c++) expect(cancelled.outputs.finalLoss[c]).toBe(whole.outputs.finalLoss[c]);
  }, 60_000);

  it('refuses a network too large for workgroup memory with MlpLimitError naming the sizes and the fix', async () => {
    const big = mlpSpec({ network: { kind: 'mlp', inputs: 64, width: 64, outputs: 64 }, data: { points: 4, seed: 1 }, steps: 1, x: { param: 'lr', min: 0.1, max: 1, count: 2 } });
    await expect(trainer.run(big, {})).rejects.toThrow(MlpLimitError);
    await expect(trainer.run(big, {})).rejects.toThrow(/64-64-64 .*CPU engine/);
  });
});
