/**
 * The command line's heatmap figures: per metric, an SVG (src/core/figure.ts: title, spec line, axes, colour bar) and
 * a PNG rendered from it at 2× with resvg, so every image it writes reads on its own in a paper or a chat.
 */
import { Resvg } from '@resvg/resvg-js';
import { join } from 'node:path';
import { emptyMetricNote, figureSvg, FIGURE_SIZE } from '../core/figure';
import { gridSize } from '../core/grid';
import { heatmapPixels, type HeatmapScale } from '../core/heatmap';
import type { SweepOutputs } from '../core/outputs';
import type { SweepSpec } from '../core/spec';
import { writeFileAtomic } from './atomic';
import { heatmapPng } from './png';
import { mnistFigureSvg } from '../mnist/figure';
import type { MnistResults } from '../mnist/sweep';

/** Writes DIR/mnist.svg and DIR/mnist.png (src/mnist/figure.ts) for an MNIST sweep's results. */
export function writeMnistFigure(outDir: string, results: MnistResults): void {
  const svg = mnistFigureSvg(results);
  writeFileAtomic(join(outDir, 'mnist.svg'), svg);
  writeFileAtomic(join(outDir, 'mnist.png'), new Resvg(svg, { fitTo: { mode: 'zoom', value: FIGURE_ZOOM }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng());
}

/** Pixels per SVG unit of the PNG figures. */
export const FIGURE_ZOOM = 2;
/** Longest side of the cell image inside a figure: the plot is about 540 × 500 units, so 2× needs no more than this. */
const CELLS_SIDE = 1200;

/** Writes DIR/<metric>.svg and DIR/<metric>.png for `scale`; returns the PNG's size in pixels. */
export function writeFigure(outDir: string, spec: SweepSpec, outputs: SweepOutputs, scale: HeatmapScale, computedBy: string): { width: number; height: number } {
  const { nx, ny } = gridSize(spec);
  // One block per cell at a whole number of pixels where the grid is small; the nearest cell where it is large.
  const k = Math.max(1, Math.floor(CELLS_SIDE / Math.max(nx, ny)));
  const cells = heatmapPng(heatmapPixels(outputs, nx, ny, scale), nx, ny, { width: Math.min(CELLS_SIDE, nx * k), height: Math.min(CELLS_SIDE, ny * k) });
  const svg = figureSvg({ spec, scale, computedBy, cellsHref: `data:image/png;base64,${cells.toString('base64')}`, note: emptyMetricNote(outputs, scale.metric), outputs });
  writeFileAtomic(join(outDir, `${scale.metric}.svg`), svg);
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: FIGURE_ZOOM }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
  writeFileAtomic(join(outDir, `${scale.metric}.png`), png);
  return { width: FIGURE_SIZE.width * FIGURE_ZOOM, height: FIGURE_SIZE.height * FIGURE_ZOOM };
}
