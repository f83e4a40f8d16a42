/** What a finished (or stopped) sweep leaves on disk: results.json and one PNG heatmap per output. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gridSize } from '../core/grid';
import { HEATMAP_METRICS, heatmapPixels, heatmapScale } from '../core/heatmap';
import type { SweepOutputs } from '../core/outputs';
import type { ResultsFile } from '../core/results';
import { writeHeatmapPng } from './png';
import { writeResultsFile } from './results-file';
import { formatHeatmapLegend } from './summary';

/** Writes DIR/results.json and DIR/<metric>.png for every heatmap metric; returns the lines describing them. */
export function writeSweepFiles(outDir: string, results: ResultsFile, outputs: SweepOutputs): string {
  const { spec } = results;
  const { nx, ny } = gridSize(spec);
  mkdirSync(outDir, { recursive: true });
  writeResultsFile(join(outDir, 'results.json'), results);
  const legend = HEATMAP_METRICS.map((metric) => {
    const scale = heatmapScale(outputs, metric, spec.steps);
    writeHeatmapPng(join(outDir, `${metric}.png`), heatmapPixels(outputs, nx, ny, scale), nx, ny);
    return formatHeatmapLegend(`${metric}.png`, scale);
  });
  return `wrote       ${join(outDir, 'results.json')} and heatmaps (x → right, y ↑ up):\n${legend.join('\n')}`;
}
