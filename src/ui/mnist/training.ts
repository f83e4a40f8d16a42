/**
 * Train and Stop on the MNIST view: a run claimed before its first await (a second submit meanwhile is ignored), its
 * events folded into its results (recordCopyEvent), the status line with elapsed time and time left. Each Train is a
 * new history entry (navigation.ts) whose link holds the settings trained.
 */
import * as Comlink from 'comlink';
import { DEFAULT_MODEL } from '../../mnist/model';
import { bestEpoch, newResults, recordCopyEvent } from '../../mnist/sweep';
import type { MnistEvent, MnistWorkerApi } from '../../worker/mnist.worker';
import { byId } from '../dom';
import type { Navigation } from '../navigation';
import { percent } from './copies-table';
import type { FormView } from './form-view';
import { copyEpochs, formatDuration, outcomeText, progressLine, type MnistRun } from './runs-history';
import { canonicalForm } from './view-state';

/** What training needs of the panel. */
export interface TrainingHost {
  nav: Navigation;
  worker: Comlink.Remote<MnistWorkerApi>;
  form: FormView;
  /** Holds a new run (the panel's memory of runs' results). */
  hold(run: MnistRun): void;
  /** Redraws everything; only the copies table (a progress tick of the shown run). */
  render(): void;
  renderTable(run: MnistRun): void;
}

/** Wires Train and Stop; returns whether a run is training. */
export function mountTraining(host: TrainingHost): () => boolean {
  const { nav, worker, form } = host;
  const status = byId('mnist-status'), progress = byId('mnist-progress', HTMLProgressElement);
  const runButton = byId('mnist-run', HTMLButtonElement), stopButton = byId('mnist-stop', HTMLButtonElement);
  let running: MnistRun | undefined, nextId = 1;
  /** What the running sweep is doing, before its progress figures ("loading MNIST (55 MB)…"); once batches run. */
  let phase = '', trainingPhase = '';

  byId('mnist-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void start();
  });
  stopButton.addEventListener('click', () => {
    void worker.stop();
    phase = 'Stopping; every finished epoch stays';
    renderStatus();
  });

  function renderStatus(): void {
    if (!running) return;
    const { done, total } = copyEpochs(running);
    progress.value = total > 0 ? Math.min(1, done / total) : 0;
    status.textContent = `${phase} · ${progressLine(running, performance.now())}`;
  }

  async function start(): Promise<void> {
    if (running) return;
    form.setRunError('');
    const read = form.check(true);
    if (!read.ok) return;
    const startedMs = performance.now(), settings = canonicalForm(form.values());
    const trainHadFocus = document.activeElement === runButton;
    const run: MnistRun = { id: nextId++, results: newResults(read.run, read.copies, ''), copies: read.copies.map(() => ({})), outcome: 'running', startedMs };
    running = run;
    runButton.disabled = true;
    let engine: Awaited<ReturnType<typeof worker.engine>>;
    try {
      engine = await worker.engine(read.device);
    } catch (e) {
      // Nothing trained yet: free Train again and say why, rather than leave it disabled with no word.
      running = undefined;
      form.setRunError(`The ${read.device} engine could not start: ${(e as Error).message}. Reload the page, or choose another engine.`);
      return;
    }
    run.results.engine = `${engine.device} (${engine.why})`; // the choice and its reason, as the CLI's line gives them
    // Every copy trains at once on the GPU; on the CPU a copy waits for a free core (its first progress marks it running).
    run.results.copies.forEach((c) => { c.state = engine.device === 'webgpu' ? 'running' : 'waiting'; });
    // The run before stays, and its curves are drawn dashed beside the new one's until the user chooses otherwise.
    host.hold(run);
    nav.record({ type: 'mnist-train', id: run.id, form: settings });
    stopButton.disabled = false;
    if (trainHadFocus) stopButton.focus(); // a disabled button drops the keyboard's focus
    trainingPhase = phase = `Training on ${engine.device === 'webgpu' ? 'the GPU' : `the CPU (${engine.threads} threads)`}: ${engine.why}`;
    const ticker = setInterval(renderStatus, 1000);
    renderStatus();
    try {
      const outcome = await worker.train(DEFAULT_MODEL as never, read.run, read.copies, engine.device, Comlink.proxy((event: MnistEvent) => onEvent(run, event)));
      for (const c of run.results.copies) if (c.state === 'running' || c.state === 'waiting') c.state = outcome === 'stopped' ? 'stopped' : 'finished';
      run.outcome = outcome;
    } catch (e) {
      for (const c of run.results.copies) if (c.state === 'running' || c.state === 'waiting') c.state = 'failed';
      run.outcome = 'failed';
      form.setRunError(`Training failed: ${(e as Error).message}. The epochs finished before are kept below.`);
    }
    clearInterval(ticker);
    run.elapsedMs = performance.now() - startedMs;
    running = undefined;
    status.textContent = run.outcome === 'finished' ? `Finished: ${summary(run)} Took ${formatDuration(run.elapsedMs)}.`
      : run.outcome === 'stopped' ? `Stopped: run ${run.id} ${outcomeText(run).replace(/^stopped /, '')}. It stays in the list of runs until you discard it.` : '';
    if (run.outcome === 'finished') progress.value = 1;
    form.check(false);
    const stopHadFocus = document.activeElement === stopButton || document.activeElement === document.body;
    stopButton.disabled = true;
    if (stopHadFocus) runButton.focus();
    host.render();
  }

  function summary(run: MnistRun): string {
    let best = -1, at = 0;
    run.results.copies.forEach((c, i) => { const b = bestEpoch(c); if (b && b.testAccuracy > best) { best = b.testAccuracy; at = i; } });
    const s = run.results.copies[at]?.settings;
    return best < 0 ? 'no epoch finished.' : `best test accuracy ${percent(best)} (copy ${at}: lr ${s.lr}, dropout ${s.dropout}, seed ${s.seed}) on ${run.results.run.testLimit.toLocaleString('en-US')} test images.`;
  }

  function onEvent(run: MnistRun, event: MnistEvent): void {
    if (event.type === 'status') { phase = event.text; renderStatus(); return; }
    recordCopyEvent(run.results, event.copy, event);
    if (event.type === 'progress') {
      run.firstBatchMs ??= performance.now();
      run.copies[event.copy].epochsTrained = event.epoch + event.iteration / event.iterations;
      if (phase.startsWith('loading')) phase = trainingPhase;
      renderStatus();
      host.renderTable(run);
      return;
    }
    if (event.type === 'epoch') {
      run.copies[event.copy] = { params: event.params, stats: event.stats, predictions: event.predictions, epochsTrained: run.results.copies[event.copy].epochs.length };
      renderStatus();
      host.render();
    } else if (event.type === 'copy-done') {
      host.renderTable(run);
    } else {
      form.setRunError(`Copy ${event.copy} of run ${run.id} failed: ${event.message}`);
      host.renderTable(run);
    }
  }

  return () => running !== undefined;
}
