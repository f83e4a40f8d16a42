/** Cell colours as PNG bytes (pngjs), for the cell image inside a figure (src/cli/figures.ts). */
import { PNG } from 'pngjs';

/**
 * nx × ny RGBA cell colours (top row = the largest y) as PNG bytes of width × height pixels: whole-pixel blocks for
 * small grids, the nearest cell for large ones.
 */
export function heatmapPng(rgba: Uint8ClampedArray, nx: number, ny: number, size: { width: number; height: number }): Buffer {
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
