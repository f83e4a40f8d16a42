/**
 * The MNIST view: the settings form, the list of runs, the shown run's live curves (with a compared run's, dashed),
 * table and accuracy heatmap, the selected copy's misclassified test digits, and a canvas to draw a digit for it. This
 * panel owns the view's state (every run's results, each copy's latest weights and predictions, the selection);
 * training runs in src/worker/mnist.worker.ts.
 */
import * as Comlink from 'comlink';
import { DEFAULT_MODEL, describeLayer, placeModel } from '../../mnist/model';
import { bestEpoch, checkWeights, formatPercent, newResults, recordCopyEvent, weightsFile, type WeightsFile } from '../../mnist/sweep';
import type { EpochMetrics } from '../../mnist/training';
import type { MnistEvent, MnistWorkerApi } from '../../worker/mnist.worker';
import { drawCurves, replaceChart, SERIES_COLORS } from '../charts';
import { byId, el } from '../dom';
import { download } from '../download';
import { mountReading } from './reading';
import { errorsToShow, formLimits, planLine, readMnistForm, type FieldError, type MnistFormValues } from './form';
import { drawAccuracyHeatmap } from './heatmap';
import { copyEpochs, copyStateText, formatDuration, outcomeText, progressLine, runCurves, type MnistRun } from './runs-history';
import { mountRunsList } from './runs-view';

const model = placeModel(DEFAULT_MODEL);
const percent = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : formatPercent(x));

/** Weights loaded from a file, evaluated on the test set. */
interface Loaded { name: string; file: WeightsFile; accuracy?: number; predictions?: Uint8Array }

