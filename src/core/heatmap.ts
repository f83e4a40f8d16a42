/**
 * Heatmap pixels from sweep outputs: a perceptual colormap (viridis, from d3-scale-chromatic) on a log scale for
 * losses and a linear one for step counts, the paper's colouring for its score (score-scale.ts), and a categorical map
 * of the cell classes. Pure: the page and the command line draw the same pixels.
 */
import { interpolateViridis } from 'd3-scale-chromatic';
import type { ScoreRanks } from './paper-colour';
import { SCORE_BAR_TITLE, scoreBarColor, scoreColor, scoreScale, scoreTicks } from './score-scale';
import { scaleTicks, type Tick } from './ticks';
import { classesOf, classOf, DEFAULT_CONVERGENCE, isComputed, OUTPUT_NAMES, outputArray, outputRow, REPLICA_OUTPUT_NAMES, type AnyOutputName, type CellClass, type ConvergenceRule, type SweepOutputs } from './outputs';
import { replicaCount, type SweepSpec } from './spec';

/** What a heatmap can show: any output (OUTPUTS rows, a replica sweep's REPLICA_OUTPUTS rows), or the class map. */
export type HeatmapMetric = AnyOutputName | 'class';
export const HEATMAP_METRICS: HeatmapMetric[] = [...OUTPUT_NAMES, ...REPLICA_OUTPUT_NAMES, 'class'];

/**
 * The metrics a sweep of `spec` has: a replica sweep's summaries first (pConverged leads), then replica 0's outputs and
 * its class; a plain sweep's outputs and the class map.
 */
export function metricsOf(spec: Pick<SweepSpec, 'replicas'>): HeatmapMetric[] {
  return spec.replicas ? [...REPLICA_OUTPUT_NAMES, ...OUTPUT_NAMES, 'class'] : [...OUTPUT_NAMES, 'class'];
}

/** Whether a cell of a replica row is computed (its counts are set); any other row: isComputed. */
const rowComputed = (outputs: SweepOutputs, metric: AnyOutputName, index: number) =>
  ((REPLICA_OUTPUT_NAMES as readonly string[]).includes(metric) ? (outputs.replicasConverged?.[index] ?? -1) >= 0 : isComputed(outputs, index));

/** Colors of the class map and of cells without a value, as [r, g, b]. */
export const CLASS_COLORS: Record<CellClass, [number, number, number]> = {
  converged: [53, 183, 121], left: [240, 170, 40], stalled: [110, 110, 120], diverged: [220, 60, 50],
};
/** Cells not computed (yet). */
export const NO_VALUE_COLOR: [number, number, number] = [40, 40, 48];
/** The outline of cells whose class differs between float32 and float64 (after Compare): magenta. */
export const OUTLINE_COLOR: [number, number, number] = [255, 0, 212];
/** Computed cells that never reach a step metric's event (stalled for stepsToThreshold, not diverged for divergedAt). */
export const NEVER_COLOR: [number, number, number] = [214, 214, 206];

/**
 * How values map to colors: [min, max] on a log10 or linear scale ([1, 1] when no cell has a value); values outside
 * take the end colours (the legend says "below" and "above" when `below`/`above` cells exist). A class map names the
 * convergence rule its classes are under. The score is 'equalized': coloured by its rank among the view's scores
 * (`ranks`), [min, max] its lowest and highest score; such a scale belongs to its view (fixing it across views means
 * nothing).
 */
export interface HeatmapScale {
  metric: HeatmapMetric;
  kind: 'log' | 'linear' | 'categorical' | 'equalized';
  min: number;
  max: number;
  /** Some cells' values lie below min (above max): drawn in the end colour, and said in the legend. */
  below?: boolean;
  above?: boolean;
  /** Categorical only: the rule of the classes (default ends-below). */
  rule?: ConvergenceRule;
  /** Equalized only: the ranks of the view's scores. */
  ranks?: ScoreRanks;
}

