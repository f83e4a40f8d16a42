/**
 * The page: routes between the course experiment and the sweep view (an explorer: every zoom is a new view, a new
 * URL and a new history entry), runs views in a worker with progressive refinement, and wires the panels together.
 * All GPU work happens in workers.
 */
import { compareOutputs, disagreementMap, RELATIVE_ERROR_FLOOR } from '../core/compare';
import { resultsCsv } from '../core/csv';
import { gridSize } from '../core/grid';
import { HEATMAP_METRICS, type HeatmapMetric } from '../core/heatmap';
import { allocateOutputs, classify, countClasses, OUTPUT_NAMES, type SweepOutputs } from '../core/outputs';
import { completedStride, refinementPlan, type RefinementPlan } from '../core/refine';
import { buildResults } from '../core/results';
import { parseSpec, type SweepSpec } from '../core/spec';
import { rectAround, zoomProblem, zoomSpec, type ViewRect } from '../core/zoom';
import type { Capabilities, SweepProgress, SweepRunResult } from '../worker/sweep.worker';
import { mountAbPanel } from './ab-panel';
import { showBoundary } from './boundary-panel';
import { CourseView } from './course-view';
import { download } from './download';
import { HeatmapView } from './heatmap-view';
import { describeCell, inspectCell, replayEvery } from './inspector';
import { READY_MADE } from './ready-made';
import { buildSpecForm, fillSpecForm, readSpecForm, showSpecErrors } from './spec-form';
import { mountMoviePanel } from './movie-panel';
import { precisionNotice } from './precision';
import { proxy, startSweepWorker } from './sweep-client';
import { readUrlState, specQuery, type Engine, type EngineChoice } from './url-state';
import { cpuAdapter, cpuEngineName } from '../core/engine';
import { rate, type RunResult } from '../core/run';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const runner = startSweepWorker();
const comparer = startSweepWorker();
// The course view has its own worker: each worker runs one thing at a time, and a course run must not cancel a sweep.
const courseRunner = startSweepWorker();
// Spot checks of each float32 view against float64 (CPU only, small): their own worker, so they never cancel A/B or a movie.
const checker = startSweepWorker();

/** Cells of a float32 view replayed on float64 after it finishes, to detect chaotic regions (about 0.1 s at 1000 steps). */
const SPOT_CHECK_CELLS = 512;

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

/**
 * Budget of the in-page comparison, in network-steps: every cell of any sweep up to 2 M cells × 1000 steps; larger
 * sweeps are sampled evenly. For a float32 view it runs float64 on the CPU engine (about 20 s on two cores here, ~98 M
 * network-steps/s in npm run bench); for a float64 view, float32 on the GPU, or without WebGPU on the CPU engine's
 * float32 mode, which is not SIMD (about 75 s on two cores here).
 */
const COMPARE_BUDGET = 2e9;

/**
 * The view on screen. Cells are computed in plan.order (coarse passes first); `computed` marks the cells done, and
 * until then a cell shows its block corner's value at the finest complete pass.
 */
interface Current {
  spec: SweepSpec; engine: Engine; plan: RefinementPlan; computed: Uint8Array; outputs: SweepOutputs; result?: SweepRunResult; running: boolean;
  /** The float64 spot check of a finished float32 view, once done. */
  spot?: { text: string; agreement: number };
}
let current: Current | undefined;
/** The engine the user chose for the next view (URL: &engine=float32|float64), or auto: the page's choice. */
let engineChoice: EngineChoice = 'auto';
/** What the sweep worker found: the WebGPU adapter (or why none), the CPU threads, what auto picks. Set before route(). */
let capabilities: Capabilities | undefined;
/** The arithmetic of the next view. */
const resolvedEngine = (): Engine => (engineChoice !== 'auto' ? engineChoice : capabilities?.auto.device === 'cpu' ? 'float64' : 'float32');

/**
 * Finished views by URL query, so back and forward through a zoom trail show them at once. Bounded by cells (24
 * bytes each): at most 8 views and 4 M cells.
 */
const viewCache = new Map<string, Current>();
const VIEW_CACHE = { views: 8, cells: 4 * 1024 * 1024 };
function cacheView(query: string, view: Current): void {
  viewCache.delete(query);
  viewCache.set(query, view);
  let cells = 0;
  for (const v of viewCache.values()) cells += v.computed.length;
  for (const [key, v] of viewCache) {
    if (viewCache.size <= VIEW_CACHE.views && cells <= VIEW_CACHE.cells) break;
    viewCache.delete(key);
    cells -= v.computed.length;
  }
}
/** The view's key in the cache: its link (the spec is in the query, or in the fragment for long ones). */
const viewKey = () => location.search + location.hash;

