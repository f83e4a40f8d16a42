/**
 * The page: routes between the course experiment and the sweep view, keeps the spec in the URL, runs sweeps in a
 * worker and wires the panels together. All GPU work happens in workers.
 */
import { compareOutputs, disagreementMap, RELATIVE_ERROR_FLOOR } from '../core/compare';
import { resultsCsv } from '../core/csv';
import { gridSize } from '../core/grid';
import { HEATMAP_METRICS, type HeatmapMetric } from '../core/heatmap';
import { allocateOutputs, classify, countClasses, OUTPUT_NAMES, type SweepOutputs } from '../core/outputs';
import { buildResults } from '../core/results';
import { parseSpec, type SweepSpec } from '../core/spec';
import type { Backend, SweepProgress, SweepRunResult } from '../worker/sweep.worker';
import { CourseView } from './course-view';
import { download } from './download';
import { HeatmapView } from './heatmap-view';
import { describeCell, inspectCell } from './inspector';
import { READY_MADE } from './ready-made';
import { buildSpecForm, fillSpecForm, readSpecForm, showSpecErrors } from './spec-form';
import { proxy, startSweepWorker } from './sweep-client';
import { readUrlState, specQuery } from './url-state';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const runner = startSweepWorker();
const comparer = startSweepWorker();
// The course view has its own worker: each worker runs one thing at a time, and a course run must not cancel a sweep.
const courseRunner = startSweepWorker();

/**
 * Largest sweep the page runs: its outputs (24 bytes a cell) live in the worker and again in the page, so 2048² cells
 * already take 200 MB; the command line takes up to 4096².
 */
const PAGE_MAX_CELLS = 2048 * 2048;

/** A message when `spec` is valid but too large for the page, naming the fix. */
function pageLimitError(spec: SweepSpec): string | undefined {
  const { cells } = gridSize(spec);
  if (cells <= PAGE_MAX_CELLS) return undefined;
  return `x.count × y.count: ${cells.toLocaleString()} cells are more than this page holds (${PAGE_MAX_CELLS.toLocaleString()}, e.g. 2048 × 2048): lower a count, or run it with the command line (npm run sweep -- spec.json), which takes up to 4096 × 4096`;
}

/** Budget of the in-page float64 comparison, in network-steps (a few seconds of CPU); larger sweeps are sampled. */
const COMPARE_BUDGET = 3e7;

interface Current { spec: SweepSpec; outputs: SweepOutputs; result?: SweepRunResult; running: boolean }
let current: Current | undefined;
let backend: Backend = { kind: 'cpu', reason: 'not checked yet' };
const engineName = () => (backend.kind === 'webgpu' ? 'GPU (WebGPU)' : 'CPU reference (no WebGPU)');

// ---------- views and routing

function showView(view: 'course' | 'sweep'): void {
  $('course').hidden = view !== 'course';
  $('sweep').hidden = view !== 'sweep';
  $('nav-course').setAttribute('aria-current', view === 'course' ? 'page' : 'false');
  $('nav-sweep').setAttribute('aria-current', view === 'sweep' ? 'page' : 'false');
}

const course = new CourseView($('course'), (spec) => courseRunner.run(spec, { recordLoss: true }, proxy(() => undefined)));

function openSweep(spec: SweepSpec, run: boolean): void {
  fillSpecForm(form, spec);
  showSpecErrors(form, []);
  $('spec-errors').textContent = '';
  showView('sweep');
  if (run) void startRun(spec);
}

function route(): void {
  const state = readUrlState(location.search);
  if (state.view === 'course') {
    showView('course');
    void course.show('era-v1');
    return;
  }
  const tooLarge = state.result.ok ? pageLimitError(state.result.spec) : undefined;
  if (state.result.ok && !tooLarge) {
    openSweep(state.result.spec, true);
    return;
  }
  if (state.result.ok) fillSpecForm(form, state.result.spec);
  const errors = state.result.ok ? [tooLarge!] : state.result.errors;
  showView('sweep');
  $('spec-errors').textContent = `The spec in this link cannot run here, so nothing ran. Fix the fields below (or edit the link) and press Run:\n${errors.map((e) => `• ${e}`).join('\n')}`;
  showSpecErrors(form, errors);
}

