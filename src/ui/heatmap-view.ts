/**
 * The heatmap canvas: one crisp block per cell (nearest-neighbour scaling at device resolution), axis ticks in the
 * axes' units, a colorbar with its legend, a hover readout and click-to-inspect. Optionally outlines the cells where
 * float32 and float64 disagree, shows an A/B difference map instead of a metric, and takes zoom
 * gestures: drag a rectangle, scroll about the pointer, Shift-drag to pan (reported as a rectangle in plot fractions).
 */
import { DIFF_CLASSES, DIFF_COLORS } from '../core/diff';
import { gridSize } from '../core/grid';
import { CLASS_COLORS, heatmapPixels, heatmapScale, NO_VALUE_COLOR, paintCells, pixelsOf, viridis, type HeatmapMetric, type HeatmapScale, type RefinementFill } from '../core/heatmap';
import type { SweepOutputs } from '../core/outputs';
import type { SweepSpec } from '../core/spec';
import { rectAround, shiftedRect, type ViewRect } from '../core/zoom';
import { axisTicks, formatTickValue } from './ticks';

/** Pointer travel, in CSS pixels, below which a press counts as a click rather than a drag. */
const DRAG_THRESHOLD = 5;
/** Quiet time after the last wheel event before a scroll zoom is applied, in ms. */
const WHEEL_SETTLE_MS = 300;

type Gesture = { kind: 'zoom' | 'pan'; x0: number; y0: number; x1: number; y1: number };

/** Plot area inside the canvas, in CSS pixels. */
const MARGIN = { left: 72, right: 120, top: 14, bottom: 52 };

export class HeatmapView {
  private spec: SweepSpec | undefined;
  private outputs: SweepOutputs | undefined;
  private fill: RefinementFill | undefined;
  private diff: Uint8Array | undefined;
  private disagreement: Uint8Array | undefined;
  private scale: HeatmapScale | undefined;
  private cells: OffscreenCanvas | undefined;
  private image: ImageData | undefined;
  private gesture: Gesture | undefined;
  private wheel: { fx: number; fy: number; factor: number; timer: ReturnType<typeof setTimeout> } | undefined;
  metric: HeatmapMetric = 'finalLoss';
  /** Called with the plot-fraction rectangle of a zoom or pan gesture; unset = no gestures. */
  onZoom: ((rect: ViewRect) => void) | undefined;

  constructor(readonly canvas: HTMLCanvasElement, onHover: (cell: number | undefined) => void, onClick: (cell: number) => void) {
    canvas.addEventListener('mousemove', (e) => {
      onHover(this.cellAt(e));
      if (this.gesture && this.onZoom) { [this.gesture.x1, this.gesture.y1] = this.plotPoint(e); this.paint(); }
    });
    canvas.addEventListener('mouseleave', () => onHover(undefined));
    canvas.addEventListener('mousedown', (e) => {
      if (!this.spec || e.button !== 0) return;
      const [x, y] = this.plotPoint(e);
      this.gesture = { kind: e.shiftKey ? 'pan' : 'zoom', x0: x, y0: y, x1: x, y1: y };
      e.preventDefault();
    });
    window.addEventListener('mouseup', (e) => {
      const g = this.gesture;
      if (!g) return;
      this.gesture = undefined;
      const p = this.plotRect();
      const moved = Math.hypot((g.x1 - g.x0) * p.w, (g.y1 - g.y0) * p.h) >= DRAG_THRESHOLD;
      if (!moved) { this.paint(); const cell = this.cellAt(e); if (cell !== undefined) onClick(cell); return; }
      if (!this.onZoom) { this.paint(); return; }
      const clamp = (v: number) => Math.min(1, Math.max(0, v));
      const rect = g.kind === 'pan' ? shiftedRect(g.x0 - g.x1, g.y0 - g.y1)
        : { x0: clamp(Math.min(g.x0, g.x1)), x1: clamp(Math.max(g.x0, g.x1)), y0: clamp(Math.min(g.y0, g.y1)), y1: clamp(Math.max(g.y0, g.y1)) };
      if (g.kind === 'zoom' && (rect.x1 - rect.x0) * p.w < DRAG_THRESHOLD && (rect.y1 - rect.y0) * p.h < DRAG_THRESHOLD) { this.paint(); return; }
      this.onZoom?.(rect);
    });
    canvas.addEventListener('wheel', (e) => {
      if (!this.onZoom || !this.spec) return;
      e.preventDefault();
      const [fx, fy] = this.plotPoint(e);
      const step = Math.exp(-e.deltaY / 300); // one notch (100) zooms by about 1.4×
      if (this.wheel) clearTimeout(this.wheel.timer);
      const factor = (this.wheel?.factor ?? 1) * step;
      this.wheel = { fx: this.wheel?.fx ?? fx, fy: this.wheel?.fy ?? fy, factor, timer: setTimeout(() => {
        const w = this.wheel!;
        this.wheel = undefined;
        if (Math.abs(Math.log(w.factor)) > 0.01) this.onZoom?.(rectAround(w.fx, w.fy, w.factor)); else this.paint();
      }, WHEEL_SETTLE_MS) };
      this.paint();
    }, { passive: false });
  }

