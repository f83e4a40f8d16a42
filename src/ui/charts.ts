/** Loss and weight curves with uPlot: log-scaled losses, one color per series. */
import { schemeTableau10 } from 'd3-scale-chromatic';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { logAxisTicks, type LogTick } from '../core/ticks';

export const SERIES_COLORS = schemeTableau10;

/** The chart in each target, so that a new one destroys the old (uPlot keeps window listeners until destroy()). */
const charts = new WeakMap<HTMLElement, uPlot>();

/** Empties `target`, destroying the chart it held, and, given `make`, puts the new chart there. */
export function replaceChart(target: HTMLElement, make?: (target: HTMLElement) => uPlot): uPlot | undefined {
  charts.get(target)?.destroy();
  charts.delete(target);
  target.replaceChildren();
  if (!make) return undefined;
  const chart = make(target);
  charts.set(target, chart);
  return chart;
}

export interface CurveSeries {
  label: string; values: ArrayLike<number>; color: string; dashed?: boolean;
  /** Line width in CSS pixels (default 2, dashed 1.5). */
  width?: number;
  /** Left out of the legend (a twin of another series). */
  hideLegend?: boolean;
}

/** A cross drawn over a chart at step x and value y (its top edge when y is missing or off a log axis). */
export interface ChartMarker { x: number; y?: number; color: string }

/** Draws `markers` as crosses, edged in white so they show over lines (a uPlot draw hook). */
function drawMarkers(u: uPlot, markers: ChartMarker[], log: boolean): void {
  const ctx = u.ctx, r = 4 * uPlot.pxRatio, top = u.bbox.top + r + 1;
  for (const m of markers) {
    const x = u.valToPos(m.x, 'x', true);
    const y = m.y !== undefined && (!log || m.y > 0) && Number.isFinite(m.y) ? u.valToPos(log ? Math.log10(m.y) : m.y, 'y', true) : top;
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    for (const [color, width] of [['#fff', 3.5], [m.color, 1.75]] as const) {
      ctx.strokeStyle = color;
      ctx.lineWidth = width * uPlot.pxRatio;
      ctx.beginPath();
      ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r);
      ctx.moveTo(x + r, y - r); ctx.lineTo(x - r, y + r);
      ctx.stroke();
    }
  }
}

/**
 * Draws curves over x = firstX … firstX + n − 1 (default 0: step k) into `target` (replacing what was there). A log axis plots log10 of the values on a
 * linear scale, labelled by logAxisTicks (at least 3 ticks: decades, or 2e-1, 5e-1 … within a decade; uPlot's own log
 * scale loops forever below about 1e-16, and losses reach 1e-33 and exactly 0); non-positive values are gaps there.
 * `markers` are crosses over the curves, placed by x value (after a setData that gives the real x values).
 */
export function drawCurves(target: HTMLElement, title: string, series: CurveSeries[], options: { log: boolean; yLabel: string; height?: number; xLabel?: string; firstX?: number; points?: boolean; wholeX?: boolean; markers?: ChartMarker[] }): uPlot {
  replaceChart(target);
  const n = series[0]?.values.length ?? 0;
  const clean = (v: number) => (!Number.isFinite(v) ? null : options.log ? (v > 0 ? Math.log10(v) : null) : v);
  let logTicks: LogTick[] = []; // this draw's y ticks, from splits to values (uPlot calls them in that order)
  const data = [Array.from({ length: n }, (_, k) => k + (options.firstX ?? 0)), ...series.map((s) => Array.from(s.values, clean))] as uPlot.AlignedData;
  const chart = replaceChart(target, (into) => new uPlot({
    title,
    width: Math.max(320, target.clientWidth - 8),
    height: options.height ?? 300,
    scales: { x: { time: false } },
    axes: [{ label: options.xLabel ?? 'step k', ...(options.wholeX ? { incrs: [1, 2, 5, 10, 20, 50, 100] } : {}) }, {
      label: options.yLabel, size: 70,
      ...(options.log ? {
        // One label per 28 CSS pixels of plot height at most.
        splits: (u: uPlot, _axis: number, lo: number, hi: number) => (logTicks = logAxisTicks(lo, hi, Math.floor(u.bbox.height / uPlot.pxRatio / 28))).map((t) => t.log10),
        values: () => logTicks.map((t) => t.label),
      } : { values: (_u: uPlot, ticks: number[]) => ticks.map((v) => (v == null ? '' : String(Number(v.toPrecision(3))))) }),
    }],
    legend: { live: false },
    ...(options.markers?.length ? { hooks: { draw: [(u: uPlot) => drawMarkers(u, options.markers!, options.log)] } } : {}),
    series: [{ label: 'k' }, ...series.map((s) => ({ label: s.label, stroke: s.color, width: s.width ?? (s.dashed ? 1.5 : 2), dash: s.dashed ? [4, 4] : undefined, points: { show: options.points ?? false } }))],
  }, data, into))!;
  const rows = chart.root.querySelectorAll<HTMLElement>('.u-legend .u-series');
  const offset = rows.length - series.length; // the x series has a row too, unless uPlot left it out
  series.forEach((s, i) => { if (s.hideLegend && rows[i + offset]) rows[i + offset].style.display = 'none'; });
  return chart;
}
