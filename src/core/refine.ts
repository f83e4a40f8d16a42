/**
 * Progressive refinement: the order in which a view's cells are computed so that a coarse picture appears first and
 * sharpens in passes, each pass computing only cells no earlier pass computed. Pure.
 *
 * Pass 0 computes every cell whose ix and iy are multiples of the coarsest stride S (a power of two); pass p computes
 * the multiples of S / 2^p that are not multiples of S / 2^(p−1); the last pass (stride 1) completes the grid.
 * Until a cell is computed it is drawn with the value of its block's corner (ix − ix mod S, iy − iy mod S) at the finest
 * complete stride S (core/heatmap.ts heatmapPixels).
 */

/** The cell order of a refining run, with where each pass ends in it. */
export interface RefinementPlan {
  nx: number;
  ny: number;
  /** Cell indices (iy · nx + ix) in computation order; a permutation of 0 … nx·ny − 1. */
  order: Int32Array;
  /** Stride of each pass, coarsest first, ending with 1. */
  strides: number[];
  /** Position in `order` where each pass ends (exclusive); the last equals nx · ny. */
  passEnds: number[];
}

/**
 * Plans the passes of an nx × ny view; the first pass has at most `firstPassCells` cells (default 4096, one first
 * GPU tile), so the first picture costs 1/256 of a 1024² view.
 */
export function refinementPlan(nx: number, ny: number, firstPassCells = 4096): RefinementPlan {
  let stride = 1;
  while (Math.ceil(nx / stride) * Math.ceil(ny / stride) > Math.max(1, firstPassCells)) stride *= 2;
  const order = new Int32Array(nx * ny);
  const strides: number[] = [], passEnds: number[] = [];
  let n = 0;
  for (let s = stride; s >= 1; s /= 2) {
    for (let iy = 0; iy < ny; iy += s) {
      for (let ix = 0; ix < nx; ix += s) {
        const inEarlierPass = s < stride && ix % (2 * s) === 0 && iy % (2 * s) === 0;
        if (!inEarlierPass) order[n++] = iy * nx + ix;
      }
    }
    strides.push(s);
    passEnds.push(n);
  }
  return { nx, ny, order, strides, passEnds };
}

/** The stride of the finest pass completed once `cellsDone` cells of the order are done, or undefined before pass 0 ends. */
export function completedStride(plan: RefinementPlan, cellsDone: number): number | undefined {
  let stride: number | undefined;
  plan.passEnds.forEach((end, p) => { if (cellsDone >= end) stride = plan.strides[p]; });
  return stride;
}
