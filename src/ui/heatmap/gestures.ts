/**
 * Gestures on the heatmap: hover and click name cells; drag a rectangle to zoom, Shift-drag to pan, Ctrl/⌘ + wheel (a
 * trackpad pinch) to zoom about the pointer, while a plain wheel scrolls the page (with a hint). From the keyboard:
 * arrow keys move a cell cursor (Shift: 10 cells), Enter inspects it, P pins it, + and − zoom about it. One channel out: every
 * gesture is an event to `emit`; a preview in progress (the dragged rectangle, the shifted or scaled picture, the
 * cursor) is drawn by the view.
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
  /** P: pin (or unpin) the cursor's cell, or with no cursor the inspected one (undefined). */
  | { type: 'pin'; cell: number | undefined }
  | { type: 'zoom'; rect: ViewRect }
  /** The preview changed: repaint. */
  | { type: 'preview' }
  /** A plain wheel over the plot: it scrolls the page; say how to zoom. */
  | { type: 'wheel-hint' };

/** A gesture in progress, in plot fractions (x from the left, y from the bottom). */
export interface Preview {
  drag?: { kind: 'zoom' | 'pan'; x0: number; y0: number; x1: number; y1: number };
  wheel?: { fx: number; fy: number; factor: number };
}

export class Gestures {
  preview: Preview = {};
  /** The keyboard's cell cursor, while the canvas has focus. */
  cursor: number | undefined;
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
    canvas.addEventListener('keydown', (e) => this.key(e, zoomable));
    canvas.addEventListener('blur', () => { this.cursor = undefined; emit({ type: 'preview' }); });
  }

  /** Arrow keys move the cursor (from the centre), Enter or Space inspects it, P pins it, + and − zoom 2× about it. */
  private key(e: KeyboardEvent, zoomable: boolean): void {
    const grid = this.grid();
    if (!grid) return;
    const { nx, ny } = grid;
    const c = this.cursor ?? Math.floor(ny / 2) * nx + Math.floor(nx / 2);
    let ix = c % nx, iy = Math.floor(c / nx);
    const by = e.shiftKey ? 10 : 1;
    const centre = (): [number, number] => [(ix + 0.5) / nx, (iy + 0.5) / ny];
    switch (e.key) {
      case 'ArrowLeft': ix = Math.max(0, ix - by); break;
      case 'ArrowRight': ix = Math.min(nx - 1, ix + by); break;
      case 'ArrowUp': iy = Math.min(ny - 1, iy + by); break;
      case 'ArrowDown': iy = Math.max(0, iy - by); break;
      case 'Enter': case ' ': e.preventDefault(); this.emit({ type: 'select', cell: c }); return;
      case 'p': case 'P': this.emit({ type: 'pin', cell: this.cursor }); return;
      case '+': case '=': if (zoomable) this.emit({ type: 'zoom', rect: rectAround(...centre(), 2) }); return;
      case '-': if (zoomable) this.emit({ type: 'zoom', rect: rectAround(...centre(), 0.5) }); return;
      default: return;
    }
    e.preventDefault();
    this.cursor = iy * nx + ix;
    this.emit({ type: 'hover', cell: this.cursor });
    this.emit({ type: 'preview' });
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
    // The map convention: a plain wheel scrolls the page; Ctrl/⌘ (and a trackpad's pinch, which sets ctrlKey) zooms.
    if (!e.ctrlKey && !e.metaKey) { this.emit({ type: 'wheel-hint' }); return; }
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
