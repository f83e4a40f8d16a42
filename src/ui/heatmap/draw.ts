/**
 * What the heatmap view paints over (or instead of) its cells: the Compare outline, the marks of the inspected cell, the
 * pinned cells and the keyboard's cursor, labels, and a 1-D sweep's curve with its y ticks.
 */
import { BAND_FILL, bandOutline, bandRuns, probabilityTicks, showsBand } from '../../core/band';
import { barTicks, type HeatmapScale } from '../../core/heatmap';
import { outputArray, type AnyOutputName, type OutputName, type SweepOutputs } from '../../core/outputs';
import type { PlotRect } from './axes';


/**
 * A ring around one cell, black and white so that it shows on any colour (dashed: the keyboard's cursor); at height
 * `y` when given (a 1-D sweep's point on its curve: curveY).
 */
export function drawMark(ctx: CanvasRenderingContext2D, p: PlotRect, nx: number, ny: number, cell: number, dashed: boolean, y?: number): void {
  const cw = p.w / nx, ch = p.h / ny;
  const cx = p.x + ((cell % nx) + 0.5) * cw, cy = y ?? p.y + (ny - 0.5 - Math.floor(cell / nx)) * ch;
  const r = y === undefined ? Math.max(6, Math.min(cw, ch) / 2 + 3) : Math.max(6, Math.min(cw / 2, 6) + 3); // around a point: its size
  ctx.setLineDash(dashed ? [4, 3] : []);
  for (const [color, width] of [['#000', 4], ['#fff', 2]] as const) {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.strokeRect(cx - r, cy - r, 2 * r, 2 * r);
  }
  ctx.setLineDash([]);
}

/** A cell's pin on the map: where it is, its colour and its number (1 … 8). */
export interface PinMark { cell: number; color: string; label: string }

/**
 * A pinned cell: a ring in its colour, edged in black so it shows on any cell colour, round and within about its own
 * cell where the inspected cell's and the cursor's marks are square and around it, so all three show on one cell and
 * pins on neighbouring cells stay apart (they touch below 8-pixel cells, where the ring keeps a 3-pixel radius); its
 * number beside it where cells leave room for one (16 pixels or more).
 */
export function drawPin(ctx: CanvasRenderingContext2D, p: PlotRect, nx: number, ny: number, pin: PinMark, y?: number): void {
  const cw = p.w / nx, ch = p.h / ny, size = Math.min(cw, ch);
  const cx = p.x + ((pin.cell % nx) + 0.5) * cw, cy = y ?? p.y + (ny - 0.5 - Math.floor(pin.cell / nx)) * ch;
  const r = pinRadius(cw, ch), width = Math.min(4, Math.max(2, size / 5));
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, 2 * Math.PI);
  for (const [color, w] of [['#000', width + 1.5], [pin.color, width]] as const) {
    ctx.strokeStyle = color;
    ctx.lineWidth = w;
    ctx.stroke();
  }
  if (size < 16) return;
  ctx.font = 'bold 12px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.lineWidth = 3;
  ctx.strokeStyle = '#000';
  ctx.strokeText(pin.label, cx + r + 3, cy - r);
  ctx.fillStyle = '#fff';
  ctx.fillText(pin.label, cx + r + 3, cy - r);
}

/** The radius of a pin's ring (the middle of its stroke), in CSS pixels, for cells cw × ch pixels: at least 3. */
export const pinRadius = (cw: number, ch: number) => Math.max(3, 0.3 * Math.min(cw, ch));

/** A label in the plot's top-left corner (or `down` pixels lower), white on dark. */
export function drawNote(ctx: CanvasRenderingContext2D, p: PlotRect, text: string, down = 0): void {
  ctx.font = '13px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  const w = ctx.measureText(text).width + 16;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.72)';
  ctx.fillRect(p.x + 6, p.y + 6 + down, w, 22);
  ctx.fillStyle = '#fff';
  ctx.fillText(text, p.x + 14, p.y + 21 + down);
}

/** Outlines (or, when cells are small, fills) the flagged cells in magenta. */
export function drawOutline(ctx: CanvasRenderingContext2D, p: PlotRect, nx: number, ny: number, flags: Uint8Array): void {
  const cw = p.w / nx, ch = p.h / ny;
  ctx.strokeStyle = '#ff00d4';
  ctx.fillStyle = 'rgba(255, 0, 212, 0.85)';
  ctx.lineWidth = 1.5;
  flags.forEach((flag, i) => {
    if (!flag) return;
    const x = p.x + (i % nx) * cw, y = p.y + (ny - 1 - Math.floor(i / nx)) * ch;
    if (cw >= 4 && ch >= 4) ctx.strokeRect(x + 0.75, y + 0.75, cw - 1.5, ch - 1.5);
    else ctx.fillRect(x, y, Math.max(cw, 2), Math.max(ch, 2));
  });
}

/**
 * A 1-D sweep's metric as a curve over x: each cell a point in its colour at its value (log or linear, the colour
 * bar's range; drawLineTicks labels it), joined by a line; a cell without a value (diverged, never, not run) is a tick of its
 * colour along the bottom. A replica sweep's probability (showsBand) has its Wilson 95% interval as a band under the curve.
 */
