/**
 * The fractal paper's reproduction (`npm run paper`): its six conditions (Sohl-Dickstein 2024, arXiv 2402.06184, as
 * examples/paper-*.json), each swept over its full view and over a zoom a quarter as wide (in the axes' log space)
 * centred on a point of its converged / not-converged boundary, at the same resolution; and each view's box-counting
 * dimension with the standard error of its fit. Pure: src/cli/paper.ts runs the sweeps and writes the files.
 */
import { boundaryDimension, boundaryMask, type DimensionEstimate } from './boundary';
import { gridSize } from './grid';
import { classOf, type SweepOutputs } from './outputs';
import type { SweepSpec } from './spec';
import { isZoomable, zoomSpec } from './zoom';

/** A condition of the paper: its name (examples/paper-<name>.json) and a panel title. */
export interface PaperCondition { name: string; title: string }

/** The six conditions of the paper's figure 1, in its order. */
export const PAPER_CONDITIONS: readonly PaperCondition[] = [
  { name: 'tanh', title: 'tanh, full batch' },
  { name: 'relu', title: 'ReLU, full batch' },
  { name: 'identity', title: 'identity (linear), full batch' },
  { name: 'minibatch', title: 'tanh, minibatch 16' },
  { name: 'single-point', title: 'tanh, a single data point' },
  { name: 'offset', title: 'tanh, weight offset × lr' },
];

/**
 * What the paper reports of the boundary's dimension: only a range over its conditions (about 1.17 to 1.98; neither
 * its text nor the notebook of github.com/Sohl-Dickstein/fractal ties a value to a condition we could cite).
 */
export const PAPER_DIMENSION_RANGE = { min: 1.17, max: 1.98, source: 'arXiv 2402.06184: between about 1.17 and 1.98 across its conditions (not given per condition)' } as const;

/** Box counting needs at least this many cells a side (box sizes 2, 4 and 8, each at most an eighth of the view). */
export const DIMENSION_MIN_SIDE = 64;

/** The zoom is this fraction of the full view's width and height (in the axes' own scale: log for the paper's). */
export const ZOOM_FRACTION = 0.25;

/** `spec` with each range axis at `size` cells over the same min and max (a value list or seed axis unchanged). */
export function atResolution(spec: SweepSpec, size: number): SweepSpec {
  const resize = <A extends SweepSpec['x'] | null>(a: A): A => (isZoomable(a) ? { ...a, count: size } : a);
  return { ...spec, x: resize(spec.x), y: resize(spec.y) };
}

/** 1 for cells converged under the spec's rule (for the paper's "tail-mean": score < 0), nx · ny row-major. */
export function convergedCells(outputs: SweepOutputs, spec: SweepSpec): Uint8Array {
  return Uint8Array.from(outputs.divergedAt, (_, i) => Number(classOf(outputs, i, spec.convergence) === 'converged'));
}

/**
 * The boundary cell (boundaryMask: a converged cell with a not-converged neighbour) nearest the view's centre, as
 * plot fractions of its centre (cell j of n covers [j/n, (j+1)/n]); the lowest cell index among equally near ones.
 * Undefined when the view has no boundary.
 */
export function boundaryPoint(inside: Uint8Array, nx: number, ny: number): { fx: number; fy: number; cell: number } | undefined {
  const mask = boundaryMask(inside, nx, ny);
  let best: { fx: number; fy: number; cell: number } | undefined, bestD = Infinity;
  for (let cell = 0; cell < mask.length; cell++) {
    if (!mask[cell]) continue;
    const fx = ((cell % nx) + 0.5) / nx, fy = (Math.floor(cell / nx) + 0.5) / ny;
    const d = (fx - 0.5) ** 2 + (fy - 0.5) ** 2;
    if (d < bestD) { bestD = d; best = { fx, fy, cell }; }
  }
  return best;
}

/**
 * The zoom of `spec` about plot fractions (fx, fy): a window ZOOM_FRACTION as wide and high, centred there (it may
 * reach past the full view's edges), with the same cell counts.
 */
export function zoomAbout(spec: SweepSpec, fx: number, fy: number): SweepSpec {
  const h = ZOOM_FRACTION / 2;
  return zoomSpec(spec, { x0: fx - h, x1: fx + h, y0: fy - h, y1: fy + h });
}

/** A view's dimension: the estimate and its standard error, or why there is none. */
export type ViewDimension = { estimate: DimensionEstimate; error: number } | { estimate: undefined; why: string };

/**
 * The box-counting dimension of a complete view's boundary (src/core/boundary.ts) and the standard error of the fitted
 * slope (√(Σ residual² / (k − 2) / Σ (log(1/s) − mean)²) over its k box sizes), or why there is none.
 */
export function viewDimension(spec: SweepSpec, outputs: SweepOutputs): ViewDimension {
  const { nx, ny } = gridSize(spec);
  if (Math.min(nx, ny) < DIMENSION_MIN_SIDE) return { estimate: undefined, why: `${nx} × ${ny} cells: box counting needs ${DIMENSION_MIN_SIDE} a side` };
  const estimate = boundaryDimension(convergedCells(outputs, spec), nx, ny);
  if (!estimate) return { estimate: undefined, why: 'no boundary: every cell converged, or none' };
  return { estimate, error: slopeError(estimate) };
}

/** The standard error of an estimate's slope (0 with fewer than 3 box sizes: no residual freedom). */
export function slopeError(e: Pick<DimensionEstimate, 'sizes' | 'counts' | 'dimension' | 'intercept'>): number {
  const k = e.sizes.length;
  if (k < 3) return 0;
  const x = e.sizes.map((s) => Math.log(1 / s)), y = e.counts.map((n) => Math.log(n));
  const mx = x.reduce((a, b) => a + b, 0) / k;
  const residual = x.reduce((sum, xi, i) => sum + (y[i] - e.intercept - e.dimension * xi) ** 2, 0);
  const sxx = x.reduce((sum, xi) => sum + (xi - mx) ** 2, 0);
  return Math.sqrt(residual / (k - 2) / sxx);
}
