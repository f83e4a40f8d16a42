import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodePool, loadKernelModule } from '../../src/cli/node-cpu';
import { WasmKernel } from '../../src/cpu/kernel';
import { OUTPUT_BYTES } from '../../src/cpu/layout';
import { mlpBlockTrainer } from '../../src/cpu/mlp-block';
import { mlpRegions, mlpWorkLength } from '../../src/cpu/mlp-layout';
import { runReference } from '../../src/core/cpu-runner';
import { gridSize } from '../../src/core/grid';
import { OUTPUT_NAMES, type CellOutputs, type SweepOutputs } from '../../src/core/outputs';
import { parseSpec, type MlpSweepSpec } from '../../src/core/spec';
import { MLP_SETUP, MLP_SETUP_LENGTH, mlpProblem } from '../../src/mlp/problem';
import { trainMlpSpecCell } from '../../src/mlp/reference';
import { tanh } from '../../src/core/portable-math';
import { mlpSetupWriter } from '../../src/mlp/problem';

let kernel: WasmKernel;
let exports: Record<string, unknown>;
beforeAll(async () => {
  const instance = await WebAssembly.instantiate(loadKernelModule(), { env: { abort: () => { throw new Error('abort'); } } });
  exports = instance.exports as Record<string, unknown>;
  kernel = await WasmKernel.create(loadKernelModule());
});

const spec = (input: Record<string, unknown>): MlpSweepSpec => {
  const r = parseSpec({ steps: 40, data: { points: 11, seed: 4 }, ...input, network: { kind: 'mlp', inputs: 4, width: 6, outputs: 2, ...(input.network as object ?? {}) } });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec as MlpSweepSpec;
};

/** lrHidden × lrOutput, 6 × 5 cells from small to divergent rates. */
const rates = { x: { param: 'lrHidden', min: 0.03, max: 3e4, count: 6, scale: 'log' }, y: { param: 'lrOutput', min: 0.03, max: 3e4, count: 5, scale: 'log' } };

/** The oracle's outputs of every cell, one by one. */
function oracle(s: MlpSweepSpec): CellOutputs[] {
  const problem = mlpProblem(s), write = mlpSetupWriter(s), setup = new Float64Array(MLP_SETUP_LENGTH);
  return Array.from({ length: gridSize(s).cells }, (_, c) => { write(c, setup); return trainMlpSpecCell(s, problem, setup); });
}

/** The first output (cell, name) whose bits differ (Object.is), or undefined. */
function firstDifference(got: SweepOutputs, want: CellOutputs[]): string | undefined {
  for (let c = 0; c < want.length; c++) for (const name of OUTPUT_NAMES) if (!Object.is(got[name][c], want[c][name])) return `cell ${c} ${name}: kernel ${got[name][c]}, oracle ${want[c][name]}`;
  return undefined;
}

function check(s: MlpSweepSpec): { diverged: number; converged: number } {
  const want = oracle(s);
  const got = mlpBlockTrainer(s)(kernel, want.length, (j) => j);
  expect(firstDifference(got, want)).toBeUndefined();
  return { diverged: want.filter((o) => o.divergedAt >= 0).length, converged: want.filter((o) => o.divergedAt < 0).length };
}

describe('the WebAssembly MLP kernel against trainMlpCell (bit for bit)', () => {
  for (const activation of ['tanh', 'relu', 'identity'] as const) {
    it(`${activation}, full batch, cells that converge and cells that diverge`, () => {
      const { diverged, converged } = check(spec({ network: { activation }, ...rates, steps: 150 })); // tanh's bounded h needs steps to overflow
      expect(diverged).toBeGreaterThan(0);
      expect(converged).toBeGreaterThan(0);
    });
  }

  it('minibatches, standard scaling, uniform draws over a seed axis', () => {
    const { diverged, converged } = check(spec({ network: { activation: 'tanh', scaling: 'standard' }, minibatch: { size: 5, seed: 9 }, init: { distribution: 'uniform', seed: 3, scale: 1.5 }, ...rates, y: { param: 'seed', values: [0, 1, 2] } }));
    expect(diverged + converged).toBe(18);
  });

  it('widths through every path of the lane sums (8 units, 2 units, 1 unit) and several outputs', () => {
    for (const width of [5, 8, 11, 19]) {
      for (const activation of ['tanh', 'relu'] as const) {
        for (const minibatch of [undefined, { size: 4, seed: 2 }]) check(spec({ network: { activation, width, outputs: 3, inputs: 3 }, ...(minibatch ? { minibatch } : {}), ...rates }));
      }
    }
  });

  it('initOffset once and every step, and initScale', () => {
    for (const every of [false, true]) {
      check(spec({ network: { activation: 'tanh' }, initOffsetEveryStep: every, x: { param: 'initOffset', min: -0.5, max: 0.5, count: 5 }, y: { param: 'initScale', min: 0.1, max: 10, count: 4, scale: 'log' } }));
    }
  });

  it('several blocks of one run agree with one block (the problem and draws are reused)', () => {
    const s = spec({ network: { activation: 'relu' }, ...rates }), want = oracle(s), train = mlpBlockTrainer(s);
    const order = [17, 3, 29, 0, 8];
    const got = train(kernel, order.length, (j) => order[j]);
    for (let j = 0; j < order.length; j++) for (const name of OUTPUT_NAMES) expect(Object.is(got[name][j], want[order[j]][name]), `${order[j]} ${name}`).toBe(true);
  });
});

