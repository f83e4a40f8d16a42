/**
 * The boundary between converged and not-converged cells, and its fractal dimension by box counting. Pure.
 *
 * The boundary is the converged cells with a not-converged cell among their 8 neighbours (one cell thick). Box counting: N(s) =
 * the number of s × s boxes of the grid that hold a boundary cell, for s = 2, 4, 8, … up to an eighth of the view
 * (size 1 is left out: a digital curve's staircase inflates it); the dimension is the slope of log N(s) against
 * log(1/s), fitted by least squares. On test shapes (test/core/boundary.test.ts) straight edges and circles come
 * out within 0.05 of 1 and a quadric Koch island within 0.05 of log 8 / log 4 = 1.5.
 */

/**
 * 1 where a converged cell has a not-converged cell among its 8 neighbours; `inside` is 1 for converged cells, nx · ny
 * row-major. Using 8 neighbours makes the marked cells a 4-connected path: a digital line of W columns and H rows marks
 * about W + H cells, as many as its boxes at large sizes suggest ((W + H) / s), so small boxes are not undercounted.
 */
export function boundaryMask(inside: Uint8Array, nx: number, ny: number): Uint8Array {
  const mask = new Uint8Array(nx * ny);
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      if (!inside[iy * nx + ix]) continue;
      search: for (let y = Math.max(0, iy - 1); y <= Math.min(ny - 1, iy + 1); y++) {
        for (let x = Math.max(0, ix - 1); x <= Math.min(nx - 1, ix + 1); x++) {
          if (!inside[y * nx + x]) { mask[iy * nx + ix] = 1; break search; }
        }
      }
    }
  }
  return mask;
}

/** Box counts N(s): how many s × s boxes (aligned at cell 0, partial boxes at the far edges included) hold a marked cell. */
export function boxCounts(mask: Uint8Array, nx: number, ny: number, sizes: number[]): number[] {
  return sizes.map((s) => {
    const bx = Math.ceil(nx / s), by = Math.ceil(ny / s);
    const hit = new Uint8Array(bx * by);
    let n = 0;
    for (let iy = 0; iy < ny; iy++) {
      const row = Math.floor(iy / s) * bx;
      for (let ix = 0; ix < nx; ix++) {
        if (!mask[iy * nx + ix]) continue;
        const b = row + Math.floor(ix / s);
        if (!hit[b]) { hit[b] = 1; n++; }
      }
    }
    return n;
  });
}

/** A box-counting estimate. */
export interface DimensionEstimate {
  /** Box sizes s, in cells. */
  sizes: number[];
  /** N(s) for each size. */
  counts: number[];
  /** Least-squares slope of log N against log(1/s): the box-counting dimension. */
  dimension: number;
  /** The fit's intercept: log N(s) ≈ intercept + dimension · log(1/s) (natural logarithms). */
  intercept: number;
  /** Coefficient of determination of the fit (1 = the points lie on a line). */
  r2: number;
  /** Cells on the boundary. */
  boundaryCells: number;
}

/**
 * Estimates the box-counting dimension of the converged/not-converged boundary. Sizes run from 2 to an eighth of
 * the smaller side (at least 8 boxes across), so a 256² view fits 5 points. Undefined when there is no boundary or
 * the view is smaller than 64 cells a side (fewer than 3 sizes: 2, 4, 8).
 */
export function boundaryDimension(inside: Uint8Array, nx: number, ny: number): DimensionEstimate | undefined {
  const sizes: number[] = [];
  for (let s = 2; s <= Math.min(nx, ny) / 8; s *= 2) sizes.push(s);
  if (sizes.length < 3) return undefined;
  const mask = boundaryMask(inside, nx, ny);
  const boundaryCells = mask.reduce((n, v) => n + v, 0);
  if (boundaryCells === 0) return undefined;
  const counts = boxCounts(mask, nx, ny, sizes);
  const { slope, intercept, r2 } = linearFit(sizes.map((s) => Math.log(1 / s)), counts.map((n) => Math.log(n)));
  return { sizes, counts, dimension: slope, intercept, r2, boundaryCells };
}

/** Least-squares line y = a + slope·x, with R². */
export function linearFit(x: number[], y: number[]): { slope: number; intercept: number; r2: number } {
  const n = x.length, mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; syy += (y[i] - my) ** 2; }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}
