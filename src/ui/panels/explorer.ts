/**
 * The explorer: the heatmap of the view on screen, filled in as its run refines, with hover read-out, click to inspect,
 * zoom (each zoom a new view), the trail's Back and Forward, the metric, the arithmetic, and the precision notice.
 */
import { metricsOf, type HeatmapMetric, type RefinementFill } from '../../core/heatmap';
import { outputRow } from '../../core/outputs';
import { SCORE_LOCK_NOTE } from '../../core/score-scale';
import { completedStride } from '../../core/refine';
import type { ArithmeticChoice } from '../../core/arithmetic';
import { rectAround, zoomProblem, zoomSpec, type ViewRect } from '../../core/zoom';
import { byId, el } from '../dom';
import { HeatmapView } from '../heatmap/view';
import { describeCell } from './inspector';
import { togglePin } from './pins';
import type { Navigation } from '../navigation';
import { closeNeighbours, precisionNotice } from '../precision';
import { readOut as cellReadOut } from '../readout';
import type { Runs, ViewData } from '../runs';
import { resolveArithmetic } from '../state';
import type { Store } from '../store';
import type { SweepSpec } from '../../core/spec';

const HOVER_HINT = 'Hover a cell to read it; click to inspect it.';

/** Why "lock colours" is off for a metric (its title says so), or undefined where it applies. */
function lockNote(metric: HeatmapMetric): string | undefined {
  if (metric === 'class') return 'The class map has fixed colours: there is no scale to lock';
  if (metric === 'score') return SCORE_LOCK_NOTE;
  return undefined;
}

