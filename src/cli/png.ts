/** Writing heatmap pixels as PNG files (pngjs), upscaled by whole pixels so small grids stay crisp. */
import { PNG } from 'pngjs';
import { writeFileAtomic } from './atomic';

/**
 * Writes nx × ny RGBA pixels to `path`, each cell drawn as an sx × sy block: sx = sy = ⌊512 / max(nx, ny)⌋ (at
 * least 1), and a 1-row sweep is drawn at least 48 pixels tall so it can be seen.
 */
export function writeHeatmapPng(path: string, rgba: Uint8ClampedArray, nx: number, ny: number): void {
  const s = Math.max(1, Math.floor(512 / Math.max(nx, ny)));
  const sx = s, sy = ny === 1 ? Math.max(s, 48) : s;
  const png = new PNG({ width: nx * sx, height: ny * sy });
  for (let y = 0; y < ny * sy; y++) {
    for (let x = 0; x < nx * sx; x++) {
      const src = (Math.floor(y / sy) * nx + Math.floor(x / sx)) * 4, dst = (y * nx * sx + x) * 4;
      for (let c = 0; c < 4; c++) png.data[dst + c] = rgba[src + c];
    }
  }
  writeFileAtomic(path, PNG.sync.write(png));
}
