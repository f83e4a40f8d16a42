/**
 * Pointer gestures on the heatmap: hover and click name cells; drag a rectangle to zoom, Shift-drag to pan, scroll to
 * zoom about the pointer. One channel out: every gesture is an event to `emit`; a preview in progress (the dragged
 * rectangle, the shifted or scaled picture) is `preview`, drawn by the view.
 */
import { rectAround, shiftedRect, type ViewRect } from '../../core/zoom';
import { plotRectOf } from './axes';

/** Pointer travel, in CSS pixels, below which a press counts as a click rather than a drag. */
const DRAG_THRESHOLD = 5;
/** Quiet time after the last wheel event before a scroll zoom is applied, in ms. */
const WHEEL_SETTLE_MS = 300;

export type GestureEvent =
  | { type: 'hover'; cell: number | undefined }
  | { type: 'select'; cell: number }
  | { type: 'zoom'; rect: ViewRect }
  /** The preview changed: repaint. */
  | { type: 'preview' };

/** A gesture in progress, in plot fractions (x from the left, y from the bottom). */
export interface Preview {
  drag?: { kind: 'zoom' | 'pan'; x0: number; y0: number; x1: number; y1: number };
  wheel?: { fx: number; fy: number; factor: number };
}

export class Gestures {
  preview: Preview = {};
  private wheelTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param grid the cells the plot shows (undefined: nothing yet)
   * @param zoomable whether drags and the wheel zoom (a static map only hovers and selects)
   */
  constructor(private readonly canvas: HTMLCanvasElement, private readonly grid: () => { nx: number; ny: number } | undefined, private readonly emit: (e: GestureEvent) => void, zoomable: boolean) {
    canvas.addEventListener('mousemove', (e) => {
      emit({ type: 'hover', cell: this.cellAt(e) });
      const drag = this.preview.drag;
      if (drag) { [drag.x1, drag.y1] = this.plotPoint(e); emit({ type: 'preview' }); }
    });
    canvas.addEventListener('mouseleave', () => emit({ type: 'hover', cell: undefined }));
    canvas.addEventListener('mousedown', (e) => {
      if (!this.grid() || e.button !== 0) return;
      const [x, y] = this.plotPoint(e);
      this.preview.drag = { kind: zoomable && e.shiftKey ? 'pan' : 'zoom', x0: x, y0: y, x1: x, y1: y };
      e.preventDefault();
    });
    window.addEventListener('mouseup', (e) => this.release(e, zoomable));
    if (zoomable) canvas.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
  }

  private release(e: MouseEvent, zoomable: boolean): void {
    const g = this.preview.drag;
    if (!g) return;
    this.preview.drag = undefined;
    const p = plotRectOf(this.canvas);
    const moved = Math.hypot((g.x1 - g.x0) * p.w, (g.y1 - g.y0) * p.h) >= DRAG_THRESHOLD;
    const cell = this.cellAt(e);
    if (!moved || !zoomable) { this.emit({ type: 'preview' }); if (!moved && cell !== undefined) this.emit({ type: 'select', cell }); return; }
    const clamp = (v: number) => Math.min(1, Math.max(0, v));
    const rect = g.kind === 'pan' ? shiftedRect(g.x0 - g.x1, g.y0 - g.y1)
      : { x0: clamp(Math.min(g.x0, g.x1)), x1: clamp(Math.max(g.x0, g.x1)), y0: clamp(Math.min(g.y0, g.y1)), y1: clamp(Math.max(g.y0, g.y1)) };
    if (g.kind === 'zoom' && (rect.x1 - rect.x0) * p.w < DRAG_THRESHOLD && (rect.y1 - rect.y0) * p.h < DRAG_THRESHOLD) { this.emit({ type: 'preview' }); return; }
    this.emit({ type: 'zoom', rect });
  }

  private wheel(e: WheelEvent): void {
    if (!this.grid()) return;
    e.preventDefault();
    const [fx, fy] = this.plotPoint(e);
    const step = Math.exp(-e.deltaY / 300); // one notch (100) zooms by about 1.4×
    const w = this.preview.wheel;
    this.preview.wheel = { fx: w?.fx ?? fx, fy: w?.fy ?? fy, factor: (w?.factor ?? 1) * step };
    clearTimeout(this.wheelTimer);
    this.wheelTimer = setTimeout(() => {
      const done = this.preview.wheel!;
      this.preview.wheel = undefined;
      if (Math.abs(Math.log(done.factor)) > 0.01) this.emit({ type: 'zoom', rect: rectAround(done.fx, done.fy, done.factor) });
      else this.emit({ type: 'preview' });
    }, WHEEL_SETTLE_MS);
    this.emit({ type: 'preview' });
  }

  /** The pointer's position in the plot, in CSS pixels from its top left corner, and the plot's size. */
  private plotPixel(e: MouseEvent): { x: number; y: number; w: number; h: number } {
    const r = this.canvas.getBoundingClientRect(), p = plotRectOf(this.canvas);
    return { x: ((e.clientX - r.left) * p.cssW) / r.width - p.x, y: ((e.clientY - r.top) * p.cssH) / r.height - p.y, w: p.w, h: p.h };
  }

  /** The pointer's position in plot fractions (x from the left, y from the bottom; may fall outside 0 … 1). */
  private plotPoint(e: MouseEvent): [number, number] {
    const { x, y, w, h } = this.plotPixel(e);
    return [x / w, 1 - y / h];
  }

  /** The cell under a pointer event, or undefined outside the plot. */
  private cellAt(e: MouseEvent): number | undefined {
    const grid = this.grid();
    if (!grid) return undefined;
    const { x, y, w, h } = this.plotPixel(e);
    if (x < 0 || y < 0 || x >= w || y >= h) return undefined;
    return (grid.ny - 1 - Math.floor((y / h) * grid.ny)) * grid.nx + Math.floor((x / w) * grid.nx);
  }
}
