/** What a finished (or stopped) sweep leaves on disk: results.json (and .npy outputs when large) and heatmaps. */
import { mkdirSync } from 'node:fs';
import { basename } from 'node:path';
import { heatmapScale, metricsOf } from '../core/heatmap';
import type { SweepOutputs } from '../core/outputs';
import type { ResultsHead } from '../core/results';
import type { Checkpoint } from '../core/run';
import { writeFigure } from './figures';
import { writeResults } from './results-file';
import { formatHeatmapLegend } from './summary';

/**
 * Writes DIR/results.json (with .npy outputs for large sweeps, and a replica sweep's kept replicas) and a figure per
 * metric, DIR/<metric>.svg and .png; returns lines saying what was written.
 */
export function writeSweepFiles(outDir: string, head: ResultsHead, outputs: SweepOutputs, checkpoint?: Checkpoint, replicaOutputs?: SweepOutputs): string {
  const { spec } = head;
  mkdirSync(outDir, { recursive: true });
  const files = writeResults(outDir, 'results', head, outputs, checkpoint, replicaOutputs);
  const legend = metricsOf(spec).map((metric) => {
    const scale = heatmapScale(outputs, metric, spec);
    const { width, height } = writeFigure(outDir, spec, outputs, scale, head.adapter);
    return `${formatHeatmapLegend(`${metric}.png`, scale)} (and .svg; ${width} × ${height} px)`;
  });
  const companions = files.slice(0, -1).map((f) => basename(f));
  return [
    `wrote       ${files.at(-1)}${companions.length ? ` and ${companions.join(', ')}` : ''}`,
    `            heatmaps (x → right, y ↑ up):`,
    ...legend,
  ].join('\n');
}
