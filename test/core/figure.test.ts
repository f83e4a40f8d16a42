import { describe, expect, it } from 'vitest';
import { emptyMetricNote, figureSvg, specLine } from '../../src/core/figure';
import { heatmapScale } from '../../src/core/heatmap';
import { allocateOutputs, setCell } from '../../src/core/outputs';
import { parseSpec, type SweepSpec } from '../../src/core/spec';

function spec(input: object): SweepSpec {
  const r = parseSpec(input);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.spec;
}
const lr = { param: 'lr', min: 0.1, max: 10, count: 4, scale: 'log' };
const init = { param: 'initScale', min: 0.5, max: 2, count: 3 };

describe('a figure\'s subtitle', () => {
  it('names only settings not on an axis, and the convergence rule', () => {
    expect(specLine(spec({ x: lr, y: init }), 'cpu')).toBe('era-v1, sigmoid, 1000 steps, threshold 0.0001; converged: ends below the threshold; cpu');
    expect(specLine(spec({ x: init, lr: 2 }), 'cpu')).toMatch(/, lr 2; /);
    expect(specLine(spec({ x: { ...lr, param: 'lrHidden' }, lrOutput: 3, convergence: 'tail-mean' }), 'gpu')).toBe("era-v1, sigmoid, 1000 steps, threshold 0.0001, lrOutput 3; converged: the fractal paper's rule; gpu");
    expect(specLine(spec({ x: { ...lr, param: 'lrHidden' }, y: { ...lr, param: 'lrOutput' } }), 'cpu')).not.toMatch(/\blr/);
    expect(specLine(spec({ x: lr, y: { param: 'momentum', min: 0, max: 0.9, count: 3 }, momentum: 0.5 }), 'cpu')).not.toMatch(/momentum/);
    expect(specLine(spec({ x: lr, replicas: { count: 64 }, init: { distribution: 'normal' } }), 'cpu')).toBe('era-v1, sigmoid, 1000 steps, threshold 0.0001, 64 replicas a cell (common normal draws); converged: ends below the threshold; cpu');
  });
});

describe('an empty step map', () => {
  const o = allocateOutputs(3);
  for (let i = 0; i < 2; i++) setCell(o, i, { finalLoss: 0.3, minLoss: 0.3, peakLoss: 0.4, tailLossRatio: 1, score: 100, stepsToThreshold: -1, settledAt: -1, divergedAt: -1 });

  it('says that no cell diverged (or reached the threshold) instead of a grey field', () => {
    expect(emptyMetricNote(o, 'divergedAt')).toBe('no cell diverged');
    expect(emptyMetricNote(o, 'stepsToThreshold')).toBe('no cell reached the threshold');
    expect(emptyMetricNote(o, 'finalLoss')).toBeUndefined();
    const s = spec({ x: { ...lr, count: 3 } });
    expect(figureSvg({ spec: s, scale: heatmapScale(o, 'divergedAt', s), cellsHref: 'data:,', computedBy: 'cpu', note: emptyMetricNote(o, 'divergedAt') })).toMatch(/>no cell diverged</);
  });

  it('says nothing while no cell is computed, or when one cell has the event', () => {
    expect(emptyMetricNote(allocateOutputs(3), 'divergedAt')).toBeUndefined();
    const one = allocateOutputs(1);
    setCell(one, 0, { finalLoss: NaN, minLoss: 0.3, peakLoss: 9, tailLossRatio: NaN, score: 0.5, stepsToThreshold: -1, settledAt: -1, divergedAt: 4 });
    expect(emptyMetricNote(one, 'divergedAt')).toBeUndefined();
  });
});
