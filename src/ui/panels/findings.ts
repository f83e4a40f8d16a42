/**
 * What a stopped view says beyond its picture: the box-counting dimension of its boundary, and for a float32 view a
 * spot check against float64 on cells spread over it (on its own worker), which warns when single cells depend on
 * rounding.
 */
import { compareOutputs } from '../../core/compare';
import { showBoundary } from './boundary';
import { byId } from '../dom';
import type { Runs, ViewData } from '../runs';
import type { Store } from '../store';
import { proxy, type SweepWorker } from '../sweep-client';

/** Cells of a float32 view replayed on float64 after it finishes, to detect chaotic regions (about 0.1 s at 1000 steps). */
const SPOT_CHECK_CELLS = 512;

interface Spot { text: string; agreement: number }

export function mountFindings(store: Store, runs: Runs, checker: SweepWorker): void {
  const line = byId('spot-check');
  const spots = new WeakMap<ViewData, Spot>();

  async function spotCheck(view: ViewData): Promise<Spot | undefined> {
    const cells = view.plan.order.length, n = Math.min(cells, SPOT_CHECK_CELLS);
    const indices = Int32Array.from({ length: n }, (_, i) => view.plan.order[Math.floor((i * cells) / n)]);
    const reference = await checker.reference(view.spec, indices, proxy(() => undefined));
    if (reference.cellsDone < n) return undefined; // superseded by another view's check
    const a = compareOutputs(view.outputs, reference.outputs, indices);
    const percent = (100 * a.classAgreementRate).toFixed(1);
    return {
      agreement: a.classAgreementRate,
      text: a.classAgreementRate < 0.99
        ? `Spot check: on ${n} cells spread over this view, float32 and float64 agree on the class of only ${percent}% (${a.classDisagreements} differ). Training is chaotic here: single cells depend on rounding, so read the picture's statistics (how much converges, the dimension), not single cells; switch to float64 for cell-exact results, or Compare for a larger check.`
        : `Spot check: float32 and float64 agree on the class of ${percent}% of ${n} cells spread over this view.`,
    };
  }

  function show(spot: Spot): void {
    line.hidden = false;
    line.classList.toggle('stripes', spot.agreement < 0.99);
    line.classList.toggle('ok', spot.agreement >= 0.99);
    line.textContent = spot.text;
    line.dataset.agreement = String(spot.agreement);
  }

  store.subscribe((s) => [s.run.id, s.run.phase], () => {
    const { phase } = store.get().run;
    const view = phase === 'running' || phase === 'idle' ? undefined : runs.current;
    line.hidden = true;
    if (!view) { byId('boundary-panel').hidden = true; return; }
    const complete = phase === 'finished';
    showBoundary(byId('boundary-panel'), view.spec, view.outputs, complete);
    if (!complete || view.arithmetic !== 'float32') return;
    const known = spots.get(view);
    if (known) { show(known); return; }
    spotCheck(view).then((spot) => {
      if (!spot) return;
      spots.set(view, spot);
      if (runs.current === view && store.get().run.phase === 'finished') show(spot);
    }, (e: Error) => {
      if (runs.current !== view) return;
      line.hidden = false;
      line.classList.remove('ok', 'stripes');
      line.textContent = `The spot check against float64 could not run: ${e.message}. The picture is float32 only; Compare checks it when the CPU engine works.`;
    });
  });
}