describe('the two-lane tanh of the MLP kernel (wasm/math.ts tanhV)', () => {
  it('has portable-math tanh\'s bits on every lane, across every case of expm1 and the scalar fallbacks', () => {
    const values: number[] = [0, -0, NaN, Infinity, -Infinity, 22, -22, 21.999999, 1, -1, 2 ** -28, -(2 ** -28), 2 ** -29, 1e-300, 0.1733, 0.1734, 0.5199, 0.52, 9.7, 9.71, 28, 1e10];
    let u = 12345;
    const next = () => ((u = (Math.imul(u, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let j = 0; j < 200000; j++) values.push((next() - 0.5) * (j % 3 === 0 ? 50 : j % 3 === 1 ? 4 : 0.01));
    for (let k = -60; k <= 60; k++) for (const d of [-1e-12, 0, 1e-12]) values.push((k * Math.LN2) / 4 + d);
    const x = Float64Array.from(values), got = kernel.math('tanhV', x);
    const bad = values.findIndex((v, j) => !Object.is(got[j], tanh(v)));
    expect(bad, bad >= 0 ? `tanhV(${values[bad]}) = ${got[bad]}, tanh: ${tanh(values[bad])}` : '').toBe(-1);
  });
});

describe('the MLP layout (wasm/mlp.ts and src/cpu/mlp-layout.ts)', () => {
  it('has the set-up record of src/mlp/problem.ts and regions that do not overlap', () => {
    expect((exports.MLP_SETUP_LENGTH as WebAssembly.Global).value).toBe(MLP_SETUP_LENGTH);
    expect((exports.MLP_SETUP_LR_HIDDEN as WebAssembly.Global).value).toBe(MLP_SETUP.lrHidden);
    expect((exports.MLP_SETUP_LR_OUTPUT as WebAssembly.Global).value).toBe(MLP_SETUP.lrOutput);
    expect((exports.MLP_SETUP_INIT_OFFSET as WebAssembly.Global).value).toBe(MLP_SETUP.initOffset);
    const problem = mlpProblem(spec({ minibatch: { size: 3, seed: 1 }, ...rates }));
    const r = mlpRegions(problem, 7, MLP_SETUP_LENGTH);
    const { d, n, o, points: P, m, steps, weightCount: W } = problem;
    expect([r.setups, r.weights, r.x, r.y, r.batches, r.outputs, r.work, r.bytes]).toEqual([
      0, 8 * 7 * MLP_SETUP_LENGTH, 8 * 7 * (MLP_SETUP_LENGTH + W), 8 * 7 * (MLP_SETUP_LENGTH + W) + 8 * P * d,
      8 * 7 * (MLP_SETUP_LENGTH + W) + 8 * P * (d + o), r.batches + Math.ceil((4 * steps * m) / 8) * 8,
      r.outputs + Math.ceil((7 * OUTPUT_BYTES) / 8) * 8, r.work + 8 * (2 * P * n + P * o + m * o + m * n + 2 * W),
    ]);
    expect(mlpWorkLength(problem)).toBe(2 * P * n + P * o + m * o + m * n + 2 * W);
  });
});

describe('an MLP sweep through the CPU pool', () => {
  const pool = createNodePool(2);
  afterAll(() => pool.close());
  for (const arithmetic of ['float64', 'float32'] as const) {
    it(`gives the oracle's outputs, bit for bit (${arithmetic}${arithmetic === 'float32' ? ': the TypeScript oracle in the workers' : ': the WebAssembly kernel'})`, async () => {
      const s = spec({ network: { activation: 'tanh' }, ...rates, x: { ...rates.x, count: 16 } });
      const result = await pool.run(s, arithmetic);
      const want = await runReference(s, arithmetic);
      expect(result.status).toBe('complete');
      for (const name of OUTPUT_NAMES) expect(Array.from(result.outputs[name]), name).toEqual(Array.from(want.outputs[name]));
    });
  }
});
