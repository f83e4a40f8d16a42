import { describe, expect, it } from 'vitest';
import { parseSpec, type SweepSpec } from '../../src/core/spec';
import { axisValues } from '../../src/core/grid';
import { axisResolutions, fractionOf, isZoomable, rectAround, shiftedRect, valueAt, zoomProblem, zoomSequence, zoomSpec, type RangeAxis, type ViewRect } from '../../src/core/zoom';

function spec(input: Record<string, unknown>): SweepSpec {
  const r = parseSpec(input);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.spec;
}
const view = spec({ x: { param: 'lr', min: 0.01, max: 100, count: 256, scale: 'log' }, y: { param: 'initScale', min: -2, max: 2, count: 128, scale: 'linear' } });

describe('zoom', () => {
  it('maps plot fractions to axis values at cell centres, and back', () => {
    const x = view.x as RangeAxis;
    expect(valueAt(x, 0.5 / 256)).toBeCloseTo(0.01, 15);
    expect(valueAt(x, 255.5 / 256) / 100).toBeCloseTo(1, 14);
    expect(fractionOf(x, valueAt(x, 0.3))).toBeCloseTo(0.3, 14);
    expect(valueAt(view.y as RangeAxis, 0.5)).toBeCloseTo(0, 14);
  });

  it('keeps the counts and puts the new cell centres inside the rectangle', () => {
    const z = zoomSpec(view, { x0: 0.25, x1: 0.5, y0: 0.5, y1: 0.75 });
    const x = z.x as RangeAxis, y = z.y as RangeAxis;
    expect(x.count).toBe(256);
    expect(y.count).toBe(128);
    // The new first and last cell centres sit half a new cell inside the rectangle's edges.
    expect(fractionOf(view.x as RangeAxis, x.min)).toBeCloseTo(0.25 + 0.25 / 512, 12);
    expect(fractionOf(view.x as RangeAxis, x.max)).toBeCloseTo(0.5 - 0.25 / 512, 12);
    expect(fractionOf(view.y as RangeAxis, y.min)).toBeCloseTo(0.5 + 0.25 / 256, 12);
    expect(fractionOf(view.y as RangeAxis, y.max)).toBeCloseTo(0.75 - 0.25 / 256, 12);
    // Zooming into the whole plot is the identity.
    const same = zoomSpec(view, { x0: 0, x1: 1, y0: 0, y1: 1 });
    expect((same.x as RangeAxis).min).toBeCloseTo(0.01, 14);
    expect((same.y as RangeAxis).max).toBeCloseTo(2, 14);
  });

  it('zooms about a point and pans by a fraction of the view', () => {
    const close = (r: ViewRect, want: ViewRect) => { for (const k of ['x0', 'x1', 'y0', 'y1'] as const) expect(r[k]).toBeCloseTo(want[k], 14); };
    close(rectAround(0.2, 0.7, 2), { x0: 0.1, x1: 0.6, y0: 0.35, y1: 0.85 });
    close(rectAround(0.5, 0.5, 0.5), { x0: -0.5, x1: 1.5, y0: -0.5, y1: 1.5 });
    const panned = zoomSpec(view, shiftedRect(0.1, 0));
    expect(axisValues(panned.x)[0]).toBeCloseTo(valueAt(view.x as RangeAxis, 0.1 + 0.5 / 256), 14);
  });

  it('leaves seed and value axes alone and refuses what float64 cannot resolve', () => {
    const seeded = spec({ x: { param: 'lr', min: 0.1, max: 10, count: 64, scale: 'log' }, y: { param: 'seed', count: 8 } });
    expect(isZoomable(seeded.y)).toBe(false);
    expect(zoomSpec(seeded, { x0: 0, x1: 0.5, y0: 0, y1: 0.5 }).y).toEqual(seeded.y);
    const values = spec({ x: { param: 'lr', values: [1, 2, 3] } });
    expect(zoomProblem(values, { x0: 0, x1: 0.5, y0: 0, y1: 1 })).toMatch(/no range axis/);
    const narrow = spec({ x: { param: 'lr', min: 1, max: 1 + 1e-14, count: 64, scale: 'linear' } });
    expect(zoomProblem(narrow, { x0: 0.4, x1: 0.41, y0: 0, y1: 1 })).toMatch(/float64/);
    expect(zoomProblem(view, { x0: 0.4, x1: 0.41, y0: 0, y1: 1 })).toBeUndefined();
  });

  it('measures how many float32 and float64 steps lie between neighbouring cells', () => {
    // lr from 1 to 1 + 255 · 2^-23 over 256 cells: one float32 ulp per cell.
    const tight = spec({ x: { param: 'lr', min: 1, max: 1 + 255 * 2 ** -23, count: 256, scale: 'linear' } });
    const [r] = axisResolutions(tight, 'float32');
    expect(r.ulpsPerCell).toBeCloseTo(1, 9);
    expect(axisResolutions(tight, 'float64')[0].ulpsPerCell).toBeCloseTo(2 ** 29, 0);
    // The sheet-scale log view is far from the limit.
    expect(axisResolutions(view, 'float32')[0].ulpsPerCell).toBeGreaterThan(1e5);
    // A log axis across a power of two: the worst point is 2 itself (mantissa 1), not either end.
    const across = spec({ x: { param: 'lr', min: 1.9, max: 2.1, count: 256, scale: 'log' } });
    expect(axisResolutions(across, 'float32')[0].ulpsPerCell).toBeCloseTo((Math.exp(Math.log(2.1 / 1.9) / 255) - 1) * 2 ** 23, 3);
    const inside = spec({ x: { param: 'lr', min: 1.5, max: 1.6, count: 256, scale: 'log' } });
    expect(axisResolutions(inside, 'float32')[0].ulpsPerCell).toBeCloseTo((Math.exp(Math.log(1.6 / 1.5) / 255) - 1) * 2 ** 23 * 1.5, 3);
    // Near 2 on a linear axis the float32 spacing doubles: the end with the larger magnitude counts.
    const wide = spec({ x: { param: 'w1', min: 1.5, max: 2.5, count: 2 ** 22 / 1024, scale: 'linear' } });
    expect(axisResolutions(wide, 'float32')[0].ulpsPerCell).toBeCloseTo((1 / (4096 - 1)) / 2 * 2 ** 23, 6);
  });

  it('makes zoom-movie frames that close in on a fixed point', () => {
    const frames = zoomSequence(view, 0.3, 0.6, 5, 2, 64);
    expect(frames).toHaveLength(5);
    const target = valueAt(view.x as RangeAxis, 0.3);
    frames.forEach((f, k) => {
      const x = f.x as RangeAxis;
      expect(x.count).toBe(64);
      expect(fractionOf(x, target)).toBeCloseTo(0.3, 10); // the point stays where it is on screen
      // The base view's cells cover log(100 / 0.01) · 256/255 (edge to edge); 64 cells' centres span 63/64 of that.
      expect(Math.log(x.max / x.min)).toBeCloseTo((Math.log(100 / 0.01) * (256 / 255) * (63 / 64)) / 2 ** k, 8);
    });
  });
});

describe('zooming out of the arithmetic', () => {
  it('stops where the axis values leave float32’s normal range, and float64’s', async () => {
    const { zoomProblem, rectAround } = await import('../../src/core/zoom');
    const { parseSpec } = await import('../../src/core/spec');
    const r = parseSpec({ x: { param: 'lr', min: 1e-30, max: 1e30, count: 64, scale: 'log' } });
    if (!r.ok) throw new Error(r.errors.join());
    const out4 = rectAround(0.5, 0.5, 0.25);
    expect(zoomProblem(r.spec, out4, 'float32')).toMatch(/x: this zoom takes lr to 1\.0e-120 … 1\.0e\+120, beyond float32's range .* Use float64 to go further/);
    expect(zoomProblem(r.spec, out4, 'float64')).toBeUndefined();
    expect(zoomProblem(r.spec, rectAround(0.5, 0.5, 2), 'float32')).toBeUndefined();
  });
});