/** Who computes `engine` here, in words (before a run: from the worker's findings). */
function engineName(engine: Engine): string {
  const threads = capabilities?.threads ?? 1, gpu = capabilities?.gpu;
  if (engine === 'float64') return cpuEngineName('f64', threads);
  return gpu && 'adapter' in gpu ? `WebGPU (${gpu.adapter}, float32)` : `${cpuEngineName('f32', threads)} (no WebGPU)`;
}
/** What ran a finished run, in words. */
const ranOn = ({ backend }: SweepRunResult) => (backend.kind === 'webgpu' ? `WebGPU (${backend.adapter}, float32)` : cpuEngineName(backend.precision, backend.threads));

// ---------- views and routing

function showView(view: 'course' | 'sweep'): void {
  $('course').hidden = view !== 'course';
  $('sweep').hidden = view !== 'sweep';
  $('nav-course').setAttribute('aria-current', view === 'course' ? 'page' : 'false');
  $('nav-sweep').setAttribute('aria-current', view === 'sweep' ? 'page' : 'false');
}

const course = new CourseView($('course'), (spec) => courseRunner.run(spec, { engine: 'float32', recordLoss: true }, proxy(() => undefined)),
  (spec, cell, precision) => courseRunner.trace(spec, cell, precision));

function openSweep(spec: SweepSpec, run: boolean): void {
  fillSpecForm(form, spec);
  showSpecErrors(form, []);
  $('spec-errors').textContent = '';
  $('explore-error').textContent = '';
  $<HTMLSelectElement>('engine').value = engineChoice;
  showView('sweep');
  const cached = run ? viewCache.get(viewKey()) : undefined;
  if (cached) {
    if (current?.running) void runner.cancel(); // the view being left is abandoned
    runGeneration++;
    resetViewPanels(spec);
    cacheView(viewKey(), cached); // most recently used
    showFinished(cached);
  } else if (run) void startRun(spec);
  else resetViewPanels(spec);
}

/** Hides what belonged to the previous view (inspector, comparison, A/B, spot check, movie target); shows the precision notice. */
function resetViewPanels(spec: SweepSpec): void {
  for (const id of ['inspector', 'compare-panel', 'boundary-panel', 'spot-check']) $(id).hidden = true;
  abPanel.reset(spec);
  moviePanel.reset();
  showPrecision(spec);
}

/** The precision notice for a view on the current engine (hidden when the view is far from the limit). */
function showPrecision(spec: SweepSpec): void {
  const notice = precisionNotice(spec, resolvedEngine());
  $('precision').hidden = !notice;
  $('precision').classList.toggle('stripes', notice?.level === 'stripes');
  $('precision-text').textContent = notice?.text ?? '';
  $('use-float64').hidden = !notice?.offerFloat64;
}

function route(): void {
  const state = readUrlState(location.search, location.hash);
  if (state.view === 'course') {
    showView('course');
    void course.show('era-v1');
    return;
  }
  engineChoice = state.engine;
  const engineError = state.engineError ?? '';
  const tooLarge = state.result.ok ? pageLimitError(state.result.spec) : undefined;
  if (state.result.ok && !tooLarge) {
    openSweep(state.result.spec, true);
    $('explore-error').textContent = engineError;
    return;
  }
  if (state.result.ok) fillSpecForm(form, state.result.spec);
  const errors = state.result.ok ? [tooLarge!] : state.result.errors;
  showView('sweep');
  $('spec-errors').textContent = `The spec in this link cannot run here, so nothing ran. Fix the fields below (or edit the link) and press Run:\n${errors.map((e) => `• ${e}`).join('\n')}`;
  showSpecErrors(form, errors);
}

/** Opens `spec` as a new view: a new history entry (the zoom trail) and a run. */
function goTo(spec: SweepSpec): void {
  history.pushState(null, '', specQuery(spec, engineChoice));
  openSweep(spec, true);
}

// ---------- the sweep form