  /** Shows `outputs` (which may fill in over time) for `spec`; call draw() after changing them. */
  show(spec: SweepSpec, outputs: SweepOutputs): void {
    this.spec = spec;
    this.outputs = outputs;
    this.disagreement = undefined;
    this.fill = undefined;
    this.diff = undefined;
  }

  /** The refinement in progress (undefined: every cell shows its own value). Call draw() after a pass completes. */
  setRefinement(fill: RefinementFill | undefined): void {
    this.fill = fill;
  }

  /** Shows `spec` with no cell computed yet (all "not run"), without touching a million cells. */
  clear(spec: SweepSpec, outputs: SweepOutputs): void {
    this.show(spec, outputs);
    const { nx, ny } = gridSize(spec);
    this.cells = new OffscreenCanvas(nx, ny);
    const ctx = this.cells.getContext('2d')!;
    ctx.fillStyle = `rgb(${NO_VALUE_COLOR.join(',')})`;
    ctx.fillRect(0, 0, nx, ny);
    this.image = undefined;
    this.scale = heatmapScale(outputs, this.metric, spec.steps);
    this.paint();
  }

  /** Shows an A/B difference map (codes from classDiff) for `spec` instead of a metric. */
  showDiff(spec: SweepSpec, codes: Uint8Array): void {
    this.spec = spec;
    this.outputs = undefined;
    this.diff = codes;
    this.disagreement = undefined;
  }

  /** Cells to outline (1 = the classes differ), or undefined for none. */
  setDisagreement(map: Uint8Array | undefined): void {
    this.disagreement = map;
  }

  /** The pointer's position in plot fractions (x from the left, y from the bottom; may fall outside 0 … 1). */
  private plotPoint(e: MouseEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect(), p = this.plotRect();
    const x = ((e.clientX - r.left) * p.cssW) / r.width - p.x, y = ((e.clientY - r.top) * p.cssH) / r.height - p.y;
    return [x / p.w, 1 - y / p.h];
  }

  private plotRect() {
    const w = this.canvas.clientWidth || this.canvas.width, h = this.canvas.clientHeight || this.canvas.height;
    return { x: MARGIN.left, y: MARGIN.top, w: w - MARGIN.left - MARGIN.right, h: h - MARGIN.top - MARGIN.bottom, cssW: w, cssH: h };
  }

  /** The cell under a pointer event, or undefined outside the plot. */
  cellAt(e: MouseEvent): number | undefined {
    if (!this.spec) return undefined;
    const r = this.canvas.getBoundingClientRect(), p = this.plotRect();
    const x = ((e.clientX - r.left) * p.cssW) / r.width - p.x, y = ((e.clientY - r.top) * p.cssH) / r.height - p.y;
    if (x < 0 || y < 0 || x >= p.w || y >= p.h) return undefined;
    const { nx, ny } = gridSize(this.spec);
    const ix = Math.floor((x / p.w) * nx), iy = ny - 1 - Math.floor((y / p.h) * ny);
    return iy * nx + ix;
  }

