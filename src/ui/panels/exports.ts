/** The export buttons: the view's results.json (as the command line writes it), its heatmap as PNG, and CSV. */
import { resultsCsv } from '../../core/csv';
import { cpuAdapter } from '../../core/engine';
import { buildResults } from '../../core/results';
import { byId } from '../dom';
import { download } from '../download';
import type { Runs } from '../runs';
import type { Store } from '../store';

export function mountExports(store: Store, runs: Runs, metric: () => string): void {
  const buttons = ['export-json', 'export-png', 'export-csv'].map((id) => byId(id, HTMLButtonElement));
  store.subscribe((s) => s.run.phase, () => {
    for (const b of buttons) b.disabled = store.get().run.phase === 'running' || !runs.current?.result;
  });
  byId('export-json').addEventListener('click', () => {
    const view = runs.current, r = view?.result;
    if (!view || !r) return;
    // The command line's names: backend webgpu | cpu | cpu-f32, and the adapter or the CPU engine with its threads.
    const file = r.ranOn.device === 'webgpu' ? buildResults(view.spec, 'webgpu', r.ranOn.adapter, r)
      : buildResults(view.spec, r.ranOn.arithmetic === 'float64' ? 'cpu' : 'cpu-f32', cpuAdapter(r.ranOn.arithmetic, r.ranOn.threads), r);
    download('results.json', new Blob([JSON.stringify(file)], { type: 'application/json' }));
  });
  byId('export-png').addEventListener('click', () => byId('heatmap', HTMLCanvasElement).toBlob((blob) => blob && download(`${metric()}.png`, blob)));
  byId('export-csv').addEventListener('click', () => {
    const view = runs.current;
    if (view?.result) download('results.csv', new Blob([resultsCsv(view.spec, view.outputs)], { type: 'text/csv' }));
  });
}
