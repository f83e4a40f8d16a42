/**
 * A 1-D replica sweep's P(converged) against its axis with the Wilson 95% interval as a band (pure geometry): the
 * points, the band's outline and its SVG paths. The page's canvas (src/ui/heatmap/band.ts) and the exported figure
 * (figure.ts) draw the same shapes.
 */
import type { HeatmapMetric } from './heatmap';
import type { SweepOutputs } from './outputs';
import type { Tick } from './ticks';

/** One computed cell of the band: its index along x, pConverged and its interval's bounds (all 0 … 1). */
export interface BandPoint { i: number; p: number; low: number; high: number }

/** The metrics drawn as the band (the probability and its bounds). */
const BAND_METRICS: readonly HeatmapMetric[] = ['pConverged', 'pConvergedLow', 'pConvergedHigh'];

/** Whether a view of `metric` over `outputs` with `ny` rows is drawn as the band: a 1-D replica sweep's probability. */
export const showsBand = (outputs: SweepOutputs, ny: number, metric: HeatmapMetric): boolean =>
  ny === 1 && outputs.pConvergedLow !== undefined && BAND_METRICS.includes(metric);

/**
 * The band's points in runs of neighbouring computed cells (a cell not run yet, whose pConverged is NaN, ends a run),
 * left to right over the first `nx` cells.
 */
export function bandRuns(outputs: SweepOutputs, nx: number): BandPoint[][] {
  const runs: BandPoint[][] = [];
  let run: BandPoint[] = [];
  for (let i = 0; i < nx; i++) {
    const p = outputs.pConverged![i];
    if (!(p >= 0)) { if (run.length) runs.push(run); run = []; continue; }
    run.push({ i, p, low: outputs.pConvergedLow![i], high: outputs.pConvergedHigh![i] });
  }
  if (run.length) runs.push(run);
  return runs;
}

/**
 * A run's band as a closed outline in plot coordinates: along the upper bounds left to right, then back along the lower
 * bounds; a run of one cell is a box `halfWidth` either side of its centre.
 */
export function bandOutline(run: BandPoint[], xOf: (i: number) => number, yOf: (p: number) => number, halfWidth: number): Array<[number, number]> {
  if (run.length === 1) {
    const { i, low, high } = run[0], x = xOf(i);
    return [[x - halfWidth, yOf(high)], [x + halfWidth, yOf(high)], [x + halfWidth, yOf(low)], [x - halfWidth, yOf(low)]];
  }
  return [...run.map((q): [number, number] => [xOf(q.i), yOf(q.high)]), ...[...run].reverse().map((q): [number, number] => [xOf(q.i), yOf(q.low)])];
}

const round = (v: number) => Number(v.toFixed(2));

/** SVG path data of the band (one closed subpath per run) and of the P(converged) curve (one open subpath per run). */
export function bandPaths(runs: BandPoint[][], xOf: (i: number) => number, yOf: (p: number) => number, halfWidth: number): { band: string; curve: string } {
  const path = (points: Array<[number, number]>) => points.map(([x, y], j) => `${j ? 'L' : 'M'}${round(x)} ${round(y)}`).join(' ');
  return {
    band: runs.map((run) => `${path(bandOutline(run, xOf, yOf, halfWidth))} Z`).join(' '),
    curve: runs.map((run) => path(run.map((q) => [xOf(q.i), yOf(q.p)]))).join(' '),
  };
}

/** The y ticks of a probability axis: 0, 0.2, … 1 at their fractions of the axis. */
export const probabilityTicks = (): Tick[] => [0, 1, 2, 3, 4, 5].map((j) => ({ position: j / 5, label: String(j / 5) }));

/** The band's colours: the interval's fill and the curve. */
export const BAND_FILL = 'rgba(36, 86, 199, 0.22)';
export const BAND_LINE = '#2456c7';

/** The band as SVG for a plot at (x, y) of w × h: grid lines and y ticks 0 … 1, the band, the curve and its points. */
export function bandSvg(outputs: SweepOutputs, nx: number, plot: { x: number; y: number; w: number; h: number }): string[] {
  const xOf = (i: number) => plot.x + ((i + 0.5) / nx) * plot.w, yOf = (p: number) => plot.y + (1 - p) * plot.h;
  const runs = bandRuns(outputs, nx), { band, curve } = bandPaths(runs, xOf, yOf, Math.max(1, plot.w / nx / 4));
  const parts = probabilityTicks().flatMap((t) => {
    const ty = round(yOf(t.position));
    return [`<line x1="${plot.x}" y1="${ty}" x2="${plot.x + plot.w}" y2="${ty}" stroke="#ddd"/>`,
      `<line x1="${plot.x - 5}" y1="${ty}" x2="${plot.x}" y2="${ty}" stroke="#222"/>`,
      `<text x="${plot.x - 8}" y="${ty + 4}" text-anchor="end">${t.label}</text>`];
  });
  parts.push(`<path class="band" d="${band}" fill="${BAND_FILL}" stroke="none"/>`, `<path class="curve" d="${curve}" fill="none" stroke="${BAND_LINE}" stroke-width="1.5"/>`);
  const r = Math.max(1.5, Math.min(3.5, plot.w / nx / 2));
  for (const q of runs.flat()) parts.push(`<circle cx="${round(xOf(q.i))}" cy="${round(yOf(q.p))}" r="${r}" fill="${BAND_LINE}"/>`);
  return parts;
}
