/**
 * The figure of `npm run paper`: the paper's six conditions in one SVG, three panels a row. Each panel shows the full
 * view with the zoom's window outlined and, beside it, the zoom; axes in log10 of the parameters; cells in the
 * paper's colouring (src/core/paper-colour.ts, each view equalised on its own as the notebook's cdf_img does); and the
 * boundary's box-counting dimension at both depths. Pure: the command line renders the PNG from it with resvg.
 */
import { NO_VALUE_COLOR, pixelsOf } from './heatmap';
import { equalizedScores, spectral } from './paper-colour';
import { formatDimension, type PaperViewRow } from './paper-table';
import type { SweepSpec } from './spec';
import { axisTicks } from './ticks';
import { isZoomable, valueAt } from './zoom';
import { svgText as text } from './svg';

/** One view of a panel: its spec, its cells as an image (data: URL, top row = the largest y), its table entry. */
export interface PaperView { spec: SweepSpec; cellsHref: string; row: PaperViewRow }

/** One condition's panel; `full` undefined while it is not computed (a stopped run), `zoom` when it has none. */
export interface PaperPanel {
  title: string;
  /** The network and data in words (networkName). */
  subtitle: string;
  full?: PaperView;
  zoom?: PaperView;
  /** The zoom's window in the full view's plot fractions (x0 < x1, y0 < y1; may reach past 0 … 1). */
  window?: { x0: number; x1: number; y0: number; y1: number };
  /** Said where the zoom would be. */
  zoomWhy?: string;
}

/** RGBA pixels (top row = the largest y) of nx × ny scores in the paper's colouring; cells without a score dark grey. */
export function paperPixels(scores: ArrayLike<number>, nx: number, ny: number): Uint8ClampedArray {
  const y = equalizedScores(scores);
  return pixelsOf(nx, ny, (cell) => (Number.isFinite(y[cell]) ? spectral(y[cell]) : NO_VALUE_COLOR));
}

const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';
const PLOT = 200, GAP = 62, LEFT = 58, PANEL_W = LEFT + PLOT + GAP + PLOT + 24, PANEL_H = 326, TOP = 64, COLUMNS = 3;

/** Size of the figure in SVG units. */
export function paperFigureSize(panels: number): { width: number; height: number } {
  return { width: COLUMNS * PANEL_W + 20, height: TOP + Math.ceil(panels / COLUMNS) * PANEL_H + 46 };
}

/** Ticks of a log axis in log10 units between lo and hi: the roundest step giving 3 to 6 of them. */
export function log10Ticks(lo: number, hi: number): number[] {
  for (const step of [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 3, 5, 10, 20]) {
    const first = Math.ceil(lo / step - 1e-9), last = Math.floor(hi / step + 1e-9);
    if (last - first + 1 <= 6) return Array.from({ length: Math.max(0, last - first + 1) }, (_, k) => Number(((first + k) * step).toFixed(6)));
  }
  return [lo, hi];
}

/** An axis's ticks as plot fractions and labels: log10 of the value on a log axis, the value otherwise. */
function ticksOf(axis: SweepSpec['x']): Array<{ f: number; label: string }> {
  if (!isZoomable(axis) || axis.scale !== 'log') return axisTicks(axis, 4).map((t) => ({ f: t.position, label: t.label }));
  const lo = Math.log10(valueAt(axis, 0)), hi = Math.log10(valueAt(axis, 1));
  return log10Ticks(lo, hi).map((v) => ({ f: (v - lo) / (hi - lo), label: `${Number(v.toFixed(2))}`.replace('-', '−') }));
}

const axisLabel = (axis: SweepSpec['x']) => (isZoomable(axis) && axis.scale === 'log' ? `log₁₀ ${axis.param}` : axis.param);

