/** Writing heatmap pixels as PNG files (pngjs): small grids upscaled by whole pixels, huge ones sampled down. */
import { PNG } from 'pngjs';
import { writeFileAtomic } from './atomic';

/** Longest side of a heatmap image, in pixels: larger grids are sampled (nearest cell) down to it. */
export const MAX_IMAGE_SIDE = 4096;

/**
 * The pixel size of an nx × ny heatmap: each cell an s × s block, s = ⌊512 / max(nx, ny)⌋ (at least 1), a 1-row sweep
 * at least 48 pixels tall so it can be seen, and no side longer than MAX_IMAGE_SIDE.
 */
export function heatmapImageSize(nx: number, ny: number): { width: number; height: number } {
  const s = Math.max(1, Math.floor(512 / Math.max(nx, ny)));
  return { width: Math.min(MAX_IMAGE_SIDE, nx * s), height: Math.min(MAX_IMAGE_SIDE, ny === 1 ? Math.max(s, 48) : ny * s) };
}

/** Writes nx × ny RGBA cell colours to `path` at heatmapImageSize(nx, ny), atomically; returns that size. */
export function writeHeatmapPng(path: string, rgba: Uint8ClampedArray, nx: number, ny: number): { width: number; height: number } {
  const { width, height } = heatmapImageSize(nx, ny);
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    const row = Math.floor((y * ny) / height) * nx;
    for (let x = 0; x < width; x++) {
      const src = (row + Math.floor((x * nx) / width)) * 4, dst = (y * width + x) * 4;
      for (let c = 0; c < 4; c++) png.data[dst + c] = rgba[src + c];
    }
  }
  writeFileAtomic(path, PNG.sync.write(png));
  return { width, height };
}