export function drawLine(ctx: CanvasRenderingContext2D, p: PlotRect, outputs: SweepOutputs, scale: HeatmapScale, rgba: Uint8ClampedArray, nx: number): void {
  ctx.fillStyle = '#fff';
  ctx.fillRect(p.x, p.y, p.w, p.h);
  const log = scale.kind === 'log';
  // An exact 0 on a log scale sits on its own line below the scale (labelled 0 by drawLineTicks).
  const onScale = lineY(p, scale), yOf = (v: number) => (log && v === 0 ? zeroLine(p) : onScale(v));
  const xOf = (i: number) => p.x + ((i + 0.5) / nx) * p.w;
  if (showsBand(outputs, 1, scale.metric)) drawBand(ctx, p, outputs, nx, xOf, onScale);
  const values = outputs[scale.metric as OutputName];
  const hasValue = (v: number) => (log ? Number.isFinite(v) && v >= 0 : v >= 0);
  ctx.strokeStyle = '#2456c7';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  let drawing = false;
  for (let i = 0; i < nx; i++) {
    if (!hasValue(values[i])) { drawing = false; continue; }
    if (drawing) ctx.lineTo(xOf(i), yOf(values[i])); else ctx.moveTo(xOf(i), yOf(values[i]));
    drawing = true;
  }
  ctx.stroke();
  const r = Math.max(1.5, Math.min(4, p.w / nx / 2));
  for (let i = 0; i < nx; i++) {
    ctx.fillStyle = `rgb(${rgba[i * 4]},${rgba[i * 4 + 1]},${rgba[i * 4 + 2]})`;
    if (hasValue(values[i])) { ctx.beginPath(); ctx.arc(xOf(i), yOf(values[i]), r, 0, 2 * Math.PI); ctx.fill(); }
    else ctx.fillRect(xOf(i) - Math.max(1, p.w / nx / 2), p.y + p.h - 8, Math.max(2, p.w / nx), 8);
  }
}

/** The band of a replica sweep's probability (src/core/band.ts), with grid lines at the y ticks. */
function drawBand(ctx: CanvasRenderingContext2D, p: PlotRect, outputs: SweepOutputs, nx: number, xOf: (i: number) => number, yOf: (v: number) => number): void {
  ctx.strokeStyle = '#e2e2e2';
  ctx.lineWidth = 1;
  for (const t of probabilityTicks()) { const y = Math.round(lineAt(p, t.position)) + 0.5; ctx.beginPath(); ctx.moveTo(p.x, y); ctx.lineTo(p.x + p.w, y); ctx.stroke(); }
  ctx.fillStyle = BAND_FILL;
  for (const run of bandRuns(outputs, nx)) {
    ctx.beginPath();
    bandOutline(run, xOf, yOf, Math.max(1, p.w / nx / 4)).forEach(([x, y], j) => (j ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
    ctx.closePath();
    ctx.fill();
  }
}

/** The height of cell `cell`'s point on a 1-D sweep's curve (as drawLine puts it), or undefined where it has none. */
export function curveY(p: PlotRect, outputs: SweepOutputs, scale: HeatmapScale, cell: number): number | undefined {
  const v = outputArray(outputs, scale.metric as AnyOutputName)?.[cell], log = scale.kind === 'log';
  if (v === undefined || !(log ? Number.isFinite(v) && v >= 0 : v >= 0)) return undefined;
  return log && v === 0 ? zeroLine(p) : lineY(p, scale)(v);
}

/** The y position of a value on a 1-D sweep's curve (log or linear over the scale's range, clear of the bottom ticks). */
export function lineY(p: PlotRect, scale: HeatmapScale): (v: number) => number {
  const log = scale.kind === 'log';
  const lo = log ? Math.log10(scale.min) : scale.min, hi = log ? Math.log10(scale.max) : scale.max;
  return (v: number) => lineAt(p, ((log ? Math.log10(v) : v) - lo) / (hi - lo || 1));
}

/** Where exact zeros go on a log-scaled curve: below the scale, a label's height clear of its bottom. */
const zeroLine = (p: PlotRect) => p.y + p.h - 14;

/** The y position of a fraction 0 … 1 of a curve's value axis (0 sits LABEL_GAP above the zero line). */
const lineAt = (p: PlotRect, fraction: number) => p.y + 10 + (1 - fraction) * (p.h - 40);

/** Whether a curve shows pConverged or a bound of its interval: ticks 0, 0.2 … 1 and the axis named. */
const isProbability = (scale: HeatmapScale) => scale.metric.startsWith('pConverged');

/** The least distance in CSS pixels between the centres of two y labels (12 px text). */
export const LABEL_GAP = 16;

/**
 * The y labels of a 1-D sweep's curve: the colour scale's ticks at their heights and, on a log scale, "0" on the zero
 * line. A tick whose label would come within LABEL_GAP of one already placed (the 0 first, then from the bottom up) is
 * left out, so no two labels overlap however short the plot. Pure.
 */
export function lineTickLabels(p: PlotRect, scale: HeatmapScale): Array<{ y: number; label: string }> {
  const placed = scale.kind === 'log' ? [{ y: zeroLine(p), label: '0' }] : [];
  for (const tick of isProbability(scale) ? probabilityTicks() : barTicks(scale, 6)) {
    const y = lineAt(p, tick.position);
    if (placed.every((q) => Math.abs(q.y - y) >= LABEL_GAP)) placed.push({ y, label: tick.label });
  }
  return placed;
}

/** The y labels of a 1-D sweep's curve (lineTickLabels). */
export function drawLineTicks(ctx: CanvasRenderingContext2D, p: PlotRect, scale: HeatmapScale): void {
  ctx.fillStyle = '#222';
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const { y, label } of lineTickLabels(p, scale)) ctx.fillText(label, p.x - 6, y);
  if (!isProbability(scale)) return;
  ctx.save(); // the probability's axis is named: its colour bar may be far off on a phone
  ctx.translate(14, p.y + p.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText('P(converged)', 0, 0);
  ctx.restore();
}