/** One plot (cells, frame, ticks, labels) with its top-left corner at (x, y). */
function plot(x: number, y: number, view: PaperView, caption: string, window?: PaperPanel['window']): string[] {
  const parts = [
    `<image x="${x}" y="${y}" width="${PLOT}" height="${PLOT}" preserveAspectRatio="none" style="image-rendering:pixelated" href="${view.cellsHref}"/>`,
    `<rect x="${x}" y="${y}" width="${PLOT}" height="${PLOT}" fill="none" stroke="#333" stroke-width="1"/>`,
    text(x + PLOT / 2, y - 6, caption, 'text-anchor="middle" font-size="11" fill="#333"'),
  ];
  for (const t of ticksOf(view.spec.x)) {
    const tx = x + t.f * PLOT;
    parts.push(`<line x1="${tx.toFixed(1)}" y1="${y + PLOT}" x2="${tx.toFixed(1)}" y2="${y + PLOT + 4}" stroke="#333"/>`, text(tx, y + PLOT + 15, t.label, 'text-anchor="middle" font-size="10"'));
  }
  parts.push(text(x + PLOT / 2, y + PLOT + 30, axisLabel(view.spec.x), 'text-anchor="middle" font-size="11"'));
  if (view.spec.y) {
    for (const t of ticksOf(view.spec.y)) {
      const ty = y + (1 - t.f) * PLOT;
      parts.push(`<line x1="${x - 4}" y1="${ty.toFixed(1)}" x2="${x}" y2="${ty.toFixed(1)}" stroke="#333"/>`, text(x - 6, ty + 3.5, t.label, 'text-anchor="end" font-size="10"'));
    }
    parts.push(text(0, 0, axisLabel(view.spec.y), `text-anchor="middle" font-size="11" transform="translate(${x - 40} ${y + PLOT / 2}) rotate(-90)"`));
  }
  if (window) {
    const c = (f: number) => Math.min(1, Math.max(0, f));
    const x0 = x + c(window.x0) * PLOT, x1 = x + c(window.x1) * PLOT, y0 = y + (1 - c(window.y1)) * PLOT, y1 = y + (1 - c(window.y0)) * PLOT;
    parts.push(`<rect x="${x0.toFixed(1)}" y="${y0.toFixed(1)}" width="${(x1 - x0).toFixed(1)}" height="${(y1 - y0).toFixed(1)}" fill="none" stroke="#000" stroke-width="1.5"/>`,
      `<rect x="${(x0 - 1).toFixed(1)}" y="${(y0 - 1).toFixed(1)}" width="${(x1 - x0 + 2).toFixed(1)}" height="${(y1 - y0 + 2).toFixed(1)}" fill="none" stroke="#fff" stroke-width="0.8"/>`);
  }
  return parts;
}

/** A grey box where a view is missing, with why. */
function missing(x: number, y: number, why: string): string[] {
  return [`<rect x="${x}" y="${y}" width="${PLOT}" height="${PLOT}" fill="#eee" stroke="#bbb"/>`, text(x + PLOT / 2, y + PLOT / 2, why, 'text-anchor="middle" font-size="11" fill="#666"')];
}

/** The figure as SVG text: `title` on top, the panels three a row, the colour key at the bottom. */
export function paperFigureSvg(title: string, subtitle: string, panels: PaperPanel[]): string {
  const { width, height } = paperFigureSize(panels.length);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12" fill="#222">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    text(20, 28, title, 'font-size="18" font-weight="bold"'),
    text(20, 48, subtitle, 'font-size="12" fill="#555"'),
  ];
  panels.forEach((p, i) => {
    const px = 10 + (i % COLUMNS) * PANEL_W, py = TOP + Math.floor(i / COLUMNS) * PANEL_H;
    parts.push(text(px + LEFT, py + 14, `${String.fromCharCode(97 + i)}) ${p.title}`, 'font-size="14" font-weight="bold"'), text(px + LEFT, py + 30, p.subtitle, 'font-size="10.5" fill="#555"'));
    const ax = px + LEFT, bx = ax + PLOT + GAP, y = py + 52;
    parts.push(...(p.full ? plot(ax, y, p.full, 'full view', p.window) : missing(ax, y, 'not computed')));
    parts.push(...(p.zoom ? plot(bx, y, p.zoom, 'zoom: ¼ width about a boundary point') : missing(bx, y, p.zoomWhy ?? 'not computed')));
    const d = (v?: PaperView) => (v ? formatDimension(v.row).replace(/ \(.*\)$/, '') : '–');
    const why = [...new Set([p.full?.row.why, p.zoom?.row.why].filter(Boolean))].join('; ');
    parts.push(text(px + LEFT, y + PLOT + 52, `box-counting D: full ${d(p.full)}, zoom ${d(p.zoom)}`, 'font-size="12.5"'));
    if (why) parts.push(text(px + LEFT, y + PLOT + 67, `(${why})`, 'font-size="10.5" fill="#666"'));
  });
  // The colour key: Spectral from −1 (red) to +1 (blue), each sign histogram-equalised apart, a gap around 0.
  const ky = height - 30, kx = 20, kw = 260;
  parts.push('<defs><linearGradient id="spectral">', ...Array.from({ length: 11 }, (_, k) => `<stop offset="${k / 10}" stop-color="rgb(${spectral(-1 + k / 5).join(',')})"/>`), '</linearGradient></defs>');
  parts.push(`<rect x="${kx}" y="${ky}" width="${kw}" height="12" fill="url(#spectral)" stroke="#999" stroke-width="0.5"/>`,
    text(kx + kw + 10, ky + 10, 'red … orange: not converged; green … blue: converged (deepest blue: the lowest summed loss); the paper\'s colouring of its score, each sign histogram-equalised per view', 'font-size="11" fill="#444"'));
  parts.push('</svg>');
  return parts.join('\n');
}