/**
 * The lowest value a default log scale spans, so that what matters is not squeezed into one band by float64's
 * round-off of converged cells (1e-33 …): a decade below the threshold for losses, three decades below the
 * fractal rule's line at 1 for ratios. Values below draw in the bottom colour, labelled "below".
 */
export function defaultFloor(metric: AnyOutputName, threshold: number): number {
  return outputRow(metric).scale === 'ratio' ? 1e-3 : threshold / 10;
}

const VIRIDIS: Array<[number, number, number]> = Array.from({ length: 256 }, (_, i) => {
  const hex = interpolateViridis(i / 255);
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
});

/** The viridis color at t ∈ [0, 1]. */
export function viridis(t: number): [number, number, number] {
  return VIRIDIS[Math.max(0, Math.min(255, Math.round(t * 255)))];
}

function hasValue(metric: AnyOutputName, v: number): boolean {
  const kind = outputRow(metric).scale;
  return kind === 'steps' || kind === 'probability' || kind === 'count' ? v >= 0 : Number.isFinite(v) && v > 0;
}

/**
 * The default scale for `metric` over the outputs: the class map under the spec's rule; steps 0 … steps; losses and
 * ratios on log10 from max(smallest positive value, defaultFloor) to the largest finite value (the whole positive
 * range when every value lies below the floor), with exact zeros and smaller values drawn as "below".
 */
export function heatmapScale(outputs: SweepOutputs, metric: HeatmapMetric, spec: Pick<SweepSpec, 'steps' | 'threshold' | 'convergence' | 'replicas'>): HeatmapScale {
  if (metric === 'class') return { metric, kind: 'categorical', min: 0, max: 2, rule: spec.convergence };
  const values = outputArray(outputs, metric) ?? new Float64Array(0), kind = outputRow(metric).scale;
  if (kind === 'score') return scoreScale(values as Float64Array);
  if (kind === 'steps') return { metric, kind: 'linear', min: 0, max: spec.steps };
  if (kind === 'probability') return { metric, kind: 'linear', min: 0, max: 1 };
  if (kind === 'count') return { metric, kind: 'linear', min: 0, max: replicaCount(spec as SweepSpec) };
  let min = Infinity, max = -Infinity, zeros = false;
  for (const v of values) {
    if (v === 0) zeros = true;
    else if (hasValue(metric, v)) { if (v < min) min = v; if (v > max) max = v; }
  }
  if (min > max) return { metric, kind: 'log', min: 1, max: 1, below: zeros };
  const floor = defaultFloor(metric, spec.threshold);
  const lo = max > floor ? Math.max(min, floor) : min;
  return { metric, kind: 'log', min: lo, max, below: zeros || min < lo };
}

/**
 * The scale a view draws in: `locked` (the user's "lock colours", or a link's scale) where it is of the same metric
 * and kind as the scale fitted to the view, else `fitted` (a link's log scale for the score, whose colours are ranks,
 * does not apply).
 */
export const lockedOrFitted = (locked: HeatmapScale | undefined, fitted: HeatmapScale): HeatmapScale =>
  (locked?.metric === fitted.metric && locked.kind === fitted.kind ? locked : fitted);

/** The RGB color of one cell under `scale`. */
export function cellColor(outputs: SweepOutputs, index: number, scale: HeatmapScale): [number, number, number] {
  if (scale.metric === 'class') {
    if (!isComputed(outputs, index)) return NO_VALUE_COLOR;
    return CLASS_COLORS[classOf(outputs, index, scale.rule ?? DEFAULT_CONVERGENCE)];
  }
  const v = outputArray(outputs, scale.metric)?.[index] ?? NaN;
  if (scale.kind === 'equalized') return scoreColor(scale.ranks!, v) ?? (isComputed(outputs, index) ? CLASS_COLORS.diverged : NO_VALUE_COLOR);
  if (scale.kind === 'log' && v === 0) return viridis(0);
  if (!hasValue(scale.metric, v)) {
    // No value: not computed, diverged (a loss it never had, a threshold it never reached), or never (stalled; not
    // diverged). A replica summary without a value (a median over no replica) is "never".
    if (!rowComputed(outputs, scale.metric, index)) return NO_VALUE_COLOR;
    return (REPLICA_OUTPUT_NAMES as readonly string[]).includes(scale.metric) || outputs.divergedAt[index] < 0 ? NEVER_COLOR : CLASS_COLORS.diverged;
  }
  const t = scale.kind === 'log'
    ? (Math.log10(scale.max) > Math.log10(scale.min) ? (Math.log10(v) - Math.log10(scale.min)) / (Math.log10(scale.max) - Math.log10(scale.min)) : 0.5)
    : scale.max > scale.min ? (v - scale.min) / (scale.max - scale.min) : 0.5;
  return viridis(t);
}