// ---------- the sweep form

const form = $<HTMLFormElement>('spec-form');
buildSpecForm(form);
for (const ready of READY_MADE) {
  const b = Object.assign(document.createElement('button'), { type: 'button', textContent: ready.name, title: ready.title });
  b.addEventListener('click', () => {
    const r = parseSpec(ready.spec);
    if (r.ok) { history.pushState(null, '', specQuery(r.spec)); openSweep(r.spec, false); }
  });
  $('ready-made').append(b);
}

$('nav-course').addEventListener('click', () => { history.pushState(null, '', location.pathname); route(); });
/** The first ready-made sweep (learning rate × init scale), normalized. */
function defaultSweep(): SweepSpec {
  const r = parseSpec(READY_MADE[0].spec);
  if (!r.ok) throw new Error(`ready-made sweep invalid: ${r.errors.join('; ')}`);
  return r.spec;
}
$('nav-sweep').addEventListener('click', () => {
  if (current) { showView('sweep'); return; }
  history.pushState(null, '', specQuery(defaultSweep()));
  openSweep(defaultSweep(), false);
});
$('open-sweep').addEventListener('click', () => {
  history.pushState(null, '', specQuery(defaultSweep()));
  openSweep(defaultSweep(), true);
});
window.addEventListener('popstate', route);

$('run').addEventListener('click', () => {
  const r = parseSpec(readSpecForm(form));
  const errors = r.ok ? [pageLimitError(r.spec)].filter((e): e is string => e !== undefined) : r.errors;
  showSpecErrors(form, errors);
  $('spec-errors').textContent = errors.map((e) => `• ${e}`).join('\n');
  if (!r.ok || errors.length) return;
  history.pushState(null, '', specQuery(r.spec));
  void startRun(r.spec);
});

// ---------- running

const heatmap = new HeatmapView($<HTMLCanvasElement>('heatmap'), showHover, (cell) => {
  if (current) inspectCell($('inspector'), current.spec, current.outputs, cell, current.result?.backend.kind === 'cpu' ? 'CPU reference' : 'GPU');
});
heatmap.draw();

let drawQueued = false;
function queueDraw(): void {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => { drawQueued = false; heatmap.draw(); });
}

function setRunning(running: boolean): void {
  $<HTMLButtonElement>('run').disabled = running;
  $<HTMLButtonElement>('cancel').disabled = !running;
  for (const id of ['compare', 'export-json', 'export-png', 'export-csv']) $<HTMLButtonElement>(id).disabled = running || !current?.result;
}

function formatProgress(p: SweepProgress): string {
  const done = p.networkStepsDone / Math.max(1, p.networkSteps);
  const rate = p.elapsedMs > 0 ? p.networkStepsDone / (p.elapsedMs / 1000) : 0;
  const eta = done > 0 ? ((p.elapsedMs / done) * (1 - done)) / 1000 : NaN;
  return `${(100 * done).toFixed(1)}% · ${p.cellsDone.toLocaleString()} of ${p.cells.toLocaleString()} cells done · ` +
    `${(rate / 1e6).toFixed(1)} M network-steps/s · ${Number.isFinite(eta) ? `about ${eta.toFixed(1)} s left` : 'starting'}`;
}

