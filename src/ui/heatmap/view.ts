/**
 * The heatmap canvas: one crisp block per cell (nearest-neighbour scaling at device resolution), with its axes and
 * colorbar (axes.ts) and the previews of gestures (gestures.ts). Every change invalidates, and one animation frame then
 * recomputes what it must: all pixels (new data, metric or scale, a finished refinement pass), only the cells that
 * arrived since the last frame, or just the paint (a gesture, an outline).
 */
import { DIFF_CLASSES, DIFF_COLORS } from '../../core/diff';
import { gridSize } from '../../core/grid';
import { heatmapPixels, heatmapScale, lockedOrFitted, paintCells, pixelsOf, type HeatmapMetric, type HeatmapScale, type RefinementFill } from '../../core/heatmap';
import type { SweepOutputs } from '../../core/outputs';
import type { SweepSpec } from '../../core/spec';
import { drawAxes, drawColorbar, drawLegend, plotRectOf } from './axes';
import { curveY, drawLine, drawLineTicks, drawMark, drawNote, drawOutline, drawPin, type PinMark } from './draw';
import { Gestures, type GestureEvent } from './gestures';

/**
 * What the view shows: outputs (filling in along `order` while a view refines; `note` marks a stopped one as partial),
 * or an A/B difference map.
 */
export type HeatmapData =
  | { kind: 'outputs'; spec: SweepSpec; outputs: SweepOutputs; fill?: RefinementFill; order?: Int32Array; note?: string }
  | { kind: 'diff'; spec: SweepSpec; codes: Uint8Array };

export class HeatmapView {
  private data: HeatmapData | undefined;
  /** Shown instead of a picture when there is no data. */
  private placeholder = 'Run a sweep to see its heatmap here.';
  private metricShown: HeatmapMetric = 'finalLoss';
  private disagreement: Uint8Array | undefined;
  private marked: number | undefined;
  private pins: PinMark[] = [];
  private locked: HeatmapScale | undefined;
  private flashText: string | undefined;
  private flashTimer: ReturnType<typeof setTimeout> | undefined;
  private scale: HeatmapScale | undefined;
  private cells: OffscreenCanvas | undefined;
  private image: ImageData | undefined;
  /** Positions of `order` already painted, and those to paint at the next frame. */
  private painted = 0;
  private target = 0;
  private need: 'paint' | 'cells' | 'all' | undefined;
  private readonly gestures: Gestures;

  /** `listener` gets every gesture (hover, select, zoom); `zoomable` false keeps a map static. */
  constructor(readonly canvas: HTMLCanvasElement, listener: (e: GestureEvent) => void, zoomable = true) {
    this.gestures = new Gestures(canvas, () => (this.data ? gridSize(this.data.spec) : undefined), (e) => {
      if (e.type === 'preview') this.invalidate('paint');
      else if (e.type === 'wheel-hint') this.flash(navigator.platform.startsWith('Mac') ? 'Hold ⌘ and scroll, or pinch, to zoom' : 'Hold Ctrl and scroll, or pinch, to zoom');
      else listener(e);
    }, zoomable);
  }

  /**
   * Shows other data, of which `cellsDone` positions of its order are computed (drawn in full at the next frame); or, for
   * a text or nothing, that text or the hint to run a sweep.
   */
  show(data: HeatmapData | string | undefined, cellsDone = 0): void {
    this.data = typeof data === 'string' ? undefined : data;
    this.gestures.cursor = undefined; // a cursor belongs to the grid it was on
    this.placeholder = typeof data === 'string' ? data : 'Run a sweep to see its heatmap here.';
    this.painted = this.target = cellsDone;
    this.disagreement = undefined;
    this.invalidate('all');
  }

  /** Cells done along the order (and whether a refinement pass just finished, which changes every block); the note. */
  progress(cellsDone: number, passFinished: boolean, note?: string): void {
    this.target = cellsDone;
    if (this.data?.kind === 'outputs' && this.data.note !== note) { this.data.note = note; if (!passFinished) this.invalidate('paint'); }
    this.invalidate(passFinished ? 'all' : 'cells');
  }

  /** The colour scale on screen (undefined: none yet, or an A/B difference map). */
  get scaleShown(): HeatmapScale | undefined {
    return this.scale;
  }

