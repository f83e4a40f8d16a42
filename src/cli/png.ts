/** Writing heatmap pixels as PNG files (pngjs): small grids upscaled by whole pixels, huge ones sampled down. */
import { PNG } from 'pngjs';

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

/**
 * nx × ny RGBA cell colours as PNG bytes at width × height pixels (default heatmapImageSize(nx, ny)): whole-pixel blocks
 * for small grids, the nearest cell for large ones.
 */
export function heatmapPng(rgba: Uint8ClampedArray, nx: number, ny: number, size = heatmapImageSize(nx, ny)): Buffer {
  const { width, height } = size;
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    const row = Math.floor((y * ny) / height) * nx;
    for (let x = 0; x < width; x++) {
      const src = (row + Math.floor((x * nx) / width)) * 4, dst = (y * width + x) * 4;
      for (let c = 0; c < 4; c++) png.data[dst + c] = rgba[src + c];
    }
  }
  return PNG.sync.write(png);
}