const form = $<HTMLFormElement>('spec-form');
buildSpecForm(form);
for (const ready of READY_MADE) {
  const b = Object.assign(document.createElement('button'), { type: 'button', textContent: ready.name, title: ready.title });
  b.addEventListener('click', () => {
    const r = parseSpec(ready.spec);
    if (r.ok) { history.pushState(null, '', specQuery(r.spec, engineChoice)); openSweep(r.spec, false); }
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
  history.pushState(null, '', specQuery(defaultSweep(), engineChoice));
  openSweep(defaultSweep(), false);
});
$('open-sweep').addEventListener('click', () => {
  history.pushState(null, '', specQuery(defaultSweep(), engineChoice));
  openSweep(defaultSweep(), true);
});
window.addEventListener('popstate', route);
window.addEventListener('hashchange', route); // an edited long link (#spec=…)

$('run').addEventListener('click', () => {
  const r = parseSpec(readSpecForm(form));
  const errors = r.ok ? [pageLimitError(r.spec)].filter((e): e is string => e !== undefined) : r.errors;
  showSpecErrors(form, errors);
  $('spec-errors').textContent = errors.map((e) => `• ${e}`).join('\n');
  if (!r.ok || errors.length) return;
  history.pushState(null, '', specQuery(r.spec, engineChoice));
  void startRun(r.spec);
});

// ---------- running

const heatmap = new HeatmapView($<HTMLCanvasElement>('heatmap'), showHover, (cell) => {
  const view = current;
  if (!view) return;
  moviePanel.chooseTarget(cell);
  const every = replayEvery(view.spec.steps);
  checker.trace(view.spec, cell, 'f64', every).then((replay) => {
    if (current === view) inspectCell($('inspector'), view.spec, view.outputs, cell, view.result ? ranOn(view.result) : engineName(view.engine), replay, every);
  }, (e: Error) => { $('explore-error').textContent = `The cell could not be replayed: ${e.message}`; });
});
heatmap.draw();

/**
 * Redraws at the next frame: fully (new color scale, new refinement blocks) when `full`, else by recoloring only the
 * cells queued since the last frame.
 */
let drawQueued = false, fullDraw = false, pendingCells: Int32Array[] = [];
function queueDraw(full: boolean, cells?: Int32Array): void {
  fullDraw ||= full;
  if (cells) pendingCells.push(cells);
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => {
    drawQueued = false;
    if (fullDraw) heatmap.draw();
    else for (const c of pendingCells) heatmap.update(c);
    fullDraw = false;
    pendingCells = [];
  });
}

/** Compare, A/B and the zoom movie share the comparer worker, which runs one job at a time (a new job cancels the last). */
let comparerBusy = false;

function setRunning(running: boolean): void {
  $<HTMLButtonElement>('run').disabled = running;
  $<HTMLButtonElement>('cancel').disabled = !running;
  for (const id of ['export-json', 'export-png', 'export-csv']) $<HTMLButtonElement>(id).disabled = running || !current?.result;
  for (const id of ['compare', 'ab-run', 'movie-make']) $<HTMLButtonElement>(id).disabled = running || comparerBusy || !current?.result;
}

/** Runs a job on the comparer worker with its three buttons disabled meanwhile. */
async function onComparer<T>(job: () => Promise<T>): Promise<T> {
  comparerBusy = true;
  setRunning(current?.running ?? false);
  try {
    return await job();
  } finally {
    comparerBusy = false;
    setRunning(current?.running ?? false);
  }
}

function formatProgress(p: SweepProgress, plan: RefinementPlan): string {
  const done = p.networkStepsDone / Math.max(1, p.networkSteps);
  const rate = p.elapsedMs > 0 ? p.networkStepsDone / (p.elapsedMs / 1000) : 0;
  const eta = done > 0 ? ((p.elapsedMs / done) * (1 - done)) / 1000 : NaN;
  const pass = plan.passEnds.findIndex((end) => p.cellsDone < end);
  const passText = plan.strides.length > 1 ? `pass ${pass < 0 ? plan.strides.length : pass + 1} of ${plan.strides.length} · ` : '';
  return `${passText}${(100 * done).toFixed(1)}% · ${p.cellsDone.toLocaleString()} of ${p.cells.toLocaleString()} cells done · ` +
    `${(rate / 1e6).toFixed(1)} M network-steps/s · ${Number.isFinite(eta) ? `about ${eta.toFixed(1)} s left` : 'starting'}`;
}

