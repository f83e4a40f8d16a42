import { describe, expect, it } from 'vitest';
import { atResolution, boundaryPoint, slopeError, viewDimension, zoomAbout } from '../../src/core/paper';
import { allocateOutputs } from '../../src/core/outputs';
import { parseSpec, type SweepSpec } from '../../src/core/spec';
import { fractionOf, type RangeAxis } from '../../src/core/zoom';

function paperSpec(count: number): SweepSpec {
  const r = parseSpec({ network: { kind: 'mlp' }, steps: 20, x: { param: 'lrHidden', min: 1e-3, max: 1e6, count, scale: 'log' }, y: { param: 'lrOutput', min: 1e-3, max: 1e6, count, scale: 'log' } });
  if (!r.ok) throw new Error(r.errors.join());
  return r.spec;
}
/** n × n cells converged (the paper's rule: tail ratio below 1, no divergence) where inside(ix, iy), else diverged at step 3. */
function outputsOf(n: number, inside: (ix: number, iy: number) => boolean) {
  const o = allocateOutputs(n * n);
  for (let i = 0; i < n * n; i++) {
    const c = inside(i % n, Math.floor(i / n));
    o.divergedAt[i] = c ? -1 : 3; o.tailLossRatio[i] = c ? 0.1 : NaN; o.score[i] = c ? -5 : 2;
    o.finalLoss[i] = c ? 0.1 : NaN; o.minLoss[i] = 0.1; o.peakLoss[i] = 1; o.stepsToThreshold[i] = c ? 5 : -1; o.settledAt[i] = c ? 5 : -1;
  }
  return o;
}

describe('the paper command\'s views', () => {
  it('keep the example\'s range at another resolution', () => {
    const s = atResolution(paperSpec(48), 64);
    expect(s.x).toMatchObject({ min: 1e-3, max: 1e6, count: 64 });
    expect(s.y).toMatchObject({ min: 1e-3, max: 1e6, count: 64 });
  });

  it('zoom on the boundary cell nearest the centre, the lowest index among equals', () => {
    // Converged left of column 40 of 64: the boundary is column 39; nearest the centre (0.5, 0.5): rows 31 and 32 tie.
    const inside = Uint8Array.from({ length: 64 * 64 }, (_, i) => Number(i % 64 < 40));
    const p = boundaryPoint(inside, 64, 64)!;
    expect(p.cell).toBe(31 * 64 + 39);
    expect(p.fx).toBeCloseTo(39.5 / 64, 12);
    expect(p.fy).toBeCloseTo(31.5 / 64, 12);
    expect(boundaryPoint(new Uint8Array(64 * 64).fill(1), 64, 64)).toBeUndefined();
    expect(boundaryPoint(new Uint8Array(64 * 64), 64, 64)).toBeUndefined();
  });

  it('make the zoom a quarter as wide in log space, centred on the point, same counts', () => {
    const spec = paperSpec(64), z = zoomAbout(spec, 0.3, 0.6);
    const x = z.x as RangeAxis, y = z.y as RangeAxis, fx = spec.x as RangeAxis, fy = spec.y as RangeAxis;
    expect(x.count).toBe(64);
    // The zoom's plot edges, in the full view's fractions: its cell centres sit half a zoom cell inside them.
    const half = 0.25 / 128;
    expect(fractionOf(fx, x.min) - half).toBeCloseTo(0.3 - 0.125, 9);
    expect(fractionOf(fx, x.max) + half).toBeCloseTo(0.3 + 0.125, 9);
    expect(fractionOf(fy, y.min) - half).toBeCloseTo(0.6 - 0.125, 9);
    // The full view covers 9 · 64/63 decades edge to edge; the zoom a quarter of that, 63/64 of it centre to centre.
    expect(Math.log10(x.max / x.min)).toBeCloseTo(2.25, 9);
  });

  it('measure a straight boundary near 1 with a small fit error, and say why there is none', () => {
    const n = 128, spec = paperSpec(n);
    const d = viewDimension(spec, outputsOf(n, (ix, iy) => ix + iy < n));
    if (!d.estimate || !('error' in d)) throw new Error('no estimate');
    expect(d.estimate.dimension).toBeGreaterThan(0.95);
    expect(d.estimate.dimension).toBeLessThan(1.05);
    expect(d.error).toBeLessThan(0.05);
    expect(viewDimension(paperSpec(48), outputsOf(48, (ix) => ix < 20))).toEqual({ estimate: undefined, why: '48 × 48 cells: box counting needs 64 a side' });
    expect(viewDimension(spec, outputsOf(n, () => true))).toMatchObject({ why: 'no boundary: every cell converged, or none' });
  });

  it('give the slope\'s standard error: 0 on a perfect line, the textbook value otherwise', () => {
    expect(slopeError({ sizes: [2, 4, 8], counts: [64, 16, 4], dimension: 2, intercept: Math.log(256) })).toBeCloseTo(0, 12);
    // x = log(1/s) = −log 2 · (1, 2, 3); y with residuals (+e, −2e, +e) about the fitted line: SE = √(6e² / 1 / (2 log² 2)).
    const e = 0.01, l2 = Math.log(2);
    const counts = [1, 2, 3].map((k, i) => Math.exp(10 - 1.5 * k * l2 + [e, -2 * e, e][i]));
    const fit = boundaryDimensionFit([2, 4, 8], counts);
    expect(slopeError({ sizes: [2, 4, 8], counts, ...fit })).toBeCloseTo(Math.sqrt((6 * e * e) / (2 * l2 * l2)), 9);
  });
});

/** The least-squares slope and intercept of log N against log(1/s), as boundary.ts fits them. */
function boundaryDimensionFit(sizes: number[], counts: number[]) {
  const x = sizes.map((s) => Math.log(1 / s)), y = counts.map(Math.log), mx = x.reduce((a, b) => a + b) / x.length, my = y.reduce((a, b) => a + b) / y.length;
  const slope = x.reduce((s, xi, i) => s + (xi - mx) * (y[i] - my), 0) / x.reduce((s, xi) => s + (xi - mx) ** 2, 0);
  return { dimension: slope, intercept: my - slope * mx };
}
