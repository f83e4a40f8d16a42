/**
 * The MNIST view: the settings form, the list of runs, the shown run's live curves (with a compared run's, dashed),
 * table and accuracy heatmap, the selected copy's misclassified test digits, and a canvas to draw a digit for it. What
 * the user sets (the settings, the selected copy, the run shown and compared) is the store's (view-state.ts, in the
 * URL); this panel holds what was computed: every run's results and each copy's latest weights and predictions.
 * Training runs in src/worker/mnist.worker.ts (training.ts drives it).
 */
import * as Comlink from 'comlink';
import { DEFAULT_MODEL, describeLayer, placeModel } from '../../mnist/model';
import type { EpochMetrics } from '../../mnist/training';
import type { MnistWorkerApi } from '../../worker/mnist.worker';
import { drawCurves, replaceChart, SERIES_COLORS } from '../charts';
import { byId, el } from '../dom';
import type { Navigation } from '../navigation';
import type { Store } from '../store';
import { renderCopiesTable } from './copies-table';
import { mountFiles, type FilesHost } from './files';
import { mountFormView } from './form-view';
import { drawAccuracyHeatmap, mountAccuracyHeatmap } from './heatmap';
import { mountReading } from './reading';
import { runCurves, type MnistRun } from './runs-history';
import { mountRunsList } from './runs-view';
import { mountTraining } from './training';

const model = placeModel(DEFAULT_MODEL);

export function mountMnist(store: Store, nav: Navigation): { show(): void } {
  const worker = Comlink.wrap<MnistWorkerApi>(new Worker(new URL('../../worker/mnist.worker.ts', import.meta.url), { type: 'module' }));
  /** Every run trained here, by id, until the user discards it (the store lists the ids). */
  const runs = new Map<number, MnistRun>();
  const view = () => store.get().mnist;
  const shown = () => runs.get(view().shown ?? 0);
  let started = false;

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
    show(id) { nav.update({ type: 'mnist-show', id }); },
    compare(id) { nav.update({ type: 'mnist-compare', id }); },
    discard(id) { runs.delete(id); nav.update({ type: 'mnist-discard', id }); },
  });

  let training: () => boolean = () => false;
  const form = mountFormView(store, () => training());
  const files: FilesHost = { store, nav, worker, form, shown, selectedWeights, render };
  training = mountTraining({
    nav, worker, form, render,
    hold(run) { runs.set(run.id, run); },
    renderTable(run) { if (run === shown()) renderTable(); },
  });
  mountFiles(files);
  mountAccuracyHeatmap((copy) => nav.update({ type: 'mnist-select', copy }));
  form.check(false);

  // --- rendering -------------------------------------------------------------------------------------------------

  function render(): void {
    if (!started) return;
    const { runs: held, shown: shownId, compared } = view();
    renderRuns(held.flatMap((r) => runs.get(r.id) ?? []), shownId, compared);
    renderTable();
    renderCharts();
    drawAccuracyHeatmap(shown()?.results);
    reading.render();
    byId('mnist-export', HTMLButtonElement).disabled = !shown();
    byId('mnist-export-weights', HTMLButtonElement).disabled = selectedWeights() === undefined;
  }

  function renderTable(): void {
    renderCopiesTable(shown(), files.loaded, view().copy, (copy) => nav.update({ type: 'mnist-select', copy }));
  }

  function renderCharts(): void {
    const accuracy = byId('mnist-accuracy-chart'), loss = byId('mnist-loss-chart');
    const run = shown(), compared = runs.get(view().compared ?? 0);
    const withEpochs = [run, compared].some((r) => r?.results.copies.some((c) => c.epochs.length > 0));
    if (!run || !withEpochs) {
      for (const [target, what] of [[accuracy, 'test accuracy'], [loss, 'training loss']] as const) {
        replaceChart(target);
        target.append(el('p', { className: 'muted chart-placeholder', textContent: `Each copy's ${what} per epoch appears here after its first epoch.` }));
      }
      return;
    }
    const series = (pick: (e: EpochMetrics) => number) => runCurves(run, compared, view().copy, pick, SERIES_COLORS);
    drawCurves(accuracy, 'Test accuracy (%) per epoch', series((e) => 100 * e.testAccuracy), { log: false, yLabel: 'test accuracy %', xLabel: 'epoch', firstX: 1, height: 260, points: true, wholeX: true });
    drawCurves(loss, 'Training loss per epoch', series((e) => e.trainLoss), { log: true, yLabel: 'loss (NLL)', xLabel: 'epoch', firstX: 1, height: 260, points: true, wholeX: true });
  }

  const reading = mountReading(() => {
    const copy = view().copy;
    return { reads: copy === 'loaded' ? 'The loaded weights read' : `Copy ${copy} reads`, predictions: selectedPredictions(), weights: selectedWeights() };
  });

  function selectedPredictions(): Uint8Array | undefined {
    const copy = view().copy;
    return copy === 'loaded' ? files.loaded?.predictions : shown()?.copies[copy]?.predictions;
  }

  function selectedWeights(): { params: ArrayLike<number>; stats: ArrayLike<number> } | undefined {
    const copy = view().copy;
    if (copy === 'loaded') return files.loaded ? { params: files.loaded.file.params, stats: files.loaded.file.stats } : undefined;
    const c = shown()?.copies[copy];
    return c?.params && c.stats ? { params: c.params, stats: c.stats } : undefined;
  }

  // The view redraws when what the user set changes (a copy selected, a run shown, Back, Forward).
  store.subscribe((s) => s.mnist, render);

  return {
    show() {
      if (started) return;
      started = true;
      render();
    },
  };
}