/** Shows a finished (or cancelled, or interrupted) view: heatmap, status line, boundary. */
function showFinished(run: Current): void {
  const result = run.result!;
  current = run;
  const { cells } = gridSize(run.spec);
  heatmap.show(run.spec, run.outputs);
  heatmap.draw();
  const classes = countClasses(run.outputs);
  const left = cells - result.cellsDone;
  const status = result.error ? `Interrupted: ${result.error} ${result.cellsDone.toLocaleString()} of ${cells.toLocaleString()} cells are kept; Continue computes the ${left.toLocaleString()} left.`
    : result.status === 'cancelled' ? `Cancelled: ${result.cellsDone.toLocaleString()} of ${cells.toLocaleString()} cells were finished and are kept (the coarse passes first; the rest show as "not run"); Continue computes the ${left.toLocaleString()} left.` : 'Done.';
  const resume = $<HTMLButtonElement>('continue-run');
  resume.hidden = result.status === 'complete';
  resume.textContent = `Continue (${left.toLocaleString()} cells left)`;
  $('progress-text').textContent = `${status} ${(result.elapsedMs / 1000).toFixed(2)} s, ${(result.networkStepsPerSecond / 1e6).toFixed(1)} M network-steps/s on ${ranOn(result)}. ` +
    `Converged ${classes.converged.toLocaleString()}, stalled ${classes.stalled.toLocaleString()}, diverged ${classes.diverged.toLocaleString()}.`;
  $<HTMLProgressElement>('progress').value = result.cellsDone / cells;
  $('heatmap').dataset.stride = result.status === 'complete' ? '1' : '';
  const complete = result.status === 'complete' && !result.error;
  showBoundary($('boundary-panel'), run.spec, run.outputs, complete);
  if (complete && run.engine === 'float32') void spotCheck(run);
  else $('spot-check').hidden = true;
  abPanel.showSetting(run.spec);
  $('compare-panel').hidden = true;
  setRunning(false);
}

/** Cells of a view's first pass (and first GPU tile): a 32 × 32 picture arrives after ~1/1000 of a 1024² view. */
const FIRST_PASS_CELLS = 1024;

/** The refinement plan of the last grid size: zooms keep the counts, so every view of a trail reuses it. */
let lastPlan: RefinementPlan | undefined;
function planFor(nx: number, ny: number): RefinementPlan {
  if (lastPlan?.nx !== nx || lastPlan.ny !== ny) lastPlan = refinementPlan(nx, ny, FIRST_PASS_CELLS);
  return lastPlan;
}

/** Counts views opened; a startRun that waited for a cancel gives up if another view was opened meanwhile. */
let runGeneration = 0;

/**
 * Runs `spec` as a new view; or, given `from` (a cancelled or interrupted view on screen), computes only its cells not
 * done, the rest of its refinement order, on its engine, and joins them to it.
 */