async function startRun(spec: SweepSpec): Promise<void> {
  if (current?.running) await runner.cancel();
  const { cells } = gridSize(spec);
  performance.mark('sweep-start'); // with 'sweep-first-cells': the latency to the first partial heatmap (npm run bench)
  let firstCells = true;
  const run: Current = { spec, outputs: allocateOutputs(cells), running: true };
  current = run;
  heatmap.show(spec, run.outputs);
  heatmap.draw();
  $('inspector').hidden = true;
  $('compare-panel').hidden = true;
  setRunning(true);
  const progress = $<HTMLProgressElement>('progress');
  progress.value = 0;
  $('progress-text').textContent = `Starting on ${engineName()}…`;
  const onProgress = (p: SweepProgress) => {
    // Progress travels through comlink asynchronously: a report can land after the result, which supersedes it.
    if (current !== run || run.result) return;
    if (p.fresh) for (const name of OUTPUT_NAMES) run.outputs[name].set(p.fresh.outputs[name], p.fresh.first);
    if (p.fresh && firstCells) {
      firstCells = false;
      heatmap.draw();
      performance.mark('sweep-first-cells');
    }
    progress.value = p.networkStepsDone / Math.max(1, p.networkSteps);
    $('progress-text').textContent = formatProgress(p);
    queueDraw();
  };
  // Tiles of at most a sixteenth of the sweep, starting at 4,096 cells and doubling, let the heatmap fill in early.
  const tileCells = Math.min(1 << 20, Math.max(4096, Math.ceil(cells / 16)));
  try {
    const result = await runner.run(spec, { tileCells, firstTileCells: 4096 }, proxy(onProgress));
    if (current !== run) return;
    run.result = result;
    run.outputs = result.outputs;
    heatmap.show(spec, result.outputs);
    heatmap.draw();
    const classes = countClasses(result.outputs, result.cellsDone);
    const status = result.error ? `Interrupted: ${result.error}` : result.status === 'cancelled' ? `Cancelled: ${result.cellsDone.toLocaleString()} of ${cells.toLocaleString()} cells were finished and are kept.` : 'Done.';
    $('progress-text').textContent = `${status} ${(result.elapsedMs / 1000).toFixed(2)} s, ${(result.networkStepsPerSecond / 1e6).toFixed(1)} M network-steps/s on ${result.backend.kind === 'webgpu' ? result.backend.adapter : 'the CPU reference'}. ` +
      `Converged ${classes.converged.toLocaleString()}, stalled ${classes.stalled.toLocaleString()}, diverged ${classes.diverged.toLocaleString()}.`;
    progress.value = result.cellsDone / cells;
  } catch (e) {
    if (current === run) $('progress-text').textContent = `The sweep failed: ${(e as Error).message}`;
  } finally {
    if (current === run) { run.running = false; setRunning(false); }
  }
}

$('cancel').addEventListener('click', () => { void runner.cancel(); void comparer.cancel(); });

// ---------- heatmap controls, hover, export

const metric = $<HTMLSelectElement>('metric');
for (const m of HEATMAP_METRICS) metric.append(Object.assign(document.createElement('option'), { value: m, textContent: m === 'class' ? 'class map' : m }));
metric.addEventListener('change', () => { heatmap.metric = metric.value as HeatmapMetric; heatmap.draw(); });

function showHover(cell: number | undefined): void {
  const out = $('hover');
  if (cell === undefined || !current) { out.textContent = 'Hover a cell to read it; click to inspect it.'; return; }
  const o = current.outputs;
  const v = (x: number) => (Number.isFinite(x) ? x.toExponential(3) : '–');
  out.textContent = `${describeCell(current.spec, cell)} → finalLoss ${v(o.finalLoss[cell])}, minLoss ${v(o.minLoss[cell])}, ` +
    `stepsToThreshold ${o.stepsToThreshold[cell]}, divergedAt ${o.divergedAt[cell]} (${Number.isNaN(o.finalLoss[cell]) && o.divergedAt[cell] < 0 ? 'not run' : classify(o.stepsToThreshold[cell], o.divergedAt[cell])})`;
}

$('export-json').addEventListener('click', () => {
  if (!current?.result) return;
  const r = current.result;
  const file = buildResults(current.spec, r.backend.kind === 'webgpu' ? 'webgpu' : 'cpu', r.backend.kind === 'webgpu' ? r.backend.adapter : 'cpu / float64 reference', r);
  download('results.json', new Blob([JSON.stringify(file)], { type: 'application/json' }));
});
$('export-png').addEventListener('click', () => $<HTMLCanvasElement>('heatmap').toBlob((blob) => blob && download(`${heatmap.metric}.png`, blob)));
$('export-csv').addEventListener('click', () => current?.result && download('results.csv', new Blob([resultsCsv(current.spec, current.outputs)], { type: 'text/csv' })));

