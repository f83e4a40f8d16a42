/**
 * The heatmap canvas: one crisp block per cell (nearest-neighbour scaling at device resolution), axis ticks in the
 * axes' units, a colorbar with its legend, a hover readout and click-to-inspect. Optionally outlines the cells where
 * the GPU and the float64 reference disagree.
 */
import { gridSize } from '../core/grid';
import { CLASS_COLORS, heatmapPixels, heatmapScale, NO_VALUE_COLOR, viridis, type HeatmapMetric, type HeatmapScale } from '../core/heatmap';
import type { SweepOutputs } from '../core/outputs';
import type { SweepSpec } from '../core/spec';
import { axisTicks, formatTickValue } from './ticks';

/** Plot area inside the canvas, in CSS pixels. */
const MARGIN = { left: 72, right: 120, top: 14, bottom: 52 };

export class HeatmapView {
  private spec: SweepSpec | undefined;
  private outputs: SweepOutputs | undefined;
  private disagreement: Uint8Array | undefined;
  metric: HeatmapMetric = 'finalLoss';

  constructor(readonly canvas: HTMLCanvasElement, onHover: (cell: number | undefined) => void, onClick: (cell: number) => void) {
    canvas.addEventListener('mousemove', (e) => onHover(this.cellAt(e)));
    canvas.addEventListener('mouseleave', () => onHover(undefined));
    canvas.addEventListener('click', (e) => { const cell = this.cellAt(e); if (cell !== undefined) onClick(cell); });
  }

  /** Shows `outputs` (which may fill in over time) for `spec`; call draw() after changing them. */
  show(spec: SweepSpec, outputs: SweepOutputs): void {
    this.spec = spec;
    this.outputs = outputs;
    this.disagreement = undefined;
  }

  /** Cells to outline (1 = the classes differ), or undefined for none. */
  setDisagreement(map: Uint8Array | undefined): void {
    this.disagreement = map;
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

  /** Redraws everything. */
  draw(): void {
    const p = this.plotRect(), dpr = window.devicePixelRatio || 1;
    const canvas = this.canvas;
    if (canvas.width !== Math.round(p.cssW * dpr) || canvas.height !== Math.round(p.cssH * dpr)) { canvas.width = Math.round(p.cssW * dpr); canvas.height = Math.round(p.cssH * dpr); }
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, p.cssW, p.cssH);
    if (!this.spec || !this.outputs) {
      ctx.fillStyle = '#777';
      ctx.font = '14px system-ui, sans-serif';
      ctx.fillText('Run a sweep to see its heatmap here.', p.x + 20, p.y + 40);
      return;
    }
    const { nx, ny } = gridSize(this.spec);
    const scale = heatmapScale(this.outputs, this.metric, this.spec.steps);
    const image = new ImageData(heatmapPixels(this.outputs, nx, ny, scale) as Uint8ClampedArray<ArrayBuffer>, nx, ny);
    const cells = new OffscreenCanvas(nx, ny);
    cells.getContext('2d')!.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cells, p.x, p.y, p.w, p.h);
    if (this.disagreement) this.drawDisagreement(ctx, p, nx, ny);
    this.drawAxes(ctx, p);
    this.drawColorbar(ctx, p, scale);
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
      const entries: Array<[string, [number, number, number]]> = [['converged', CLASS_COLORS.converged], ['stalled', CLASS_COLORS.stalled], ['diverged', CLASS_COLORS.diverged], ['not run', NO_VALUE_COLOR]];
      entries.forEach(([label, [r, g, b]], i) => {
        ctx.fillStyle = `rgb(${r},${g},${b})`;
        ctx.fillRect(x, top + i * 24, w, 16);
        ctx.fillStyle = '#222';
        ctx.fillText(label, x + w + 5, top + i * 24 + 8);
      });
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
}