async function startRun(spec: SweepSpec, from?: Current): Promise<void> {
  const generation = ++runGeneration;
  if (current?.running) await runner.cancel();
  if (generation !== runGeneration) return;
  const { nx, ny, cells } = gridSize(spec);
  fullDraw = false; // refreshes queued for the previous view
  pendingCells = [];
  performance.mark('sweep-start'); // with 'sweep-first-cells': the latency to the first partial heatmap (npm run bench)
  let firstCells = true;
  const plan = planFor(nx, ny);
  // The engine choice needs the worker's findings; if the worker could not start, the status line says so already.
  if (!(await started) || generation !== runGeneration) return;
  // Cells are computed in plan.order; a continued view has its first `offset` already.
  const offset = from?.result?.cellsDone ?? 0;
  const previous = from?.result;
  const engine = from?.engine ?? resolvedEngine();
  const run: Current = from ?? { spec, engine, plan, computed: new Uint8Array(cells), outputs: allocateOutputs(cells), running: true };
  run.running = true;
  run.result = undefined;
  const query = viewKey();
  current = run;
  const fill = { computed: run.computed, stride: offset ? completedStride(plan, offset) : undefined };
  const progress = $<HTMLProgressElement>('progress');
  const canvas = $('heatmap');
  const onProgress = (fromRun: SweepProgress) => {
    // Progress travels through comlink asynchronously: a report can land after the result, which supersedes it.
    if (current !== run || run.result) return;
    // Counted over the whole view, the cells of an earlier run included.
    const p = { ...fromRun, cellsDone: offset + fromRun.cellsDone, cells, networkStepsDone: offset * spec.steps + fromRun.networkStepsDone, networkSteps: cells * spec.steps };
    if (p.fresh) {
      const { first, outputs: fresh } = p.fresh;
      for (let j = 0; j < fresh.finalLoss.length; j++) {
        const cell = plan.order[offset + first + j];
        for (const name of OUTPUT_NAMES) run.outputs[name][cell] = fresh[name][j];
        run.computed[cell] = 1;
      }
    }
    let previousStride = fill.stride;
    const stride = (fill.stride = completedStride(plan, p.cellsDone));
    canvas.dataset.stride = String(stride ?? ''); // for tests: the finest complete pass on screen
    if (p.fresh && firstCells && stride !== undefined) {
      firstCells = false;
      heatmap.draw();
      performance.mark('sweep-first-cells');
      previousStride = stride; // drawn just now
    }
    progress.value = p.networkStepsDone / Math.max(1, p.networkSteps);
    $('progress-text').textContent = formatProgress(p, plan);
    // A finished pass changes the blocks of every cell not yet computed: redraw all (and rescale); else recolor the new cells.
    if (stride !== previousStride) queueDraw(true);
    else if (p.fresh) queueDraw(false, plan.order.subarray(offset + p.fresh.first, offset + p.fresh.first + p.fresh.outputs.finalLoss.length));
  };
  // Tiles of at most a sixteenth of the sweep, starting with the first pass and doubling. The worker
  // starts first; the page clears its panels meanwhile.
  const tileCells = Math.min(1 << 20, Math.max(4096, Math.ceil(cells / 16)));
  const order = plan.order.subarray(offset);
  const pending = runner.run(spec, { engine, tileCells, firstTileCells: offset ? undefined : plan.passEnds[0], cellOrder: order }, proxy(onProgress));
  if (from) heatmap.show(spec, run.outputs);
  else heatmap.clear(spec, run.outputs);
  heatmap.setRefinement(fill);
  if (from) queueDraw(true);
  else resetViewPanels(spec);
  $('continue-run').hidden = true;
  setRunning(true);
  progress.value = offset / cells;
  $('progress-text').textContent = `${from ? `Continuing: ${(cells - offset).toLocaleString()} cells left` : 'Starting'} on ${engineName(engine)}…`;
  try {
    const fresh = await pending;
    if (current !== run) return;
    for (let k = 0; k < fresh.cellsDone; k++) {
      const cell = order[k];
      for (const name of OUTPUT_NAMES) run.outputs[name][cell] = fresh.outputs[name][cell];
      run.computed[cell] = 1;
    }
    // The view's result, joined to the earlier run's when this one continued it.
    const cellsDone = offset + fresh.cellsDone, elapsedMs = (previous?.elapsedMs ?? 0) + fresh.elapsedMs;
    const status = cellsDone === cells ? 'complete' : fresh.status;
    run.result = { ...fresh, outputs: run.outputs, cellsDone, elapsedMs, status, networkStepsPerSecond: rate(cellsDone, spec.steps, elapsedMs) };
    run.running = false;
    showFinished(run);
    if (status === 'complete' && !fresh.error) cacheView(query, run);
  } catch (e) {
    if (current === run) $('progress-text').textContent = `The sweep failed: ${(e as Error).message}`;
  } finally {
    if (current === run) { run.running = false; setRunning(false); }
  }
}

/**
 * Replays an even sample of a finished float32 view on float64 and says how often the classes agree. In chaotic
 * regions rounding decides single cells long before the axis values run out of float32 resolution.
 */
async function spotCheck(run: Current): Promise<void> {
  const line = $('spot-check');
  line.hidden = true;
  if (!run.spot) {
    const cells = run.plan.order.length, count = Math.min(cells, SPOT_CHECK_CELLS);
    const indices = Int32Array.from({ length: count }, (_, i) => run.plan.order[Math.floor((i * cells) / count)]);
    const reference = await checker.reference(run.spec, indices, proxy(() => undefined));
    if (reference.cellsDone < count) return;
    const a = compareOutputs(run.outputs, reference.outputs, indices);
    const percent = (100 * a.classAgreementRate).toFixed(1);
    run.spot = {
      agreement: a.classAgreementRate,
      text: a.classAgreementRate < 0.99
        ? `Spot check: on ${count} cells spread over this view, float32 and float64 agree on the class of only ${percent}% (${a.classDisagreements} differ). Training is chaotic here: single cells depend on rounding, so read the picture's statistics (how much converges, the dimension), not single cells; switch to float64 for cell-exact results, or Compare for a larger check.`
        : `Spot check: float32 and float64 agree on the class of ${percent}% of ${count} cells spread over this view.`,
    };
  }
  if (current !== run) return;
  line.hidden = false;
  line.classList.toggle('stripes', run.spot.agreement < 0.99);
  line.classList.toggle('ok', run.spot.agreement >= 0.99);
  line.textContent = run.spot.text;
  line.dataset.agreement = String(run.spot.agreement);
}