// ---------- GPU vs CPU

$('compare').addEventListener('click', async () => {
  const run = current;
  if (!run?.result) return;
  const { cells } = gridSize(run.spec);
  const done = run.result.cellsDone;
  const budgetCells = Math.max(1, Math.floor(COMPARE_BUDGET / Math.max(1, run.spec.steps)));
  // Finished cells are a prefix (tiles run in order); sample them evenly when the full check is over budget.
  const count = Math.min(done, budgetCells);
  const indices = Int32Array.from({ length: count }, (_, i) => Math.floor((i * done) / count));
  $('compare-panel').hidden = false;
  $<HTMLButtonElement>('compare').disabled = true;
  const text = $('compare-text');
  const sampled = count < done
    ? `a sample of ${count.toLocaleString()} of the ${done.toLocaleString()} finished cells, evenly spread (the page checks at most ${COMPARE_BUDGET.toExponential(0)} network-steps; \`npm run sweep -- spec.json --compare\` checks every cell)`
    : `all ${count.toLocaleString()} finished cells`;
  text.textContent = `Running the float64 reference on ${sampled}…`;
  $<HTMLButtonElement>('cancel').disabled = false;
  const summary = $('progress-text').textContent;
  let finished = false;
  const reference = await comparer.reference(run.spec, indices, proxy((n: number, total: number) => {
    if (finished) return; // a late report (see onProgress in startRun)
    $('progress-text').textContent = `float64 reference: ${n.toLocaleString()} of ${total.toLocaleString()} cells`;
    $<HTMLProgressElement>('progress').value = n / total;
  }));
  finished = true;
  if (current !== run) return; // a new sweep started meanwhile: its controls and status are its own
  $<HTMLButtonElement>('cancel').disabled = true;
  $<HTMLButtonElement>('compare').disabled = false;
  $('progress-text').textContent = summary;
  $<HTMLProgressElement>('progress').value = run.result.cellsDone / cells;
  const compared = indices.subarray(0, reference.cellsDone);
  const a = compareOutputs(run.outputs, reference.outputs, compared);
  const e = (x: number) => (Number.isNaN(x) ? '–' : x.toExponential(2));
  text.textContent = `Compared on ${reference.cellsDone < count ? `the first ${reference.cellsDone.toLocaleString()} (cancelled) of ` : ''}${sampled}: ` +
    `the class agrees on ${(100 * a.classAgreementRate).toFixed(2)}% (${a.classDisagreements} cells differ). Where both converged (${a.bothConverged.toLocaleString()} cells), ` +
    `finalLoss differs by at most ${e(a.finalLossAbsErrorMax)} absolute (median ${e(a.finalLossAbsErrorMedian)}); relative error max ${e(a.finalLossRelErrorMax)}, median ${e(a.finalLossRelErrorMedian)} ` +
    `over the ${a.relativeCells.toLocaleString()} with loss ≥ ${RELATIVE_ERROR_FLOOR}. float64 ran at ${(reference.networkStepsPerSecond / 1e6).toFixed(1)} M network-steps/s.`;
  const map = disagreementMap(run.outputs, reference.outputs, compared);
  heatmap.setDisagreement($<HTMLInputElement>('show-disagreement').checked ? map : undefined);
  $<HTMLInputElement>('show-disagreement').onchange = (ev) => { heatmap.setDisagreement((ev.target as HTMLInputElement).checked ? map : undefined); heatmap.draw(); };
  heatmap.draw();
});

// ---------- start

void runner.init().then((b) => {
  backend = b;
  const badge = $('backend');
  badge.textContent = b.kind === 'webgpu' ? `WebGPU: ${b.adapter}` : 'CPU reference (no WebGPU)';
  badge.classList.toggle('cpu', b.kind === 'cpu');
  if (b.kind === 'cpu') {
    const notice = $('no-webgpu');
    notice.hidden = false;
    notice.textContent = `WebGPU is not available here: ${b.reason} Sweeps run on the float64 CPU reference in a web worker instead: the same results, much slower.`;
  }
});
route();
