import { describe, expect, it } from 'vitest';
import type { CellTrace } from '../../src/cpu/kernel';
import type { CellOutputs } from '../../src/core/outputs';
import type { MlpTrace } from '../../src/mlp/trace';
import { isMlpReplay, replayEngine, traceColumn, weightChart } from '../../src/ui/replay';
import { ranOnText } from '../../src/ui/words';

const outputs = {} as CellOutputs;
const course: CellTrace = { outputs, rows: Float64Array.from({ length: 20 }, (_, i) => i) }; // 2 rows of 10
const mlp: MlpTrace = { network: 'mlp', outputs, rows: Float64Array.from([0, 1, 3, 4, 5, 0.5, 6, 8]) }; // 2 rows of 4
const COLORS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];

describe('a replay as the inspector draws it', () => {
  it('reads columns by its own row length', () => {
    expect(isMlpReplay(mlp)).toBe(true);
    expect(isMlpReplay(course)).toBe(false);
    expect(traceColumn(course, 1)).toEqual([1, 11]);
    expect(traceColumn(mlp, 0)).toEqual([0, 5]);
    expect(traceColumn(mlp, 3)).toEqual([4, 8]);
  });

  it("draws an MLP's weights as the two norms on a log axis, the course's as eight weights", () => {
    const m = weightChart(mlp, 7, COLORS, ' (every 2 steps)');
    expect(m).toMatchObject({ title: 'weight norms ‖W0‖, ‖W1‖ (Frobenius) of cell 7 (every 2 steps)', log: true });
    expect(m.series).toEqual([
      { label: '‖W0‖ (input → hidden)', values: [3, 6], color: 'c0' },
      { label: '‖W1‖ (hidden → output)', values: [4, 8], color: 'c1' },
    ]);
    const c = weightChart(course, 7, COLORS);
    expect(c).toMatchObject({ title: 'weights w1…w8 of cell 7', log: false });
    expect(c.series.map((s) => s.label)).toEqual(['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8']);
    expect(c.series[7].values).toEqual([9, 19]);
  });

  it('names what ran a view: float32 MLP cells run on the TypeScript oracle, not a WebAssembly kernel', () => {
    expect(ranOnText({ device: 'cpu', threads: 2, arithmetic: 'float32', oracle: true })).toBe('float32-faithful TypeScript oracle on 2 threads');
    expect(ranOnText({ device: 'cpu', threads: 2, arithmetic: 'float64' })).toMatch(/^float64 WebAssembly on 2 threads/);
  });

  it('names what replayed it', () => {
    expect(replayEngine(true)).toMatch(/TypeScript oracle/);
    expect(replayEngine(false)).toBe('Replay: float64 on the CPU engine, in a worker.');
  });
});
