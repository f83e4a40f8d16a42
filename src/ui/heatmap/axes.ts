/**
 * The heatmap's frame: its plot area inside the canvas (MARGIN, used by the tests and the dive as well), the axes with
 * ticks in the axes' units, the colorbar of a metric and the legend of a categorical map.
 */
import { gridSize } from '../../core/grid';
import { barColor, barTicks, barTitle, classSwatches, scaleSwatches, type HeatmapScale } from '../../core/heatmap';
import type { SweepSpec } from '../../core/spec';
import { axisTicks } from '../../core/ticks';

/** Plot area inside the heatmap canvas, in CSS pixels from each edge (canvases NARROW_BELOW wide or more). */
export const MARGIN = { left: 72, right: 120, top: 14, bottom: 52 };
/**
 * The margins of a narrower canvas (a phone's), the least that still holds the y ticks' labels left of the plot and,
 * right of it, the colour bar with its rotated label (centred 100 px right of the plot): the plot keeps the width.
 */
const NARROW_MARGIN = { ...MARGIN, left: 60, right: 108 };
/** Canvases narrower than this many CSS pixels take NARROW_MARGIN. */
export const NARROW_BELOW = 400;

/** The plot area of a canvas of cssW × cssH CSS pixels: its corner (x, y) and size (w, h). */
export interface PlotRect { x: number; y: number; w: number; h: number; cssW: number; cssH: number }

export function plotRectOf(canvas: HTMLCanvasElement): PlotRect {
  const w = canvas.clientWidth || canvas.width, h = canvas.clientHeight || canvas.height;
  const m = w < NARROW_BELOW ? NARROW_MARGIN : MARGIN;
  return { x: m.left, y: m.top, w: w - m.left - m.right, h: h - m.top - m.bottom, cssW: w, cssH: h };
}

/** The axes of `spec`: a frame, ticks at cell centres and the parameters' names. */
export function drawAxes(ctx: CanvasRenderingContext2D, p: PlotRect, spec: SweepSpec): void {
  const { nx, ny } = gridSize(spec);
  ctx.fillStyle = '#222';
  ctx.strokeStyle = '#222';
  ctx.lineWidth = 1;
  ctx.font = '12px system-ui, sans-serif';
  ctx.strokeRect(p.x - 0.5, p.y - 0.5, p.w + 1, p.h + 1);
  // Tick positions are fractions between the first and last cell centers.
  const xAt = (t: number) => p.x + (p.w / nx) * (0.5 + t * (nx - 1));
  const yAt = (t: number) => p.y + p.h - (p.h / ny) * (0.5 + t * (ny - 1));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const tick of axisTicks(spec.x)) {
    const x = xAt(tick.position);
    ctx.beginPath(); ctx.moveTo(x, p.y + p.h); ctx.lineTo(x, p.y + p.h + 5); ctx.stroke();
    ctx.fillText(tick.label, x, p.y + p.h + 7);
  }
  ctx.font = '13px system-ui, sans-serif';
  ctx.fillText(`${spec.x.param}${'scale' in spec.x ? ` (${spec.x.scale})` : ''} →`, p.x + p.w / 2, p.y + p.h + 26);
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  if (!spec.y) return;
  for (const tick of axisTicks(spec.y)) {
    const y = yAt(tick.position);
    ctx.beginPath(); ctx.moveTo(p.x - 5, y); ctx.lineTo(p.x, y); ctx.stroke();
    ctx.fillText(tick.label, p.x - 7, y);
  }
  ctx.save();
  ctx.translate(16, p.y + p.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.font = '13px system-ui, sans-serif';
  ctx.fillText(`${spec.y.param}${'scale' in spec.y ? ` (${spec.y.scale})` : ''} →`, 0, 0);
  ctx.restore();
}

/**
 * The colorbar of `scale` right of the plot, with swatches below it for the cells it has no colour for (diverged,
 * never, not run) and, when `outlined`, the Compare outline; the class map's legend for a categorical scale.
 */
export function drawColorbar(ctx: CanvasRenderingContext2D, p: PlotRect, scale: HeatmapScale, outlined = false): void {
  const swatches = scaleSwatches(scale, outlined);
  const x = p.x + p.w + 22, w = 16, top = p.y, h = Math.max(40, p.h - 16 * swatches.length - 6);
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#222';
  if (scale.kind === 'categorical') {
    drawLegend(ctx, p, classSwatches(scale, outlined));
    return;
  }
  for (let i = 0; i < h; i++) {
    const [r, g, b] = barColor(scale, 1 - i / (h - 1));
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(x, top + i, w, 1.5);
  }
  ctx.strokeStyle = '#222';
  ctx.strokeRect(x - 0.5, top - 0.5, w + 1, h + 1);
  ctx.fillStyle = '#222';
  for (const tick of barTicks(scale)) ctx.fillText(tick.label, x + w + 5, top + h - tick.position * h);
  swatches.forEach(([label, rgb], k) => {
    const y = top + h + 8 + 16 * k;
    ctx.fillStyle = `rgb(${rgb.join(',')})`;
    ctx.fillRect(x, y, w, 11);
    ctx.fillStyle = '#222';
    ctx.fillText(label, x + w + 5, y + 6);
  });
  ctx.save();
  ctx.translate(x + w + 62, top + h / 2);
  ctx.rotate(Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(barTitle(scale), 0, 0);
  ctx.restore();
}

/** A categorical legend: one swatch and label per entry, right of the plot (long labels wrap before their last word). */
export function drawLegend(ctx: CanvasRenderingContext2D, p: PlotRect, entries: Array<[string, readonly [number, number, number]]>): void {
  const x = p.x + p.w + 22, w = 16;
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  let y = p.y;
  for (const [label, [r, g, b]] of entries) {
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(x, y, w, 16);
    ctx.fillStyle = '#222';
    const words = label.split(' '), lines = words.length > 1 && label.length > 11 ? [words.slice(0, -1).join(' '), words.at(-1)!] : [label];
    lines.forEach((line, k) => ctx.fillText(line, x + w + 5, y + 8 + k * 14));
    y += 12 + 14 * lines.length;
  }
}
