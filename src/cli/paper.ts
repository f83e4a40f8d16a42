/**
 * `npm run paper -- [--out DIR] [--backend …] [--threads N] [--size N | --quick] [--only …]`: reproduces the fractal
 * paper's figure (Sohl-Dickstein 2024): each of its six conditions swept over its full view and over a ¼-wide zoom
 * about a boundary point, one figure of the six (SVG and PNG), a table of the boundary dimensions and wall times
 * (markdown and JSON), and every view's results.json. The figure and table are rewritten after every finished view,
 * so Ctrl-C keeps what is done.
 */
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { networkName } from '../core/figure';
import { gridSize } from '../core/grid';
import { atResolution, boundaryPoint, convergedCells, DIMENSION_MIN_SIDE, PAPER_CONDITIONS, viewDimension, ZOOM_FRACTION, zoomAbout, type PaperCondition } from '../core/paper';
import { paperFigureSvg, paperPixels, type PaperPanel, type PaperView } from '../core/paper-figure';
import { paperMarkdown, paperRow, viewRow, type PaperRow } from '../core/paper-table';
import { resultsHead } from '../core/results';
import type { SweepOutputs } from '../core/outputs';
import type { RunProgress } from '../core/run';
import { isMlp, parseSpecText, type MlpSweepSpec, type SweepSpec } from '../core/spec';
import { valueAt, type RangeAxis } from '../core/zoom';
import { writeFileAtomic } from './atomic';
import { prepareOutDir } from './files';
import { commandLine, lockPath, takeLock } from './lock';
import { parsePaperArgs } from './paper-args';
import { startPaperEngine, type PaperEngine } from './paper-engine';
import { heatmapPng } from './png';
import { writeResults } from './results-file';
import { printedProgressMs, progressGate } from '../core/progress';

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** A condition's example spec (examples/paper-<name>.json). */
function exampleSpec(c: PaperCondition): SweepSpec {
  const file = new URL(`../../examples/paper-${c.name}.json`, import.meta.url);
  const parsed = parseSpecText(readFileSync(file, 'utf8'));
  if (!parsed.ok || !isMlp(parsed.spec) || !parsed.spec.y) fail(`${file.pathname}: not a two-axis MLP spec${parsed.ok ? '' : `:\n  - ${parsed.errors.join('\n  - ')}`}`);
  return parsed.spec;
}

/** The cells of a view as a data: URL of a PNG about 800 pixels a side (whole pixels per cell). */
function cellsHref(scores: Float64Array, spec: SweepSpec): string {
  const { nx, ny } = gridSize(spec), k = Math.max(1, Math.ceil(800 / Math.max(nx, ny)));
  return `data:image/png;base64,${heatmapPng(paperPixels(scores, nx, ny), nx, ny, { width: nx * k, height: ny * k }).toString('base64')}`;
}

function progress(label: string): (p: RunProgress) => void {
  const due = progressGate(printedProgressMs(process.stderr));
  return (p) => {
    if (!due(p.networkStepsDone >= p.networkSteps)) return;
    process.stderr.write(`${label}: ${((100 * p.networkStepsDone) / Math.max(1, p.networkSteps)).toFixed(0)}%, ${(p.elapsedMs / 1000).toFixed(1)} s${process.stderr.isTTY ? '   \r' : '\n'}`);
  };
}