/** Wires the explorer; returns its heatmap (Compare outlines cells on it). */
export function mountExplorer(store: Store, nav: Navigation, runs: Runs): HeatmapView {
  const canvas = byId('heatmap', HTMLCanvasElement), hover = byId('hover'), problem = byId('explore-error');
  let zoomError = '';
  /** The cell the pointer or the keyboard cursor is on, of the view shown; its read-out follows the view's run. */
  let hovered: number | undefined;
  const readOut = () => {
    const view = runs.current;
    if (hovered === undefined || !view) { hover.textContent = HOVER_HINT; return; }
    hover.textContent = `${describeCell(view.spec, hovered)} → ${cellReadOut(view.outputs, hovered, store.get().metric, view.spec.convergence)}`;
  };
  const heatmap = new HeatmapView(canvas, (e) => {
    if (e.type === 'hover') { hovered = e.cell; readOut(); }
    else if (e.type === 'select') nav.update({ type: 'inspect', cell: e.cell });
    else if (e.type === 'pin') { const cell = e.cell ?? store.get().inspected; if (cell !== undefined) togglePin(store, nav, heatmap, cell); }
    else if (e.type === 'zoom') zoomTo(e.rect);
  });

  const zoomTo = (rect: ViewRect) => {
    const view = store.get().view;
    if (!view) return;
    zoomError = zoomProblem(view.spec, rect, resolveArithmetic(view.arithmetic, store.get().capabilities, view.spec)) ?? '';
    showProblems();
    if (zoomError) heatmap.invalidate('paint');
    else nav.open({ spec: zoomSpec(view.spec, rect), arithmetic: view.arithmetic });
  };
  const showProblems = () => { problem.textContent = [...store.get().linkNotes, zoomError].filter(Boolean).join('\n'); };
  byId('zoom-out').addEventListener('click', () => zoomTo(rectAround(0.5, 0.5, 0.5)));
  byId('view-back').addEventListener('click', () => nav.back());
  byId('view-forward').addEventListener('click', () => nav.forward());

  const metric = byId('metric', HTMLSelectElement);
  // The view's own metrics (a replica sweep's summaries first; its other rows are replica 0's), each described.
  const offer = (spec: SweepSpec | undefined) => {
    const menu = metricsOf(spec ?? {}), replicas = spec?.replicas !== undefined;
    const label = (m: HeatmapMetric) => (m === 'class' ? 'class map' : m) + (replicas && !menu.slice(0, menu.indexOf('finalLoss')).includes(m) ? ' (replica 0)' : '');
    metric.replaceChildren(...menu.map((m) => el('option', { value: m, textContent: label(m), title: m === 'class' ? 'each cell\'s class under the sweep\'s rule' : outputRow(m).label })));
    metric.value = store.get().metric;
  };
  metric.addEventListener('change', () => nav.update({ type: 'metric', metric: metric.value as HeatmapMetric }));
  const arithmetic = byId('arithmetic', HTMLSelectElement);
  const reopen = (choice: ArithmeticChoice) => { const view = store.get().view; if (view) nav.open({ spec: view.spec, arithmetic: choice }); };
  arithmetic.addEventListener('change', () => reopen(arithmetic.value as ArithmeticChoice));
  byId('use-float64').addEventListener('click', () => reopen('float64'));

  store.subscribe((s) => s.view?.spec.replicas, () => offer(store.get().view?.spec));
  store.subscribe((s) => s.metric, () => { metric.value = store.get().metric; heatmap.setMetric(store.get().metric); readOut(); });
  const lock = byId('lock-scale', HTMLInputElement), lockLabel = lock.closest('label')!, lockTitle = lockLabel.title;
  lock.addEventListener('change', () => nav.update({ type: 'lock-scale', scale: lock.checked ? heatmap.scaleShown : undefined }));
  store.subscribe((s) => [s.lockedScale, s.metric], () => {
    const { lockedScale, metric: shown } = store.get();
    heatmap.lockScale(lockedScale);
    lock.checked = lockedScale !== undefined && shown !== 'score'; // (the view ignores a link's lock of the score)
    lock.disabled = shown === 'class' || shown === 'score';
    lockLabel.title = lockNote(shown) ?? lockTitle;
  });
  store.subscribe((s) => [s.view, s.metric], () => {
    const { view, metric: shown } = store.get();
    canvas.setAttribute('aria-label', view
      ? `Heatmap of ${shown === 'class' ? 'the class' : shown} over ${view.spec.x.param}${view.spec.y ? ` × ${view.spec.y.param}` : ''}. Arrow keys move a cell cursor and read the cell out, Enter inspects it, P pins it (or unpins it), + and − zoom.`
      : 'Heatmap (none yet)');
  });
  store.subscribe((s) => s.trail, () => {
    const { index, last } = store.get().trail;
    byId('view-back', HTMLButtonElement).disabled = index === 0;
    byId('view-forward', HTMLButtonElement).disabled = index >= last;
  });
  store.subscribe((s) => [s.view, s.linkNotes], () => { zoomError = ''; showProblems(); });
  // Zooming out needs a map to zoom out of.
  store.subscribe((s) => s.view, () => { byId('zoom-out', HTMLButtonElement).disabled = !store.get().view; });
  store.subscribe((s) => [s.view, s.capabilities], () => {
    const { view, capabilities } = store.get();
    if (view) arithmetic.value = view.arithmetic;
    const runsIn = view && resolveArithmetic(view.arithmetic, capabilities, view.spec);
    const notice = view && runsIn && precisionNotice(view.spec, runsIn);
    // Auto chose float64 over the GPU because float32 cannot tell this view's cells apart: say so, and how to opt out.
    const switched = view?.arithmetic === 'auto' && runsIn === 'float64' && capabilities?.auto.device === 'webgpu';
    byId('precision').hidden = !notice && !switched;
    byId('precision').classList.toggle('stripes', notice?.level === 'stripes');
    byId('precision-text').textContent = notice?.text ?? (switched ? `Auto runs this view in float64 on the CPU, not float32 on the GPU: ${closeNeighbours(view.spec, 'float32')}. Choose float32 under Arithmetic to run the GPU anyway.` : '');
    byId('use-float64').hidden = !notice?.offerFloat64;
  });

  // The heatmap follows the view's run: a new view is shown whole, then only the cells that arrive, block-filled; a
  // stopped one keeps its blocks, marked partial.
  let shown: ViewData | undefined, fill: RefinementFill = { computed: new Uint8Array(0), stride: undefined };
  store.subscribe((s) => s.run, () => {
    const { run } = store.get();
    const view = run.phase === 'idle' ? undefined : runs.current;
    const done = view?.cellsDone ?? 0, stride = view && completedStride(view.plan, done);
    const note = view && (run.phase === 'cancelled' || run.phase === 'failed') ? `partial: ${done.toLocaleString('en-US')} of ${view.computed.length.toLocaleString('en-US')} cells` : undefined;
    if (view && stride !== undefined && !canvas.dataset.stride) performance.mark('sweep-first-cells'); // npm run bench: latency to a first picture
    if (view !== shown) {
      shown = view;
      hovered = undefined; // a cell of the last view (a zoom, Back): the pointer names one of this view when it moves
      fill = { computed: view?.computed ?? new Uint8Array(0), stride };
      heatmap.show(view ? { kind: 'outputs', spec: view.spec, outputs: view.outputs, fill, order: view.plan.order, note } : store.get().view ? 'Starting…' : store.get().specErrors.length ? 'Nothing ran: the spec cannot run (the message is with the form).' : undefined, done);
    } else if (view) {
      const passFinished = stride !== fill.stride;
      fill.stride = stride;
      heatmap.progress(done, passFinished, note);
    }
    canvas.dataset.stride = String(stride ?? ''); // for tests: the finest complete pass on screen
    canvas.dataset.partial = String(Boolean(note));
    readOut(); // cells arrived, or the run stopped: the read-out says what the cell holds now
  });
  // A hidden canvas has no size: draw again when the sweep tab shows.
  store.subscribe((s) => s.tab, () => { if (store.get().tab === 'sweep') heatmap.invalidate('all'); });
  return heatmap;
}
