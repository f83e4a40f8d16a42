/**
 * Zoom movies: a sequence of views closing in on a point (core/zoom.ts zoomSequence), each computed like any view and
 * encoded as an animated GIF (gifenc), one frame per view at its cell resolution, scaled up by a whole factor. Every
 * frame uses one colour scale (so a colour means the same value throughout; the score's colours are ranks, so each frame
 * ranks its own) and carries a label: the frame, the zoom
 * and the window.
 */
import { GIFEncoder, applyPalette, quantize } from 'gifenc';
import { gridSize } from '../core/grid';
import { heatmapPixels, heatmapScale, type HeatmapScale } from '../core/heatmap';
import { formatTickValue } from '../core/ticks';
import type { SweepOutputs } from '../core/outputs';
import type { SweepSpec } from '../core/spec';

/** Frame pixels (RGBA) of one view in `colours`, scaled up `scale` times with nearest-neighbour blocks. */
function framePixels(spec: SweepSpec, outputs: SweepOutputs, colours: HeatmapScale, scale: number): { rgba: Uint8ClampedArray; width: number; height: number } {
  const { nx, ny } = gridSize(spec);
  const cells = heatmapPixels(outputs, nx, ny, colours.kind === 'equalized' ? heatmapScale(outputs, colours.metric, spec) : colours);
  const width = nx * scale, height = ny * scale, rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (Math.floor(y / scale) * nx + Math.floor(x / scale)) * 4, to = (y * width + x) * 4;
      rgba[to] = cells[from]; rgba[to + 1] = cells[from + 1]; rgba[to + 2] = cells[from + 2]; rgba[to + 3] = 255;
    }
  }
  return { rgba, width, height };
}

/**
 * Computes every frame with `compute` (in order; it may throw to stop) and returns the GIF's bytes. `delayMs` is
 * each frame's display time; onFrame reports progress after each frame.
 */
export async function recordZoomMovie(frames: SweepSpec[], compute: (spec: SweepSpec) => Promise<SweepOutputs>, colours: HeatmapScale,
  options: { scale: number; delayMs: number; zoomPerFrame: number; onFrame?: (done: number, total: number) => void }): Promise<Uint8Array> {
  const gif = GIFEncoder();
  for (const [k, spec] of frames.entries()) {
    const { rgba, width, height } = framePixels(spec, await compute(spec), colours, options.scale);
    label(rgba, width, height, `${k + 1}/${frames.length} · ${formatTickValue(options.zoomPerFrame ** k)}× · ${windowText(spec)}`);
    const palette = quantize(rgba, 256);
    gif.writeFrame(applyPalette(rgba, palette), width, height, { palette, delay: options.delayMs, repeat: 0 });
    options.onFrame?.(k + 1, frames.length);
  }
  gif.finish();
  return gif.bytes();
}

/** The window of a frame: "lr 0.31 … 0.52, initScale 1.2 … 1.9". */
function windowText(spec: SweepSpec): string {
  const range = (axis: SweepSpec['x']) => ('values' in axis ? `${axis.param} (${axis.values.length} values)` : `${axis.param} ${formatTickValue(axis.min)} … ${formatTickValue(axis.max)}`);
  return [range(spec.x), ...(spec.y ? [range(spec.y)] : [])].join(', ');
}

/** Writes `text` into the top-left corner of RGBA pixels, white on a dark band (an OffscreenCanvas draws it). */
function label(rgba: Uint8ClampedArray, width: number, height: number, text: string): void {
  const canvas = new OffscreenCanvas(width, height), ctx = canvas.getContext('2d')!;
  ctx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  const size = Math.max(10, Math.min(14, Math.round(width / 32)));
  ctx.font = `${size}px system-ui, sans-serif`;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.7)';
  ctx.fillRect(0, 0, Math.min(width, ctx.measureText(text).width + 10), size + 8);
  ctx.fillStyle = '#fff';
  ctx.textBaseline = 'top';
  ctx.fillText(text, 5, 4);
  rgba.set(ctx.getImageData(0, 0, width, height).data);
}
