import { describe, expect, it } from 'vitest';
import { axisValues, cellSetup, gridSize } from '../../src/core/grid';
import { SETUP } from '../../src/core/network';
import { randomWeights } from '../../src/core/random';
import { parseSpec, type SweepSpec } from '../../src/core/spec';

function spec(input: object): SweepSpec {
  const r = parseSpec(input);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec;
}
const weightsOf = (s: Float64Array) => Array.from(s.slice(SETUP.w1, SETUP.w1 + 8));

describe('axis values', () => {
  it('log: cell j of n is min·(max/min)^(j/(n−1)), endpoints exact', () => {
    const v = axisValues({ param: 'lr', min: 0.01, max: 100, count: 5, scale: 'log' });
    expect(v[0]).toBe(0.01);
    expect(v[4]).toBe(100);
    [0.01, 0.1, 1, 10, 100].forEach((want, j) => expect(v[j]).toBeCloseTo(want, 12));
  });

  it('linear: cell j of n is min + (max − min)·j/(n−1)', () => {
    expect(axisValues({ param: 't1', min: -1, max: 1, count: 5, scale: 'linear' })).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('a count of 1 gives min; explicit values are kept in order', () => {
    expect(axisValues({ param: 'lr', min: 3, max: 4, count: 1, scale: 'log' })).toEqual([3]);
    expect(axisValues({ param: 'lr', values: [2, 0.1, 1] })).toEqual([2, 0.1, 1]);
  });
});

describe('cells', () => {
  const s = spec({
    lr: 0.5,
    x: { param: 'lr', values: [0.1, 0.2, 0.3] },
    y: { param: 'initScale', values: [1, 2] },
  });

  it('are row-major: index = iy · nx + ix', () => {
    expect(gridSize(s)).toEqual({ nx: 3, ny: 2, cells: 6 });
    const c = cellSetup(s, 4); // ix = 1, iy = 1
    expect(c[SETUP.lrHidden]).toBe(0.2);
    expect(c[SETUP.lrOutput]).toBe(0.2);
    expect(weightsOf(c)).toEqual([0.3, 0.4, 0.5, 0.6, 0.8, 0.9, 1, 1.1]);
  });

  it('take lrHidden alone from an lrHidden axis', () => {
    const c = cellSetup(spec({ lr: 0.7, x: { param: 'lrHidden', values: [3] } }), 0);
    expect([c[SETUP.lrHidden], c[SETUP.lrOutput]]).toEqual([3, 0.7]);
  });

  it('set one weight, input or target from its axis', () => {
    const c = cellSetup(spec({ x: { param: 'w6', values: [-2] }, y: { param: 't2', values: [0.9] } }), 0);
    expect(c[SETUP.w6]).toBe(-2);
    expect(c[SETUP.t2]).toBe(0.9);
    expect(c[SETUP.t1]).toBe(0.5);
  });

  it('draw fresh random weights per seed-axis index, the same for the same (seed, k)', () => {
    const s2 = spec({ x: { param: 'lr', values: [0.1, 1] }, y: { param: 'seed', count: 3 }, init: { distribution: 'normal', scale: 2, seed: 9 } });
    const want = [0, 0, 0, 0, 0, 0, 0, 0];
    randomWeights(s2.init, 2, want);
    expect(weightsOf(cellSetup(s2, 4))).toEqual(want); // iy = 2
    expect(weightsOf(cellSetup(s2, 5))).toEqual(want); // same row, other lr
    expect(weightsOf(cellSetup(s2, 0))).not.toEqual(want);
  });

  it('apply a w axis after a seed axis, and initScale last', () => {
    const s3 = spec({ x: { param: 'w1', values: [5] }, y: { param: 'seed', count: 1 } });
    expect(cellSetup(s3, 0)[SETUP.w1]).toBe(5);
    const s4 = spec({ x: { param: 'w1', values: [5] }, y: { param: 'initScale', values: [3] } });
    expect(cellSetup(s4, 0)[SETUP.w1]).toBe(15);
  });
});

describe('axis values at the edges of float64', () => {
  it('linear −1e308 … 1e308: finite values, evenly spaced (max − min would overflow)', () => {
    const v = axisValues({ param: 'w1', min: -1e308, max: 1e308, count: 5, scale: 'linear' });
    expect(v).toEqual([-1e308, -5e307, 0, 5e307, 1e308]);
  });

  it('log 1e-300 … 1e300: every value finite and within 1e-12 of a power of ten (max / min would overflow)', () => {
    const v = axisValues({ param: 'lr', min: 1e-300, max: 1e300, count: 4, scale: 'log' });
    expect(v.every(Number.isFinite)).toBe(true);
    [1e-300, 1e-100, 1e100, 1e300].forEach((want, j) => expect(Math.abs(v[j] / want - 1)).toBeLessThan(1e-12));
  });

  it('log down to the subnormals: 5e-324 … 1e308 stays finite and positive', () => {
    const v = axisValues({ param: 'lr', min: 5e-324, max: 1e308, count: 64, scale: 'log' });
    expect(v.every((x) => Number.isFinite(x) && x > 0)).toBe(true);
    expect(v.slice(1).every((x, j) => x > v[j])).toBe(true);
  });
});