/** A refinement in progress: which cells are computed, and the stride of the finest complete pass (see core/refine). */
export interface RefinementFill { computed: Uint8Array; stride: number | undefined }

/**
 * RGBA pixels (4 bytes per pixel) of an nx × ny heatmap, one pixel per cell, top row = the largest y (so y grows
 * upwards as on a plot), left column = the first x. With a refinement `fill`, a cell not yet computed shows its block
 * corner's color (see core/refine.ts) — copied from that pixel, so a coarse picture of a million cells costs
 * little more than coloring its computed cells.
 */
export function heatmapPixels(outputs: SweepOutputs, nx: number, ny: number, scale: HeatmapScale, fill?: RefinementFill): Uint8ClampedArray {
  if (!fill) return pixelsOf(nx, ny, (cell) => cellColor(outputs, cell, scale));
  const { computed, stride } = fill;
  const rgba = new Uint8ClampedArray(nx * ny * 4);
  const words = new Uint32Array(rgba.buffer);
  const [r0, g0, b0] = NO_VALUE_COLOR;
  words.fill(new Uint32Array(Uint8ClampedArray.from([r0, g0, b0, 255]).buffer)[0]);
  // Computed cells first (their own colors), then every other cell copies its block corner's pixel.
  for (let iy = 0, cell = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++, cell++) {
      if (!computed[cell]) continue;
      const [r, g, b] = cellColor(outputs, cell, scale), p = ((ny - 1 - iy) * nx + ix) * 4;
      rgba[p] = r; rgba[p + 1] = g; rgba[p + 2] = b;
    }
  }
  if (stride === undefined) return rgba;
  for (let iy = 0, cell = 0; iy < ny; iy++) {
    const row = (ny - 1 - iy) * nx, sourceRow = (ny - 1 - (iy - (iy % stride))) * nx;
    for (let ix = 0; ix < nx; ix++, cell++) if (!computed[cell]) words[row + ix] = words[sourceRow + ix - (ix % stride)];
  }
  return rgba;
}

/** Recolors only `cells` (cell indices) of `rgba`, pixels laid out as heatmapPixels: for cells that just arrived. */
export function paintCells(rgba: Uint8ClampedArray, outputs: SweepOutputs, nx: number, ny: number, scale: HeatmapScale, cells: ArrayLike<number>): void {
  for (let k = 0; k < cells.length; k++) {
    const cell = cells[k], ix = cell % nx, iy = (cell - ix) / nx;
    const [r, g, b] = cellColor(outputs, cell, scale);
    const p = ((ny - 1 - iy) * nx + ix) * 4;
    rgba[p] = r; rgba[p + 1] = g; rgba[p + 2] = b; rgba[p + 3] = 255;
  }
}

/** RGBA pixels of an nx × ny grid from a per-cell color, laid out as heatmapPixels. */
export function pixelsOf(nx: number, ny: number, color: (cell: number) => readonly [number, number, number]): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(nx * ny * 4);
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const [r, g, b] = color(iy * nx + ix);
      const p = ((ny - 1 - iy) * nx + ix) * 4;
      rgba[p] = r; rgba[p + 1] = g; rgba[p + 2] = b; rgba[p + 3] = 255;
    }
  }
  return rgba;
}