// ---------- exploring: zoom, pan, the trail, the engine

function zoomTo(rect: ViewRect): void {
  if (!current) return;
  const problem = zoomProblem(current.spec, rect);
  $('explore-error').textContent = problem ?? '';
  if (problem) { heatmap.paint(); return; }
  goTo(zoomSpec(current.spec, rect));
}
heatmap.onZoom = zoomTo;
$('zoom-out').addEventListener('click', () => zoomTo(rectAround(0.5, 0.5, 0.5)));
$('view-back').addEventListener('click', () => history.back());
$('view-forward').addEventListener('click', () => history.forward());

function setEngine(next: EngineChoice): void {
  engineChoice = next;
  if (current) goTo(current.spec);
}
$('engine').addEventListener('change', (e) => setEngine((e.target as HTMLSelectElement).value as EngineChoice));
$('use-float64').addEventListener('click', () => setEngine('float64'));

// ---------- A/B and the zoom movie (on the comparer worker, one job at a time)

const aside = {
  current: () => current,
  exclusive: onComparer,
  run: (spec: SweepSpec, engine: Engine) => comparer.run(spec, { engine }, proxy(() => undefined)),
};
const abPanel = mountAbPanel(aside);
const moviePanel = mountMoviePanel(aside, () => heatmap.metric);

$('cancel').addEventListener('click', () => { void runner.cancel(); void comparer.cancel(); });
$('continue-run').addEventListener('click', () => { if (current?.result && !current.running) void startRun(current.spec, current); });

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
  const b = r.backend;
  // The command line's names: backend webgpu | cpu | cpu-f32, and the adapter or the CPU engine with its threads.
  const file = b.kind === 'webgpu' ? buildResults(current.spec, 'webgpu', b.adapter, r)
    : buildResults(current.spec, b.precision === 'f64' ? 'cpu' : 'cpu-f32', cpuAdapter(b.precision, b.threads), r);
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
  // The finished cells are the first `done` of the refinement order; sample them evenly when over budget.
  const count = Math.min(done, budgetCells);
  const indices = Int32Array.from({ length: count }, (_, i) => run.plan.order[Math.floor((i * done) / count)]);
  // Compare runs the other arithmetic on the same cells: float64 for a float32 view, float32 for a float64 one.
  const other: Engine = run.engine === 'float32' ? 'float64' : 'float32';
  $('compare-panel').hidden = false;
  const text = $('compare-text');
  const sampled = count < done
    ? `a sample of ${count.toLocaleString()} of the ${done.toLocaleString()} finished cells, evenly spread (the page checks at most ${COMPARE_BUDGET.toExponential(0)} network-steps; \`npm run sweep -- spec.json --compare\` checks every cell)`
    : `all ${count.toLocaleString()} finished cells`;
  text.textContent = `Running ${engineName(other)} on ${sampled}…`;
  $<HTMLButtonElement>('cancel').disabled = false;
  const summary = $('progress-text').textContent;
  let finished = false;
  const showProgress = (n: number, total: number) => {
    if (finished || current !== run) return; // a late report (see onProgress in startRun), or another view on screen
    $('progress-text').textContent = `${engineName(other)}: ${n.toLocaleString()} of ${total.toLocaleString()} cells`;
    $<HTMLProgressElement>('progress').value = n / total;
  };
  const computed: RunResult & { backend?: SweepRunResult['backend'] } = await onComparer(() => (other === 'float64'
    ? comparer.reference(run.spec, indices, proxy(showProgress))
    : comparer.run(run.spec, { engine: 'float32', cellOrder: indices }, proxy((p: SweepProgress) => showProgress(p.cellsDone, p.cells)))));
  finished = true;
  if (current !== run) return; // a new sweep started meanwhile: its controls and status are its own
  $<HTMLButtonElement>('cancel').disabled = true;
  $('progress-text').textContent = summary;
  $<HTMLProgressElement>('progress').value = run.result.cellsDone / cells;
  const compared = indices.subarray(0, computed.cellsDone);
  const [float32, float64] = other === 'float64' ? [run.outputs, computed.outputs] : [computed.outputs, run.outputs];
  const a = compareOutputs(float32, float64, compared);
  const e = (x: number) => (Number.isNaN(x) ? '–' : x.toExponential(2));
  text.textContent = `Compared float32 with float64 on ${computed.cellsDone < count ? `the first ${computed.cellsDone.toLocaleString()} (cancelled) of ` : ''}${sampled}: ` +
    `the class agrees on ${(100 * a.classAgreementRate).toFixed(2)}% (${a.classDisagreements} cells differ). Where both converged (${a.bothConverged.toLocaleString()} cells), ` +
    `finalLoss differs by at most ${e(a.finalLossAbsErrorMax)} absolute (median ${e(a.finalLossAbsErrorMedian)}); relative error max ${e(a.finalLossRelErrorMax)}, median ${e(a.finalLossRelErrorMedian)} ` +
    `over the ${a.relativeCells.toLocaleString()} with loss ≥ ${RELATIVE_ERROR_FLOOR}. ${computed.backend ? ranOn(computed as SweepRunResult) : engineName(other)} ran at ${(computed.networkStepsPerSecond / 1e6).toFixed(1)} M network-steps/s ` +
    `(${(computed.elapsedMs / 1000).toFixed(2)} s).`;
  const map = disagreementMap(float32, float64, compared);
  heatmap.setDisagreement($<HTMLInputElement>('show-disagreement').checked ? map : undefined);
  $<HTMLInputElement>('show-disagreement').onchange = (ev) => { heatmap.setDisagreement((ev.target as HTMLInputElement).checked ? map : undefined); heatmap.draw(); };
  heatmap.draw();
});