  /** Recomputes the cells' pixels from the data, then repaints. */
  draw(): void {
    if (this.spec && (this.outputs || this.diff)) {
      const { nx, ny } = gridSize(this.spec);
      let pixels: Uint8ClampedArray;
      if (this.diff) {
        const codes = this.diff;
        pixels = pixelsOf(nx, ny, (cell) => DIFF_COLORS[codes[cell]]);
        this.scale = undefined;
      } else {
        this.scale = heatmapScale(this.outputs!, this.metric, this.spec.steps);
        pixels = heatmapPixels(this.outputs!, nx, ny, this.scale, this.fill);
      }
      this.image = new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, nx, ny);
      if (this.cells?.width !== nx || this.cells.height !== ny) this.cells = new OffscreenCanvas(nx, ny);
      this.cells.getContext('2d')!.putImageData(this.image, 0, 0);
    } else {
      this.cells = undefined;
      this.image = undefined;
    }
    this.paint();
  }

  /**
   * Recolors just `cells` (newly computed) with the current color scale, then repaints: cheap enough for every
   * progress report of a million-cell view, where draw() costs about 100 ms. Values beyond the scale clamp to its
   * ends until the next draw().
   */
  update(cells: ArrayLike<number>): void {
    if (!this.spec || !this.outputs || !this.scale || !this.image || !this.cells) { this.draw(); return; }
    const { nx, ny } = gridSize(this.spec);
    paintCells(this.image.data, this.outputs, nx, ny, this.scale, cells);
    this.cells.getContext('2d')!.putImageData(this.image, 0, 0);
    this.paint();
  }

  /** Repaints from the last computed pixels, with the gesture in progress drawn over them. */
  paint(): void {
    const p = this.plotRect(), dpr = window.devicePixelRatio || 1;
    const canvas = this.canvas;
    if (canvas.width !== Math.round(p.cssW * dpr) || canvas.height !== Math.round(p.cssH * dpr)) { canvas.width = Math.round(p.cssW * dpr); canvas.height = Math.round(p.cssH * dpr); }
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, p.cssW, p.cssH);
    if (!this.spec || !this.cells) {
      ctx.fillStyle = '#777';
      ctx.font = '14px system-ui, sans-serif';
      ctx.fillText('Run a sweep to see its heatmap here.', p.x + 20, p.y + 40);
      return;
    }
    const { nx, ny } = gridSize(this.spec);
    ctx.imageSmoothingEnabled = false;
    ctx.save();
    ctx.beginPath();
    ctx.rect(p.x, p.y, p.w, p.h);
    ctx.clip();
    // Previews: a pan shifts the picture, a scroll zoom scales it about the pointer, until the new view arrives.
    const g = this.gesture, w = this.wheel;
    if (g?.kind === 'pan') ctx.drawImage(this.cells, p.x + (g.x1 - g.x0) * p.w, p.y - (g.y1 - g.y0) * p.h, p.w, p.h);
    else if (w) {
      const cx = p.x + w.fx * p.w, cy = p.y + (1 - w.fy) * p.h;
      ctx.drawImage(this.cells, cx - (cx - p.x) * w.factor, cy - (cy - p.y) * w.factor, p.w * w.factor, p.h * w.factor);
    } else ctx.drawImage(this.cells, p.x, p.y, p.w, p.h);
    ctx.restore();
    if (this.disagreement) this.drawDisagreement(ctx, p, nx, ny);
    if (g?.kind === 'zoom') {
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 2;
      ctx.setLineDash([5, 4]);
      const x = p.x + Math.min(g.x0, g.x1) * p.w, y = p.y + (1 - Math.max(g.y0, g.y1)) * p.h;
      ctx.strokeRect(x, y, Math.abs(g.x1 - g.x0) * p.w, Math.abs(g.y1 - g.y0) * p.h);
      ctx.setLineDash([]);
    }
    this.drawAxes(ctx, p);
    if (this.scale) this.drawColorbar(ctx, p, this.scale);
    else this.drawLegend(ctx, p, [...DIFF_CLASSES, 'not run'].map((label, k) => [label, DIFF_COLORS[k]]));
  }

  private drawDisagreement(ctx: CanvasRenderingContext2D, p: ReturnType<HeatmapView['plotRect']>, nx: number, ny: number): void {
    const cw = p.w / nx, ch = p.h / ny;
    ctx.strokeStyle = '#ff00d4';
    ctx.fillStyle = 'rgba(255, 0, 212, 0.85)';
    ctx.lineWidth = 1.5;
    this.disagreement!.forEach((flag, i) => {
      if (!flag) return;
      const x = p.x + (i % nx) * cw, y = p.y + (ny - 1 - Math.floor(i / nx)) * ch;
      if (cw >= 4 && ch >= 4) ctx.strokeRect(x + 0.75, y + 0.75, cw - 1.5, ch - 1.5);
      else ctx.fillRect(x, y, Math.max(cw, 2), Math.max(ch, 2));
    });
  }

  private drawAxes(ctx: CanvasRenderingContext2D, p: ReturnType<HeatmapView['plotRect']>): void {
    const spec = this.spec!;
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
    if (spec.y) {
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
  }

  private drawColorbar(ctx: CanvasRenderingContext2D, p: ReturnType<HeatmapView['plotRect']>, scale: HeatmapScale): void {
    const x = p.x + p.w + 22, w = 16, top = p.y, h = p.h;
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = '#222';
    if (scale.kind === 'categorical') {
      this.drawLegend(ctx, p, [['converged', CLASS_COLORS.converged], ['stalled', CLASS_COLORS.stalled], ['diverged', CLASS_COLORS.diverged], ['not run', NO_VALUE_COLOR]]);
      return;
    }
    for (let i = 0; i < h; i++) {
      const [r, g, b] = viridis(1 - i / (h - 1));
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(x, top + i, w, 1.5);
    }
    ctx.strokeStyle = '#222';
    ctx.strokeRect(x - 0.5, top - 0.5, w + 1, h + 1);
    ctx.fillStyle = '#222';
    const log = scale.kind === 'log';
    const lo = log ? Math.log10(scale.min) : scale.min, hi = log ? Math.log10(scale.max) : scale.max;
    const decades = Array.from({ length: Math.max(0, Math.floor(hi) - Math.ceil(lo) + 1) }, (_, i) => Math.ceil(lo) + i);
    // Decades on a log bar (the ends when it spans less than two), three values on a linear one.
    const ticks = log && decades.length >= 2 ? decades.filter((_, i, all) => i % Math.ceil(all.length / 8) === 0) : log ? [lo, hi] : [lo, (lo + hi) / 2, hi];
    for (const t of hi > lo ? ticks : [lo]) {
      const y = top + h - ((t - lo) / (hi - lo || 1)) * h;
      ctx.fillText(log ? (Number.isInteger(t) ? `1e${t}` : formatTickValue(10 ** t)) : formatTickValue(t), x + w + 5, y);
    }
    ctx.fillStyle = `rgb(${NO_VALUE_COLOR.join(',')})`;
    ctx.fillRect(x, top + h + 8, w, 10);
    ctx.fillStyle = '#222';
    ctx.fillText(scale.kind === 'linear' ? 'never' : 'none', x + w + 5, top + h + 13);
    ctx.save();
    ctx.translate(x + w + 62, top + h / 2);
    ctx.rotate(Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(`${scale.metric}${log ? ' (log10)' : ' (steps)'}`, 0, 0);
    ctx.restore();
  }

  /** A categorical legend: one swatch and label per entry, right of the plot (long labels wrap before their last word). */
  private drawLegend(ctx: CanvasRenderingContext2D, p: ReturnType<HeatmapView['plotRect']>, entries: Array<[string, [number, number, number]]>): void {
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
}
