import { describe, expect, it } from 'vitest';
import { boundaryDimension, boundaryMask, boxCounts, linearFit } from '../../src/core/boundary';

/** Rasterizes a closed polygon (even-odd scanline fill at cell centres) into an n × n mask. */
function fillPolygon(points: Array<[number, number]>, n: number): Uint8Array {
  const inside = new Uint8Array(n * n);
  for (let iy = 0; iy < n; iy++) {
    const y = iy + 0.5, xs: number[] = [];
    for (let k = 0; k < points.length; k++) {
      const [x0, y0] = points[k], [x1, y1] = points[(k + 1) % points.length];
      if ((y0 <= y) !== (y1 <= y)) xs.push(x0 + ((y - y0) / (y1 - y0)) * (x1 - x0));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      for (let ix = Math.max(0, Math.ceil(xs[k] - 0.5)); ix < n && ix + 0.5 < xs[k + 1]; ix++) inside[iy * n + ix] = 1;
    }
  }
  return inside;
}

/**
 * The quadric Koch island (Minkowski island) after `levels` refinements: a square whose every edge is replaced by
 * 8 edges of a quarter its length, recursively; its boundary's dimension is log 8 / log 4 = 1.5. Vertices land on
 * integer coordinates when side / 4^levels is a whole number, so power-of-two boxes align with its structure.
 */
function minkowskiIsland(levels: number, side: number, centre: number): Array<[number, number]> {
  const h = side / 2;
  let pts: Array<[number, number]> = [[centre - h, centre - h], [centre + h, centre - h], [centre + h, centre + h], [centre - h, centre + h]];
  // The generator as steps along the edge (u) and across it (v), each a quarter of the edge.
  const generator: Array<[number, number]> = [[1, 0], [0, 1], [1, 0], [0, -1], [0, -1], [1, 0], [0, 1], [1, 0]];
  for (let l = 0; l < levels; l++) {
    const next: Array<[number, number]> = [];
    pts.forEach(([ax, ay], k) => {
      const [bx, by] = pts[(k + 1) % pts.length];
      const ux = (bx - ax) / 4, uy = (by - ay) / 4;
      let x = ax, y = ay;
      for (const [a, b] of generator) { next.push([x, y]); x += a * ux - b * uy; y += a * uy + b * ux; }
    });
    pts = next;
  }
  return pts;
}

describe('box counting', () => {
  it('marks the converged side of an edge and nothing else', () => {
    // 4 × 2: left half converged.
    const inside = Uint8Array.from([1, 1, 0, 0, 1, 1, 0, 0]);
    expect([...boundaryMask(inside, 4, 2)]).toEqual([0, 1, 0, 0, 0, 1, 0, 0]);
    expect(boxCounts(boundaryMask(inside, 4, 2), 4, 2, [1, 2, 4])).toEqual([2, 1, 1]);
  });

  it('fits a line exactly', () => {
    const f = linearFit([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.r2).toBeCloseTo(1, 12);
  });

  it('gives 1 for a straight edge, also a slanted one', () => {
    const n = 512;
    const vertical = Uint8Array.from({ length: n * n }, (_, i) => Number(i % n < 200));
    const v = boundaryDimension(vertical, n, n)!;
    expect(v.dimension).toBeCloseTo(1, 6); // a grid-aligned edge: N(s) = 512 / s exactly
    expect(v.r2).toBeGreaterThan(0.9999);
    const slanted = Uint8Array.from({ length: n * n }, (_, i) => Number((i % n) * 0.37 + Math.floor(i / n) < 300));
    const s = boundaryDimension(slanted, n, n)!;
    expect(Math.abs(s.dimension - 1)).toBeLessThan(0.05);
  });

  it('gives 1 for a disc edge and 2 for a region filled with noise', () => {
    const n = 512;
    const disc = Uint8Array.from({ length: n * n }, (_, i) => Number(((i % n) - 256) ** 2 + (Math.floor(i / n) - 256) ** 2 < 180 ** 2));
    expect(Math.abs(boundaryDimension(disc, n, n)!.dimension - 1)).toBeLessThan(0.05);
    let state = 12345;
    const noise = Uint8Array.from({ length: n * n }, () => { state = (state * 1103515245 + 12345) >>> 0; return state >>> 31; });
    expect(Math.abs(boundaryDimension(noise, n, n)!.dimension - 2)).toBeLessThan(0.02);
  });

  it('gives log 8 / log 4 = 1.5 for the edge of a filled quadric Koch island', () => {
    const n = 2048;
    const inside = fillPolygon(minkowskiIsland(5, 1024, n / 2), n);
    // The generator moves as much area out as in: the island keeps its square's area.
    expect(inside.reduce((a, b) => a + b, 0) / (n * n)).toBe(0.25);
    const d = boundaryDimension(inside, n, n)!;
    expect(d.sizes).toEqual([2, 4, 8, 16, 32, 64, 128, 256]);
    expect(Math.abs(d.dimension - 1.5)).toBeLessThan(0.05);
    expect(d.r2).toBeGreaterThan(0.99);
    // A coarser prefractal (level 3: detail down to 16 cells) is smoother than the fractal below that scale.
    expect(boundaryDimension(fillPolygon(minkowskiIsland(3, 1024, n / 2), n), n, n)!.dimension).toBeLessThan(1.4);
  });

  it('reports nothing without a boundary or for a tiny view', () => {
    expect(boundaryDimension(new Uint8Array(64 * 64), 64, 64)).toBeUndefined();
    expect(boundaryDimension(Uint8Array.from({ length: 256 }, (_, i) => i % 2), 16, 16)).toBeUndefined();
  });
});
