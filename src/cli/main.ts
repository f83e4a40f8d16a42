/**
 * `npm run sweep -- <spec.json> [--backend webgpu|cpu|cpu-f32] [--out DIR] [--compare]`: runs a sweep headless,
 * writes DIR/results.json and one PNG heatmap per output, prints a summary. Ctrl-C stops at the next chunk and
 * still writes what is complete.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareOutputs } from '../core/compare';
import { runReference } from '../core/cpu-runner';
import { gridSize } from '../core/grid';
import { HEATMAP_METRICS, heatmapPixels, heatmapScale } from '../core/heatmap';
import { buildResults } from '../core/results';
import type { RunOptions, RunProgress, RunResult } from '../core/run';
import { parseSpecText, type SweepSpec } from '../core/spec';
import { SweepInterruptedError } from '../gpu/trainer';
import { parseCliArgs, type Backend } from './args';
import { createNodeTrainer } from './node-gpu';
import { writeHeatmapPng } from './png';
import { writeResultsFile } from './results-file';
import { formatAgreement, formatHeatmapLegend, formatSummary } from './summary';

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function progressPrinter(label: string): (p: RunProgress) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < 500 && p.networkStepsDone < p.networkSteps) return;
    last = now;
    const pct = ((100 * p.networkStepsDone) / Math.max(1, p.networkSteps)).toFixed(1);
    process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}${label}: ${pct}% (${p.cellsDone}/${p.cells} cells done, ${(p.elapsedMs / 1000).toFixed(1)} s)${process.stderr.isTTY ? '' : '\n'}`);
  };
}

async function runBackend(spec: SweepSpec, backend: Backend, options: RunOptions): Promise<{ run: RunResult; adapter: string; error?: string }> {
  if (backend !== 'webgpu') {
    const run = await runReference(spec, backend === 'cpu' ? 'f64' : 'f32', options);
    return { run, adapter: `cpu / ${backend === 'cpu' ? 'float64' : 'float32-faithful'} reference` };
  }
  const trainer = await createNodeTrainer();
  try {
    await trainer.pipeline(spec.activation); // compile before the clock starts
    return { run: await trainer.run(spec, { ...options, sleepWhileWaiting: true }), adapter: trainer.gpu.adapter };
  } catch (e) {
    if (e instanceof SweepInterruptedError) return { run: e.partial, adapter: trainer.gpu.adapter, error: e.message };
    throw e;
  } finally {
    trainer.gpu.device.destroy();
  }
}

async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (!parsed.ok && parsed.help) { console.log(parsed.message); process.exit(0); }
  if (!parsed.ok) fail(parsed.message, 2);
  const { specPath, backend, outDir, compare } = parsed.args;

  let text: string;
  try {
    text = readFileSync(specPath === '-' ? 0 : specPath, 'utf8');
  } catch (e) {
    fail(`${specPath}: cannot read the spec file (${(e as Error).message}); give the path of a JSON sweep spec, e.g. examples/lr-x-initscale.json`);
  }
  const result = parseSpecText(text);
  if (!result.ok) fail(`${specPath}: invalid sweep spec:\n${result.errors.map((e) => `  - ${e}`).join('\n')}`);
  const spec = result.spec;
  const { nx, ny } = gridSize(spec);

  const abort = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nstopping at the next chunk; finished cells will be written (Ctrl-C again to quit now)\n');
    abort.abort();
    process.once('SIGINT', () => process.exit(130));
  });

  const { run, adapter, error } = await runBackend(spec, backend, { signal: abort.signal, onProgress: progressPrinter(backend) });
  if (process.stderr.isTTY) process.stderr.write('\n');

  mkdirSync(outDir, { recursive: true });
  writeResultsFile(join(outDir, 'results.json'), buildResults(spec, backend, adapter, run));
  const legend = HEATMAP_METRICS.map((metric) => {
    const scale = heatmapScale(run.outputs, metric, spec.steps);
    writeHeatmapPng(join(outDir, `${metric}.png`), heatmapPixels(run.outputs, nx, ny, scale), nx, ny);
    return formatHeatmapLegend(`${metric}.png`, scale);
  });
  console.log(formatSummary(spec, backend, adapter, run));
  console.log(`wrote       ${join(outDir, 'results.json')} and heatmaps (x → right, y ↑ up):\n${legend.join('\n')}`);

  if (compare && abort.signal.aborted) console.log('compare     skipped: the run was stopped');
  if (compare && run.cellsDone > 0 && !abort.signal.aborted) {
    const cells = Array.from({ length: run.cellsDone }, (_, i) => i);
    const reference = await runReference(spec, 'f64', { cellOrder: cells, signal: abort.signal, onProgress: progressPrinter('float64 reference') });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const agreement = compareOutputs(run.outputs, reference.outputs, cells.slice(0, reference.cellsDone));
    writeFileSync(join(outDir, 'compare.json'), JSON.stringify({ reference: 'cpu float64', referenceElapsedMs: reference.elapsedMs, ...agreement }, null, 2));
    console.log(formatAgreement(agreement));
    console.log(`  float64 reference ran at ${Math.round(reference.networkStepsPerSecond).toLocaleString('en-US')} network-steps/s`);
  }
  if (error) fail(`error: ${error}`);
  if (run.status !== 'complete') process.exit(130);
}

main().catch((e: Error) => fail(`${e.name === 'Error' ? 'error' : e.name}: ${e.message}`));
