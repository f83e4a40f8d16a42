import { describe, expect, it } from 'vitest';
import { OUTPUT_NAMES } from '../../src/core/outputs';
import { parseSpec, type MlpSweepSpec } from '../../src/core/spec';
import { mlpInitialWeights, mlpProblem, MLP_SETUP_LENGTH, mlpSetupWriter } from '../../src/mlp/problem';
import { startingWeights, trainMlpSpecCell } from '../../src/mlp/reference';
import { frobenius, MLP_TRACE_ROW_LENGTH, traceMlpCell } from '../../src/mlp/trace';

const mlpSpec = (extra: Record<string, unknown> = {}): MlpSweepSpec => {
  const r = parseSpec({ network: { kind: 'mlp', inputs: 5, width: 7, outputs: 2, activation: 'tanh' }, data: { points: 9, seed: 4 }, steps: 30,
    x: { param: 'lrHidden', values: [0.3, 1e5] }, y: { param: 'lrOutput', values: [0.5, 1e12] }, ...extra });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec as MlpSweepSpec;
};
const rowsOf = (rows: Float64Array) => Array.from({ length: rows.length / MLP_TRACE_ROW_LENGTH }, (_, i) => Array.from(rows.subarray(i * MLP_TRACE_ROW_LENGTH, (i + 1) * MLP_TRACE_ROW_LENGTH)));

describe("an MLP cell's replay for the inspector", () => {
  const spec = mlpSpec();

  it("has the oracle's outputs for the cell's own set-up (lrHidden, lrOutput from its axes)", () => {
    const problem = mlpProblem(spec);
    for (const cell of [0, 1, 2, 3]) {
      const setup = new Float64Array(MLP_SETUP_LENGTH);
      mlpSetupWriter(spec)(cell, setup);
      const expected = trainMlpSpecCell(spec, problem, setup);
      const { outputs } = traceMlpCell(spec, cell, 1, 'float64', problem);
      for (const name of OUTPUT_NAMES) expect(Object.is(outputs[name], expected[name]), `${name} of cell ${cell}`).toBe(true);
    }
  });

  it('keeps k = 0, every, 2·every, … and the last k, each with the loss and the Frobenius norms of W0 and W1', () => {
    const { rows, outputs } = traceMlpCell(spec, 0, 4);
    expect(outputs.divergedAt).toBe(-1);
    const table = rowsOf(rows);
    expect(table.map((r) => r[0])).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 30]);
    // Row 0: the starting weights' norms (5 × 7 W0, 7 × 2 W1) and the first loss.
    const w = startingWeights(mlpProblem(spec), [0.3, 0.5, 0, 1, 0], mlpInitialWeights(spec, 0));
    expect(table[0][2]).toBe(frobenius(w, 0, 35));
    expect(table[0][3]).toBe(frobenius(w, 35, 49));
    expect(table[0][1]).toBeGreaterThan(0);
    expect(table.at(-1)![1]).toBe(outputs.finalLoss);
    expect(table[1][2]).not.toBe(table[0][2]); // training moved W0
  });

  it('keeps the step where a cell diverged, and stops there', () => {
    const { rows, outputs } = traceMlpCell(spec, 3, 1000); // lrHidden 1e5, lrOutput 1e12: diverges
    expect(outputs.divergedAt).toBeGreaterThan(0);
    const table = rowsOf(rows);
    expect(table.map((r) => r[0])).toEqual([0, outputs.divergedAt]);
    expect(Number.isFinite(table[1][1]) && Number.isFinite(table[1][2]) && Number.isFinite(table[1][3])).toBe(false);
  });

  it('reads the norm of a block of weights as √Σ w²', () => {
    expect(frobenius([3, 4, 12], 0, 2)).toBe(5);
    expect(frobenius([3, 4, 12], 1, 3)).toBe(Math.sqrt(160));
    expect(frobenius([1, Infinity], 0, 2)).toBe(Infinity);
  });
});