/** Stops `abort` at the first SIGINT or SIGTERM; one a second or more later quits at once. */
function stopOnSignals(abort: AbortController): void {
  let first = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!first) {
      first = performance.now();
      process.stderr.write(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping at the next chunk; the figure and table keep the views finished (Ctrl-C again to quit at once)\n`);
      abort.abort();
    } else if (performance.now() - first > 1000) process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Sweeps one view and writes DIR/results.json; undefined when it was stopped before finishing. */
async function sweepView(engine: PaperEngine, spec: SweepSpec, dir: string, label: string, signal: AbortSignal): Promise<{ view: PaperView; outputs: SweepOutputs } | undefined> {
  const run = await engine.run(spec, { signal, onProgress: progress(label) });
  if (run.status !== 'complete') return undefined;
  mkdirSync(dir, { recursive: true });
  writeResults(dir, 'results', resultsHead(spec, engine.backend, engine.adapter, run), run.outputs);
  const dimension = viewDimension(spec, run.outputs);
  return { view: { spec, cellsHref: cellsHref(run.outputs.score, spec), row: viewRow(spec, dimension, run.elapsedMs) }, outputs: run.outputs };
}

/** Writes DIR/paper.svg, .png, .md and .json for the panels and rows so far. */
function writeReport(outDir: string, engine: PaperEngine, panels: PaperPanel[], rows: PaperRow[], status: string): void {
  const title = "The boundary of neural network trainability is fractal (Sohl-Dickstein 2024): the six conditions";
  const subtitle = `${engine.name}; cells coloured by the paper's score; left: full view (the box: the zoom), right: the zoom; ${status}`;
  const svg = paperFigureSvg(title, subtitle, panels);
  writeFileAtomic(join(outDir, 'paper.svg'), svg);
  writeFileAtomic(join(outDir, 'paper.png'), new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng());
  writeFileAtomic(join(outDir, 'paper.md'), paperMarkdown(rows, engine.name));
  writeFileAtomic(join(outDir, 'paper.json'), `${JSON.stringify({ format: 'backprop-sweeper/paper@1', engine: engine.name, backend: engine.backend, adapter: engine.adapter, status, command: commandLine('paper'), rows }, null, 2)}\n`);
}

async function main(): Promise<void> {
  const parsed = parsePaperArgs(process.argv.slice(2), availableParallelism());
  if (!parsed.ok && parsed.help) { console.log(parsed.message); return; }
  if (!parsed.ok) fail(parsed.message, 2);
  const args = parsed.args;
  const conditions = PAPER_CONDITIONS.filter((c) => args.only.includes(c.name));
  const specs = conditions.map((c) => { const s = exampleSpec(c); return atResolution(s, args.size ?? Math.max(DIMENSION_MIN_SIDE, gridSize(s).nx)); });
  // The WGSL trainer does not know the MLP family yet (issue 20): auto runs these on the CPU, as npm run sweep does.
  const flag = args.backend === 'auto' ? 'cpu' : args.backend;
  const outProblem = prepareOutDir(args.outDir);
  if (outProblem) fail(outProblem);
  const locked = takeLock(lockPath(args.outDir), `--out ${args.outDir}`, commandLine('paper'));
  if (!locked.ok) fail(`${locked.error}, or give another --out`);
  const abort = new AbortController();
  stopOnSignals(abort);
  const engine = await startPaperEngine(flag, args.threads ?? availableParallelism());
  process.stderr.write(`engine      ${engine.name}\n`);
  const panels: PaperPanel[] = conditions.map((c, i) => ({ title: c.title, subtitle: networkName(specs[i] as MlpSweepSpec) }));
  const rows: PaperRow[] = [];
  let stopped = false;
  try {
    for (const [i, c] of conditions.entries()) {
      const spec = specs[i], { nx, ny } = gridSize(spec), dir = join(args.outDir, c.name);
      const full = await sweepView(engine, spec, join(dir, 'full'), `${c.name} full ${nx}×${ny}`, abort.signal);
      if (!full) { stopped = true; break; }
      panels[i].full = full.view;
      const point = boundaryPoint(convergedCells(full.outputs, spec), nx, ny);
      let zoomRow: PaperRow['zoom'] = null, zoomWhy: string | undefined;
      if (!point) zoomWhy = 'no boundary in the full view to zoom on';
      else {
        const h = ZOOM_FRACTION / 2;
        panels[i].window = { x0: point.fx - h, x1: point.fx + h, y0: point.fy - h, y1: point.fy + h };
        panels[i].zoomWhy = 'computing…';
        writeReport(args.outDir, engine, panels, [...rows, paperRow(c, spec, full.view.row, null, 'being computed')], 'running');
        const zoomSpec = zoomAbout(spec, point.fx, point.fy);
        const zoom = await sweepView(engine, zoomSpec, join(dir, 'zoom'), `${c.name} zoom ${nx}×${ny}`, abort.signal);
        if (zoom) {
          panels[i].zoom = zoom.view;
          zoomRow = { ...zoom.view.row, centre: { x: valueAt(spec.x as RangeAxis, point.fx), y: valueAt(spec.y as RangeAxis, point.fy) } };
        } else { stopped = true; zoomWhy = 'stopped'; }
      }
      if (zoomWhy) panels[i].zoomWhy = zoomWhy;
      rows.push(paperRow(c, spec, full.view.row, zoomRow, zoomWhy));
      writeReport(args.outDir, engine, panels, rows, stopped ? 'stopped' : rows.length === conditions.length ? 'complete' : 'running');
      if (stopped) break;
    }
  } finally {
    engine.close();
  }
  writeReport(args.outDir, engine, panels, rows, stopped ? 'stopped' : 'complete');
  console.log(paperMarkdown(rows, engine.name));
  console.log(`wrote       ${['paper.png', 'paper.svg', 'paper.md', 'paper.json'].map((f) => join(args.outDir, f)).join(', ')} and ${args.outDir}/<condition>/{full,zoom}/results.json`);
  if (stopped) {
    const done = rows.filter((r) => r.zoomWhy !== 'stopped').length;
    console.log(`stopped     ${done} of ${conditions.length} conditions done${done < rows.length ? ` (and ${conditions[done].name}'s full view)` : ''}`);
    process.exit(130);
  }
}

main().catch((e: Error) => fail(`${e.name === 'Error' ? 'error' : e.name}: ${e.message}`));