/** The class map's legend: its rule's classes, not run, and the Compare outline when drawn. */
export function classSwatches(scale: HeatmapScale, outlined: boolean): Array<[string, readonly [number, number, number]]> {
  return [
    ...classesOf(scale.rule ?? DEFAULT_CONVERGENCE).map((c) => [c === 'left' ? 'left (ended above)' : c, CLASS_COLORS[c]] as [string, [number, number, number]]),
    ['not run', NO_VALUE_COLOR],
    ...(outlined ? [['class differs', OUTLINE_COLOR] as [string, [number, number, number]]] : []),
  ];
}

/** The colour at fraction t ∈ [0, 1] of a colour bar (bottom to top): viridis, or Spectral for the score. */
export const barColor = (scale: HeatmapScale, t: number): [number, number, number] => (scale.kind === 'equalized' ? scoreBarColor(t) : viridis(t));

/** A colour bar's ticks: decades or round values (scaleTicks), or for the score raw scores at their ranks (scoreTicks). */
export function barTicks(scale: HeatmapScale, target?: number): Tick[] {
  if (scale.kind === 'equalized') return scoreTicks(scale.ranks!);
  // Replica counts are whole: 0, the middle when whole (R even), R; for R < 5 every count.
  if (scale.metric !== 'class' && outputRow(scale.metric).scale === 'count' && scale.kind === 'linear' && scale.min === 0 && Number.isInteger(scale.max) && scale.max > 0) {
    const R = scale.max, at = R < 5 ? Array.from({ length: R + 1 }, (_, k) => k) : [0, ...(R % 2 ? [] : [R / 2]), R];
    return at.map((k) => ({ position: k / R, label: String(k) }));
  }
  return scaleTicks(scale as HeatmapScale & { kind: 'log' | 'linear' }, target);
}

/** A colour bar's title: "finalLoss (log10)", "stepsToThreshold (steps)", or the score's SCORE_BAR_TITLE. */
export function barTitle(scale: HeatmapScale): string {
  if (scale.kind === 'equalized') return SCORE_BAR_TITLE;
  if (scale.kind === 'log') return `${scale.metric} (log10)`;
  const kind = scale.metric === 'class' ? 'steps' : outputRow(scale.metric).scale;
  return `${scale.metric} (${kind === 'probability' ? '0 … 1' : kind === 'count' ? 'replicas' : 'steps'})`;
}

/**
 * The legend entries for cells a colour scale has no colour for: below and above its range (drawn in its end
 * colours), diverged (not for the score, whose colour says it), never (step metrics), not run, and the Compare outline when drawn. One list for the page's
 * colour bar and the exported figure.
 */
export function scaleSwatches(scale: HeatmapScale, outlined: boolean): Array<[string, readonly [number, number, number]]> {
  const value = (v: number) => (scale.kind === 'log' ? v.toExponential(0).replace('e+', 'e') : String(v));
  // A replica summary is never "diverged" (its counts say how many did); probabilities and counts always have a value.
  const replicaRow = (REPLICA_OUTPUT_NAMES as readonly string[]).includes(scale.metric);
  const always = scale.metric !== 'class' && ['probability', 'count'].includes(outputRow(scale.metric).scale);
  return [
    ...(scale.below ? [[`below ${value(scale.min)}`, viridis(0)] as [string, [number, number, number]]] : []),
    ...(scale.above ? [[`above ${value(scale.max)}`, viridis(1)] as [string, [number, number, number]]] : []),
    ...(scale.kind === 'equalized' || replicaRow ? [] : [['diverged', CLASS_COLORS.diverged] as [string, [number, number, number]]]), // the score colours them
    ...(scale.kind === 'linear' && !always ? [['never', NEVER_COLOR] as [string, [number, number, number]]] : []),
    ['not run', NO_VALUE_COLOR],
    ...(outlined ? [['class differs', OUTLINE_COLOR] as [string, [number, number, number]]] : []),
  ];
}