// ---------- start

// The worker's findings (adapter, threads) decide what auto runs on: runs wait for them (startRun), the page does not.
// Resolves to whether the worker started.
const started = runner.init().then((found) => {
  capabilities = found;
  const { gpu, threads, auto, cpuMissing } = found;
  const badge = $('backend');
  const cpuAuto = auto.device === 'cpu';
  badge.textContent = cpuAuto ? `Engine: ${cpuEngineName('f64', threads)}` : `Engine: WebGPU, ${'adapter' in gpu ? gpu.adapter : ''}`;
  badge.classList.toggle('cpu', cpuAuto);
  const options = $<HTMLSelectElement>('engine').options;
  options[0].textContent = `Auto: ${cpuAuto ? 'float64 on the CPU' : 'float32 on the GPU'}`;
  options[1].textContent = 'adapter' in gpu ? `float32 on the GPU (${gpu.adapter}${gpu.isFallback ? ', a CPU emulation' : ''})` : 'float32 (no WebGPU: float32-faithful WebAssembly)';
  options[2].textContent = cpuMissing ? 'float64 on the CPU (cannot start here)' : `float64 on the CPU (${threads} thread${threads === 1 ? '' : 's'}, exact)`;
  const notice = $('no-webgpu');
  notice.hidden = !cpuAuto && !cpuMissing;
  if (cpuMissing) notice.textContent = `The CPU engine cannot start in this browser (${cpuMissing}): sweeps run on ${auto.reason.replace(/:.*/, '')}, and float64 views are not available.`;
  else if (cpuAuto) {
    notice.textContent = 'missing' in gpu
      ? `WebGPU is not available here: ${gpu.missing} Sweeps run on the CPU engine instead: ${cpuEngineName('f64', threads)}, the float64 reference's exact bits.`
      : `This browser's WebGPU adapter (${gpu.adapter}) is a CPU emulation, slower here than the CPU engine: sweeps run as ${cpuEngineName('f64', threads)} (exact). Choose the GPU under Engine to run float32 WebGPU anyway.`;
  }
  if (current) showPrecision(current.spec);
  return true;
}, (e: Error) => { $('progress-text').textContent = `The page could not start its worker: ${e.message}. Reload the page; if it repeats, this browser lacks WebAssembly or web workers.`; return false; });
route();