  /** Keeps `scale` for its metric across data (undefined: each view fits its own). */
  lockScale(scale: HeatmapScale | undefined): void {
    this.locked = scale;
    this.invalidate('all');
  }

  setMetric(metric: HeatmapMetric): void {
    if (metric === this.metricShown) return;
    this.metricShown = metric;
    this.invalidate('all');
  }

  /** Cells to outline (1 = the classes differ), or undefined for none. */
  setDisagreement(map: Uint8Array | undefined): void {
    this.disagreement = map;
    this.invalidate('paint');
  }

  /** Shows `text` over the plot for a moment (a hint). */
  flash(text: string): void {
    this.flashText = this.canvas.dataset.hint = text; // (the attribute for tests)
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => { this.flashText = undefined; delete this.canvas.dataset.hint; this.invalidate('paint'); }, 1500);
    this.invalidate('paint');
  }

  /**
   * The cells as a PNG data URL for a figure (src/core/figure.ts): whole-pixel blocks up to about 1200 pixels a side,
   * the Compare outline painted in; undefined while there is nothing drawn.
   */
  cellsImage(): string | undefined {
    if (!this.data || !this.cells) return undefined;
    const { nx, ny } = gridSize(this.data.spec);
    const k = Math.max(1, Math.floor(1200 / Math.max(nx, ny)));
    const canvas = document.createElement('canvas');
    canvas.width = Math.min(1200, nx * k);
    canvas.height = Math.min(1200, ny * k);
    const ctx = canvas.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.cells, 0, 0, canvas.width, canvas.height);
    if (this.disagreement) {
      ctx.fillStyle = 'rgb(255, 0, 212)';
      const cw = canvas.width / nx, ch = canvas.height / ny;
      this.disagreement.forEach((flag, i) => { if (flag) ctx.fillRect((i % nx) * cw, (ny - 1 - Math.floor(i / nx)) * ch, Math.max(1, cw), Math.max(1, ch)); });
    }
    return canvas.toDataURL('image/png');
  }

  /** Whether the Compare outline is drawn. */
  get outlined(): boolean {
    return this.disagreement !== undefined;
  }

  /** The pinned cells to mark, each in its colour. */
  setPins(pins: PinMark[]): void {
    this.pins = pins;
    this.invalidate('paint');
  }

  /** The cell to mark (the inspected one), or undefined. */
  setMarked(cell: number | undefined): void {
    if (cell === this.marked) return;
    this.marked = cell;
    this.invalidate('paint');
  }

  /** Asks for a frame that recomputes at least `what`. */
  invalidate(what: 'paint' | 'cells' | 'all'): void {
    const rank = { paint: 0, cells: 1, all: 2 };
    const first = this.need === undefined;
    if (first || rank[what] > rank[this.need!]) this.need = what;
    if (first) requestAnimationFrame(() => this.frame());
  }

  private frame(): void {
    const need = this.need;
    this.need = undefined;
    if (need === 'all') this.recompute();
    else if (need === 'cells') this.recolor();
    this.paint();
  }

  /** All pixels from the data. */
  private recompute(): void {
    const data = this.data;
    this.painted = this.target;
    if (!data) { this.cells = undefined; this.image = undefined; return; }
    const { nx, ny } = gridSize(data.spec);
    let pixels: Uint8ClampedArray;
    if (data.kind === 'diff') {
      pixels = pixelsOf(nx, ny, (cell) => DIFF_COLORS[data.codes[cell]]);
      this.scale = undefined;
    } else {
      this.scale = lockedOrFitted(this.locked, heatmapScale(data.outputs, this.metricShown, data.spec));
      pixels = heatmapPixels(data.outputs, nx, ny, this.scale, data.fill);
    }
    this.image = new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, nx, ny);
    if (this.cells?.width !== nx || this.cells.height !== ny) this.cells = new OffscreenCanvas(nx, ny);
    this.cells.getContext('2d')!.putImageData(this.image, 0, 0);
  }

  /**
   * Only the cells that arrived since the last frame, with the current colour scale: cheap enough for every progress
   * report of a million-cell view, where recompute() costs about 100 ms. Values beyond the scale clamp to its ends
   * until the next full recompute.
   */
  private recolor(): void {
    const data = this.data;
    if (!data || data.kind !== 'outputs' || !data.order || !this.scale || !this.image || !this.cells) { this.recompute(); return; }
    const { nx, ny } = gridSize(data.spec);
    paintCells(this.image.data, data.outputs, nx, ny, this.scale, data.order.subarray(this.painted, this.target));
    this.painted = this.target;
    this.cells.getContext('2d')!.putImageData(this.image, 0, 0);
  }

  /** Paints the last computed pixels, the gesture in progress over them, the axes and the colorbar. */
  private paint(): void {
    const canvas = this.canvas, p = plotRectOf(canvas), dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(p.cssW * dpr) || canvas.height !== Math.round(p.cssH * dpr)) { canvas.width = Math.round(p.cssW * dpr); canvas.height = Math.round(p.cssH * dpr); }
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, p.cssW, p.cssH);
    if (!this.data || !this.cells) {
      ctx.fillStyle = '#777';
      ctx.font = '14px system-ui, sans-serif';
      ctx.fillText(this.data ? 'Starting…' : this.placeholder, p.x + 20, p.y + 40);
      if (this.data) drawAxes(ctx, p, this.data.spec);
      return;
    }
    const { nx, ny } = gridSize(this.data.spec);
    ctx.imageSmoothingEnabled = false;
    ctx.save();
    ctx.beginPath();
    ctx.rect(p.x, p.y, p.w, p.h);
    ctx.clip();
    const line = ny === 1 && this.data.kind === 'outputs' && this.scale && (this.scale.kind === 'log' || this.scale.kind === 'linear') && this.image ? { outputs: this.data.outputs, scale: this.scale } : undefined;
    // Previews: a pan shifts the picture, a scroll zoom scales it about the pointer, until the new view arrives.
    const { drag, wheel } = this.gestures.preview;
    if (drag?.kind === 'pan') ctx.drawImage(this.cells, p.x + (drag.x1 - drag.x0) * p.w, p.y - (drag.y1 - drag.y0) * p.h, p.w, p.h);
    else if (wheel) {
      const cx = p.x + wheel.fx * p.w, cy = p.y + (1 - wheel.fy) * p.h;
      ctx.drawImage(this.cells, cx - (cx - p.x) * wheel.factor, cy - (cy - p.y) * wheel.factor, p.w * wheel.factor, p.h * wheel.factor);
    } else if (line) drawLine(ctx, p, line.outputs, line.scale, this.image!.data, nx); // a 1-D sweep: a curve, not a stretched band
    else ctx.drawImage(this.cells, p.x, p.y, p.w, p.h);
    ctx.restore();
    if (line) drawLineTicks(ctx, p, line.scale);
    if (this.disagreement) drawOutline(ctx, p, nx, ny, this.disagreement);
    const at = (cell: number) => (line ? curveY(p, line.outputs, line.scale, cell) : undefined); // a curve's marks sit on its points
    if (this.marked !== undefined && this.marked < nx * ny) drawMark(ctx, p, nx, ny, this.marked, false, at(this.marked));
    for (const pin of this.pins) if (pin.cell < nx * ny) drawPin(ctx, p, nx, ny, pin, at(pin.cell)); // over the inspected mark: it spills onto neighbours
    const cursor = this.gestures.cursor;
    if (cursor !== undefined && cursor < nx * ny) drawMark(ctx, p, nx, ny, cursor, true, at(cursor));
    if (drag?.kind === 'zoom') {
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 2;
      ctx.setLineDash([5, 4]);
      const x = p.x + Math.min(drag.x0, drag.x1) * p.w, y = p.y + (1 - Math.max(drag.y0, drag.y1)) * p.h;
      ctx.strokeRect(x, y, Math.abs(drag.x1 - drag.x0) * p.w, Math.abs(drag.y1 - drag.y0) * p.h);
      ctx.setLineDash([]);
    }
    drawAxes(ctx, p, this.data.spec);
    if (this.data.kind === 'outputs' && this.data.note) drawNote(ctx, p, this.data.note);
    if (this.flashText) drawNote(ctx, p, this.flashText, 40);
    if (this.scale) drawColorbar(ctx, p, this.scale, this.disagreement !== undefined);
    else drawLegend(ctx, p, [...DIFF_CLASSES, 'not run'].map((label, k) => [label, DIFF_COLORS[k]]));
  }
}
