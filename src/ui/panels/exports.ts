/**
 * The export buttons: the view's results.json (as the command line writes it), CSV, and its heatmap as a figure
 * (src/core/figure.ts: title, spec line, axes, colour bar) in SVG or as PNG at 2× pixels, each named after the spec
 * (lr-x-initScale-results.json, …-results.csv) and the figures after the metric too (lr-x-initScale-finalLoss.svg).
 */
import { resultsCsv } from '../../core/csv';
import { cpuAdapter } from '../../core/engine';
import { emptyMetricNote, figureName, figureSvg, FIGURE_SIZE } from '../../core/figure';
import { buildResults } from '../../core/results';
import { byId } from '../dom';
import { download } from '../download';
import type { HeatmapView } from '../heatmap/view';
import type { Runs } from '../runs';
import type { Store } from '../store';
import { ranOnText } from '../words';

/** Pixels per SVG unit of the PNG export. */
const PNG_ZOOM = 2;

export function mountExports(store: Store, runs: Runs, heatmap: HeatmapView): void {
  const buttons = ['export-json', 'export-png', 'export-svg', 'export-csv'].map((id) => byId(id, HTMLButtonElement));
  store.subscribe((s) => s.run.phase, () => {
    for (const b of buttons) b.disabled = store.get().run.phase === 'running' || !runs.current?.result;
  });
  byId('export-json').addEventListener('click', () => {
    const view = runs.current, r = view?.result;
    if (!view || !r) return;
    // The command line's names: backend webgpu | cpu | cpu-f32, and the adapter or the CPU engine with its threads.
    const file = r.ranOn.device === 'webgpu' ? buildResults(view.spec, 'webgpu', r.ranOn.adapter, r)
      : buildResults(view.spec, r.ranOn.arithmetic === 'float64' ? 'cpu' : 'cpu-f32', cpuAdapter(r.ranOn.arithmetic, r.ranOn.threads), r);
    download(`${figureName(view.spec, 'results')}.json`, new Blob([JSON.stringify(file)], { type: 'application/json' }));
  });
  byId('export-csv').addEventListener('click', () => {
    const view = runs.current;
    if (view?.result) download(`${figureName(view.spec, 'results')}.csv`, new Blob([resultsCsv(view.spec, view.outputs)], { type: 'text/csv' }));
  });

  /** The figure of the view on screen, as SVG text, and its file name without extension. */
  const figure = (): { svg: string; name: string } | undefined => {
    const view = runs.current, scale = heatmap.scaleShown, cellsHref = heatmap.cellsImage();
    if (!view?.result || !scale || !cellsHref) return undefined;
    return { svg: figureSvg({ spec: view.spec, scale, cellsHref, computedBy: ranOnText(view.result.ranOn), outlined: heatmap.outlined, note: emptyMetricNote(view.outputs, scale.metric), outputs: view.outputs }), name: figureName(view.spec, scale.metric) };
  };
  byId('export-svg').addEventListener('click', () => {
    const f = figure();
    if (f) download(`${f.name}.svg`, new Blob([f.svg], { type: 'image/svg+xml' }));
  });
  byId('export-png').addEventListener('click', async () => {
    const f = figure();
    if (!f) return;
    const image = new Image();
    image.src = URL.createObjectURL(new Blob([f.svg], { type: 'image/svg+xml' }));
    try {
      await image.decode();
      const canvas = Object.assign(document.createElement('canvas'), { width: FIGURE_SIZE.width * PNG_ZOOM, height: FIGURE_SIZE.height * PNG_ZOOM });
      const ctx = canvas.getContext('2d')!;
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => blob && download(`${f.name}.png`, blob), 'image/png');
    } finally {
      URL.revokeObjectURL(image.src);
    }
  });
}