export function mountMnist(): { show(): void } {
  const worker = Comlink.wrap<MnistWorkerApi>(new Worker(new URL('../../worker/mnist.worker.ts', import.meta.url), { type: 'module' }));
  /** Every run trained here, oldest first, until the user discards it. */
  let runs: MnistRun[] = [];
  let nextId = 1;
  /** The run in the table, heatmap, gallery and drawing; the run whose curves are drawn dashed beside it. */
  let shownId: number | undefined, comparedId: number | undefined;
  let loaded: Loaded | undefined;
  /** The copy shown in the gallery and used by the drawing: an index into the shown run's copies, or 'loaded'. */
  let selected: number | 'loaded' = 0;
  let running: MnistRun | undefined;
  /** What the running sweep is doing, before its progress figures ("loading MNIST (55 MB)…"). */
  let phase = '';
  /** The running sweep's phase once batches run: "Training on the CPU (2 threads): chosen". */
  let trainingPhase = '';
  let started = false;
  /** The field errors on screen, and the last run's failure (cleared by the next Train). */
  let fieldErrors: FieldError[] = [], runError = '';
  const shown = () => runs.find((r) => r.id === shownId);

  const form = byId('mnist-form', HTMLFormElement);
  const status = byId('mnist-status'), errors = byId('mnist-errors'), progress = byId('mnist-progress', HTMLProgressElement);
  const runButton = byId('mnist-run', HTMLButtonElement), stopButton = byId('mnist-stop', HTMLButtonElement);
  byId('mnist-params').textContent = model.paramCount.toLocaleString('en-US');
  byId('mnist-layers').replaceChildren(
    el('thead', {}, [el('tr', {}, ['layer', 'shape', 'parameters', 'receptive field'].map((h) => el('th', { textContent: h })))]),
    el('tbody', {}, model.layers.map((l) => el('tr', {}, [
      el('td', { textContent: l.spec.kind + ('out' in l.spec ? ` ${l.input.c}→${l.spec.out}` : '') }),
      el('td', { textContent: `${l.output.c}×${l.output.h}×${l.output.w}` }),
      el('td', { textContent: l.paramCount ? String(l.paramCount) : '' }),
      el('td', { textContent: String(l.receptiveField), title: describeLayer(l) }),
    ]))),
  );
  // The copies table scrolls sideways in a box of its own on narrow screens (style.css), its header with it.
  const copiesTable = byId('mnist-table');
  copiesTable.before(el('div', { className: 'mnist-table-box' }));
  copiesTable.previousElementSibling!.append(copiesTable);
  const chartsBox = document.querySelector('#mnist-results .mnist-charts')!;
  const renderRuns = mountRunsList(chartsBox, chartsBox, {
    show(id) { shownId = id; if (comparedId === id) comparedId = undefined; selected = 0; render(); },
    compare(id) { comparedId = id; render(); },
    discard(id) {
      runs = runs.filter((r) => r.id !== id);
      if (comparedId === id) comparedId = undefined;
      if (shownId === id) { shownId = runs.at(-1)?.id; selected = 0; if (comparedId === shownId) comparedId = undefined; }
      render();
    },
  });

  // The number inputs' min and max, from the settings table (src/mnist/settings.ts), which the command line shares.
  for (const { field, min, max } of formLimits()) {
    const input = form.elements.namedItem(field);
    if (input instanceof HTMLInputElement && input.type === 'number') { if (min !== undefined) input.min = String(min); if (max !== undefined) input.max = String(max); }
  }
  const values = (): MnistFormValues => Object.fromEntries(new FormData(form)) as unknown as MnistFormValues;
  /** Re-reads the form after an edit: the plan line, Train's state, and the field errors (`commit`: show them all). */
  const check = (commit: boolean) => {
    const read = readMnistForm(values());
    const plan = byId('mnist-plan');
    plan.textContent = planLine(read);
    plan.classList.toggle('blocked', !read.ok); // Train cannot run it: said in the error colour
    fieldErrors = errorsToShow(read.ok ? [] : read.errors, fieldErrors, commit);
    for (const input of form.querySelectorAll<HTMLInputElement>('input[name], select[name]')) {
      input.setAttribute('aria-invalid', String(fieldErrors.some((e) => e.field === input.name)));
    }
    errors.textContent = [...fieldErrors.map((e) => e.message), runError].filter(Boolean).join('\n');
    runButton.disabled = running !== undefined || !read.ok;
    return read;
  };
  form.addEventListener('input', () => check(false));
  form.addEventListener('change', () => check(true));
  check(false);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void start();
  });
  stopButton.addEventListener('click', () => {
    void worker.stop();
    phase = 'Stopping; every finished epoch stays';
    renderStatus();
  });

  /** The status line while training: what runs, elapsed time and time left. */
  function renderStatus(): void {
    if (!running) return;
    const { done, total } = copyEpochs(running);
    progress.value = total > 0 ? Math.min(1, done / total) : 0;
    status.textContent = `${phase} · ${progressLine(running, performance.now())}`;
  }

  async function start(): Promise<void> {
    if (running) return;
    runError = '';
    const read = check(true);
    if (!read.ok) return;
    const startedMs = performance.now();
    // Claimed before the first await: a second submit meanwhile is ignored, never a second sweep.
    const trainHadFocus = document.activeElement === runButton;
    const run: MnistRun = { id: nextId++, results: newResults(read.run, read.copies, ''), copies: read.copies.map(() => ({})), outcome: 'running', startedMs };
    running = run;
    runButton.disabled = true;
    const engine = await worker.engine(read.device);
    run.results.engine = engine.device === 'webgpu' ? `webgpu (${engine.why})` : `cpu (float32 WebAssembly, ${engine.threads} threads)`;
    // Every copy trains at once on the GPU; on the CPU a copy waits for a free core (its first progress marks it running).
    run.results.copies.forEach((c) => { c.state = engine.device === 'webgpu' ? 'running' : 'waiting'; });
    // The run before stays, and its curves are drawn dashed beside the new one's until the user chooses otherwise.
    comparedId = shownId;
    runs.push(run);
    shownId = run.id;
    selected = 0;
    stopButton.disabled = false;
    if (trainHadFocus) stopButton.focus(); // a disabled button drops the keyboard's focus
    trainingPhase = phase = `Training on ${engine.device === 'webgpu' ? 'the GPU' : `the CPU (${engine.threads} threads)`}: ${engine.why}`;
    const ticker = setInterval(renderStatus, 1000);
    renderStatus();
    render();
    try {
      const outcome = await worker.train(DEFAULT_MODEL as never, read.run, read.copies, engine.device, Comlink.proxy((event: MnistEvent) => onEvent(run, event)));
      for (const c of run.results.copies) if (c.state === 'running' || c.state === 'waiting') c.state = outcome === 'stopped' ? 'stopped' : 'finished';
      run.outcome = outcome;
    } catch (e) {
      for (const c of run.results.copies) if (c.state === 'running') c.state = 'failed';
      run.outcome = 'failed';
      runError = `Training failed: ${(e as Error).message}. The epochs finished before are kept below.`;
    }
    clearInterval(ticker);
    run.elapsedMs = performance.now() - startedMs;
    running = undefined;
    status.textContent = run.outcome === 'finished' ? `Finished: ${summary(run)} Took ${formatDuration(run.elapsedMs)}.`
      : run.outcome === 'stopped' ? `Stopped: run ${run.id} ${outcomeText(run).replace(/^stopped /, '')}. It stays in the list of runs until you discard it.` : '';
    if (run.outcome === 'finished') progress.value = 1;
    check(false);
    const stopHadFocus = document.activeElement === stopButton || document.activeElement === document.body;
    stopButton.disabled = true;
    if (stopHadFocus) runButton.focus();
    render();
  }

  function summary(run: MnistRun): string {
    let best = -1, at = 0;
    run.results.copies.forEach((c, i) => { const b = bestEpoch(c); if (b && b.testAccuracy > best) { best = b.testAccuracy; at = i; } });
    const s = run.results.copies[at]?.settings;
    return best < 0 ? 'no epoch finished.' : `best test accuracy ${percent(best)} (copy ${at}: lr ${s.lr}, dropout ${s.dropout}, seed ${s.seed}) on ${run.results.run.testLimit.toLocaleString('en-US')} test images.`;
  }

  function onEvent(run: MnistRun, event: MnistEvent): void {
    if (event.type === 'status') { phase = event.text; renderStatus(); return; }
    if (event.type === 'progress') {
      if (run.results.copies[event.copy].state === 'waiting') run.results.copies[event.copy].state = 'running';
      run.firstBatchMs ??= performance.now();
      run.copies[event.copy].epochsTrained = event.epoch + event.iteration / event.iterations;
      if (phase.startsWith('loading')) phase = trainingPhase;
      renderStatus();
      if (run.id === shownId) renderTable();
      return;
    }
    recordCopyEvent(run.results, event.copy, event);
    if (event.type === 'epoch') {
      run.copies[event.copy] = { params: event.params, stats: event.stats, predictions: event.predictions, epochsTrained: run.results.copies[event.copy].epochs.length };
      renderStatus();
      render();
    } else if (event.type === 'copy-done') {
      renderTable();
    } else {
      runError = `Copy ${event.copy} of run ${run.id} failed: ${event.message}`;
      check(false);
      renderTable();
    }
  }

  // --- rendering -------------------------------------------------------------------------------------------------

  function render(): void {
    renderRuns(runs, shownId, comparedId);
    renderTable();
    renderCharts();
    drawAccuracyHeatmap(shown()?.results);
    reading.render();
    byId('mnist-export', HTMLButtonElement).disabled = !shown();
    byId('mnist-export-weights', HTMLButtonElement).disabled = selectedWeights() === undefined;
  }

  function renderTable(): void {
    const rows: HTMLTableRowElement[] = [];
    const run = shown();
    run?.results.copies.forEach((c, i) => {
      const last = c.epochs.at(-1), best = bestEpoch(c);
      const row = el('tr', { className: selected === i ? 'selected' : '' }, [
        el('td', {}, [el('input', { type: 'radio', name: 'mnist-copy', checked: selected === i, ariaLabel: `select copy ${i}` })]),
        ...[String(i), String(c.settings.lr), String(c.settings.dropout), String(c.settings.seed), `${c.epochs.length}/${run.results.run.epochs}`,
          last ? last.trainLoss.toFixed(4) : '–', percent(last?.testAccuracy), best ? `${percent(best.testAccuracy)} (${best.epoch})` : '–', copyStateText(run, i)].map((t) => el('td', { textContent: t })),
      ]);
      row.addEventListener('click', () => select(i));
      rows.push(row);
    });
    if (loaded) {
      const row = el('tr', { className: selected === 'loaded' ? 'selected' : '' }, [
        el('td', {}, [el('input', { type: 'radio', name: 'mnist-copy', checked: selected === 'loaded', ariaLabel: 'select the loaded weights' })]),
        ...['loaded', String(loaded.file.settings.lr), String(loaded.file.settings.dropout), String(loaded.file.settings.seed), String(loaded.file.epochs), '–',
          loaded.accuracy === undefined ? '…' : `${percent(loaded.accuracy)} (all 10,000)`, '–', loaded.name].map((t) => el('td', { textContent: t })),
      ]);
      row.addEventListener('click', () => select('loaded'));
      rows.push(row);
    }
    // Rebuilding the table must not drop the keyboard's focus: it returns to the selected copy's radio.
    const table = byId('mnist-table'), hadFocus = table.contains(document.activeElement);
    table.replaceChildren(
      el('thead', {}, [el('tr', {}, ['', 'copy', 'lr', 'dropout', 'seed', 'epochs', 'train loss', 'test acc', 'best (epoch)', 'state'].map((h) => el('th', { textContent: h })))]),
      el('tbody', {}, rows),
    );
    if (hadFocus) table.querySelector<HTMLInputElement>('tr.selected input')?.focus();
  }

  function select(copy: number | 'loaded'): void {
    selected = copy;
    render();
  }

  function renderCharts(): void {
    const accuracy = byId('mnist-accuracy-chart'), loss = byId('mnist-loss-chart');
    const run = shown(), compared = runs.find((r) => r.id === comparedId);
    const withEpochs = [run, compared].some((r) => r?.results.copies.some((c) => c.epochs.length > 0));
    if (!run || !withEpochs) {
      for (const [target, what] of [[accuracy, 'test accuracy'], [loss, 'training loss']] as const) {
        replaceChart(target);
        target.append(el('p', { className: 'muted chart-placeholder', textContent: `Each copy's ${what} per epoch appears here after its first epoch.` }));
      }
      return;
    }
    const series = (pick: (e: EpochMetrics) => number) => runCurves(run, compared, selected, pick, SERIES_COLORS);
    drawCurves(accuracy, 'Test accuracy (%) per epoch', series((e) => 100 * e.testAccuracy), { log: false, yLabel: 'test accuracy %', xLabel: 'epoch', firstX: 1, height: 260, points: true, wholeX: true });
    drawCurves(loss, 'Training loss per epoch', series((e) => e.trainLoss), { log: true, yLabel: 'loss (NLL)', xLabel: 'epoch', firstX: 1, height: 260, points: true, wholeX: true });
  }

  const reading = mountReading(() => ({
    reads: selected === 'loaded' ? 'The loaded weights read' : `Copy ${selected} reads`,
    predictions: selectedPredictions(),
    weights: selectedWeights(),
  }));

  function selectedPredictions(): Uint8Array | undefined {
    return selected === 'loaded' ? loaded?.predictions : shown()?.copies[selected]?.predictions;
  }

  function selectedWeights(): { params: ArrayLike<number>; stats: ArrayLike<number> } | undefined {
    if (selected === 'loaded') return loaded ? { params: loaded.file.params, stats: loaded.file.stats } : undefined;
    const c = shown()?.copies[selected];
    return c?.params && c.stats ? { params: c.params, stats: c.stats } : undefined;
  }

  // --- files -----------------------------------------------------------------------------------------------------

  byId('mnist-export').addEventListener('click', () => {
    const run = shown();
    if (run) download('mnist.json', new Blob([`${JSON.stringify(run.results, null, 1)}\n`], { type: 'application/json' }));
  });
  byId('mnist-export-weights').addEventListener('click', () => {
    const w = selectedWeights();
    const run = shown();
    if (!w || (selected !== 'loaded' && !run)) return;
    const settings = selected === 'loaded' ? loaded!.file.settings : run!.results.copies[selected].settings;
    const epochs = selected === 'loaded' ? loaded!.file.epochs : run!.results.copies[selected].epochs.length;
    const file = weightsFile(DEFAULT_MODEL, settings, epochs, w.params, w.stats);
    download(`weights-${selected}.json`, new Blob([JSON.stringify(file)], { type: 'application/json' }));
  });
  byId('mnist-load', HTMLInputElement).addEventListener('change', async (e) => {
    const input = e.target as HTMLInputElement, chosen = input.files?.[0];
    input.value = '';
    if (!chosen) return;
    try {
      const file = checkWeights(JSON.parse(await chosen.text()));
      if (JSON.stringify(file.model) !== JSON.stringify(DEFAULT_MODEL)) throw new Error('its model differs from this page\'s model');
      loaded = { name: chosen.name, file };
      selected = 'loaded';
      runError = '';
      check(false);
      status.textContent = `Loaded ${chosen.name}; evaluating it on the test set…`;
      render();
      const evaluation = await worker.evaluate(file.model, file.params, file.stats);
      loaded.accuracy = evaluation.accuracy;
      loaded.predictions = evaluation.predictions;
      status.textContent = `${chosen.name}: ${percent(evaluation.accuracy)} on the 10,000 test images.`;
      render();
    } catch (error) {
      runError = `${chosen.name} could not be loaded: ${(error as Error).message}. Choose a weights-<copy>.json written by this page or by npm run mnist.`;
      check(false);
    }
  });

  return {
    show() {
      if (started) return;
      started = true;
      render();
    },
  };
}
