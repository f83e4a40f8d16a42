/**
 * Zoom movies: a sequence of views closing in on a point (core/zoom.ts zoomSequence), each computed like any view and
 * encoded as an animated GIF (gifenc), one frame per view at its cell resolution, scaled up by a whole factor.
 */
import { GIFEncoder, applyPalette, quantize } from 'gifenc';
import { gridSize } from '../core/grid';
import { heatmapPixels, heatmapScale, type HeatmapMetric } from '../core/heatmap';
import type { SweepOutputs } from '../core/outputs';
import type { SweepSpec } from '../core/spec';

/** Frame pixels (RGBA) of one view, scaled up `scale` times with nearest-neighbour blocks. */
function framePixels(spec: SweepSpec, outputs: SweepOutputs, metric: HeatmapMetric, scale: number): { rgba: Uint8ClampedArray; width: number; height: number } {
  const { nx, ny } = gridSize(spec);
  const cells = heatmapPixels(outputs, nx, ny, heatmapScale(outputs, metric, spec.steps));
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
export async function recordZoomMovie(frames: SweepSpec[], compute: (spec: SweepSpec) => Promise<SweepOutputs>, metric: HeatmapMetric,
  options: { scale: number; delayMs: number; onFrame?: (done: number, total: number) => void }): Promise<Uint8Array> {
  const gif = GIFEncoder();
  for (const [k, spec] of frames.entries()) {
    const { rgba, width, height } = framePixels(spec, await compute(spec), metric, options.scale);
    const palette = quantize(rgba, 256);
    gif.writeFrame(applyPalette(rgba, palette), width, height, { palette, delay: options.delayMs, repeat: 0 });
    options.onFrame?.(k + 1, frames.length);
  }
  gif.finish();
  return gif.bytes();
}
