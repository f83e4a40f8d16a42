/** The MNIST view's files: the shown run's mnist.json, the selected copy's weights, and weights loaded from a file. */
import * as Comlink from 'comlink';
import { DEFAULT_MODEL } from '../../mnist/model';
import { checkWeights, weightsFile } from '../../mnist/sweep';
import type { MnistWorkerApi } from '../../worker/mnist.worker';
import { byId } from '../dom';
import { download } from '../download';
import type { Navigation } from '../navigation';
import type { Store } from '../store';
import { percent, type Loaded } from './copies-table';
import type { FormView } from './form-view';
import type { MnistRun } from './runs-history';

/** What the files need of the panel. */
export interface FilesHost {
  store: Store;
  nav: Navigation;
  worker: Comlink.Remote<MnistWorkerApi>;
  form: FormView;
  shown(): MnistRun | undefined;
  selectedWeights(): { params: ArrayLike<number>; stats: ArrayLike<number> } | undefined;
  /** The loaded weights (one file at a time), set on load. */
  loaded?: Loaded;
  render(): void;
}

export function mountFiles(host: FilesHost): void {
  const status = byId('mnist-status');
  byId('mnist-export').addEventListener('click', () => {
    const run = host.shown();
    if (run) download('mnist.json', new Blob([`${JSON.stringify(run.results, null, 1)}\n`], { type: 'application/json' }));
  });
  byId('mnist-export-weights').addEventListener('click', () => {
    const w = host.selectedWeights(), run = host.shown(), selected = host.store.get().mnist.copy, loaded = host.loaded;
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
      const loaded: Loaded = { name: chosen.name, file };
      host.loaded = loaded;
      host.form.setRunError('');
      status.textContent = `Loaded ${chosen.name}; evaluating it on the test set…`;
      host.nav.update({ type: 'mnist-select', copy: 'loaded' });
      host.render();
      const evaluation = await host.worker.evaluate(file.model, file.params, file.stats);
      loaded.accuracy = evaluation.accuracy;
      loaded.predictions = evaluation.predictions;
      status.textContent = `${chosen.name}: ${percent(evaluation.accuracy)} on the 10,000 test images.`;
      host.render();
    } catch (error) {
      host.form.setRunError(`${chosen.name} could not be loaded: ${(error as Error).message}. Choose a weights-<copy>.json written by this page or by npm run mnist.`);
    }
  });
}
