/**
 * What a stopped view says beyond its picture: the box-counting dimension of its boundary, and for a float32 view a
 * spot check against float64 on cells spread over it (on its own worker), which warns when single cells depend on
 * rounding.
 */
import { compareOutputs, compareReplicaCounts } from '../../core/compare';
import { SPOT_AGREEMENT, statisticsTrust, type SpotCheck } from '../precision';
import { showBoundary } from './boundary';
import { byId } from '../dom';
import type { Runs, ViewData } from '../runs';
import type { Store } from '../store';
import type { SweepOutputs } from '../../core/outputs';
import { proxy, type SweepWorker } from '../sweep-client';

/**
 * Networks of a float32 view replayed on float64 after it finishes, to detect chaotic regions (about 0.1 s at 1000
 * steps): 512 cells of a plain view, 512 / R cells (at least 8) of a replica view, whose cells are R networks each.
 */
const SPOT_CHECK_CELLS = 512, SPOT_CHECK_MIN_CELLS = 8;

interface Spot extends SpotCheck { text: string }

/** Wires the findings; `useFloat64` opens the view again in float64. */
export function mountFindings(store: Store, runs: Runs, checker: SweepWorker, useFloat64: () => void): void {
  const line = byId('spot-check'), button = byId('spot-float64');
  const spots = new WeakMap<ViewData, Spot>();
  let failure = '';
  button.addEventListener('click', useFloat64);

  async function spotCheck(view: ViewData): Promise<Spot | undefined> {
    const R = view.spec.replicas?.count ?? 1;
    const cells = view.plan.order.length, n = Math.min(cells, Math.max(SPOT_CHECK_MIN_CELLS, Math.floor(SPOT_CHECK_CELLS / R)));
    const indices = Int32Array.from({ length: n }, (_, i) => view.plan.order[Math.floor((i * cells) / n)]);
    const reference = await checker.reference(view.spec, indices, proxy(() => undefined));
    if (reference.cellsDone < n) return undefined; // superseded by another view's check
    const a = compareOutputs(view.outputs, reference.outputs, view.spec.convergence, indices);
    if (view.spec.replicas) return replicaSpot(view, reference.outputs, indices, (100 * a.classAgreementRate).toFixed(1));
    const percent = (100 * a.classAgreementRate).toFixed(1);
    return {
      agreement: a.classAgreementRate, cells: n,
      text: a.classAgreementRate < SPOT_AGREEMENT
        ? `Spot check: on ${n} cells spread over this view, float32 and float64 agree on the class of only ${percent}% (${a.classDisagreements} differ). Training is chaotic here: single cells depend on rounding, and so do float32's class counts and the boundary's dimension, which are withheld. float64 gives cell-exact results and statistics; Compare checks more cells.`
        : `Spot check: float32 and float64 agree on the class of ${percent}% of ${n} cells spread over this view.`,
    };
  }

  /** A replica view's spot check: the share of cells whose converged count is the same (the trust rule's agreement). */
  function replicaSpot(view: ViewData, reference: SweepOutputs, indices: Int32Array, replica0: string): Spot {
    const r = compareReplicaCounts(view.outputs, reference, view.spec.convergence, indices), R = view.spec.replicas!.count;
    const percent = (100 * r.countAgreementRate).toFixed(1), n = indices.length;
    const counts = `float32 and float64 give the same number of converged replicas (of ${R}) in ${percent}% of ${n} cells spread over this view` +
      `${r.countDisagreements ? ` (${r.countDisagreements} differ, by at most ${r.largestDifference})` : ''}; replica 0's class agrees in ${replica0}%.`;
    return {
      agreement: r.countAgreementRate, cells: n,
      text: r.countAgreementRate < SPOT_AGREEMENT
        ? `Spot check: ${counts} Training is chaotic here: single replicas depend on rounding, and so do float32's counts and the boundary's dimension, which are withheld. float64 gives exact counts; Compare checks more cells.`
        : `Spot check: ${counts}`,
    };
  }

  function show(spot: Spot | undefined, message?: string): void {
    line.hidden = !spot && !message;
    line.classList.toggle('stripes', spot !== undefined && spot.agreement < SPOT_AGREEMENT);
    line.classList.toggle('ok', spot !== undefined && spot.agreement >= SPOT_AGREEMENT);
    byId('spot-text').textContent = spot?.text ?? message ?? '';
    button.hidden = !spot || spot.agreement >= SPOT_AGREEMENT;
    line.dataset.agreement = spot ? String(spot.agreement) : '';
  }

  store.subscribe((s) => [s.run.id, s.run.phase, s.spot], () => {
    const { run, spot } = store.get();
    const view = run.phase === 'running' || run.phase === 'idle' ? undefined : runs.current;
    if (!view) { show(undefined); byId('boundary-panel').hidden = true; return; }
    const complete = run.phase === 'finished';
    const checked = spot?.id === run.id ? spot : undefined;
    const trust = statisticsTrust(view.spec, view.arithmetic, checked, complete);
    showBoundary(byId('boundary-panel'), view.spec, view.outputs, complete, trust.shown ? undefined : trust.reason);
    show(checked && spots.get(view), checked && Number.isNaN(checked.agreement) ? failure : undefined);
    if (!complete || view.arithmetic !== 'float32' || checked) return;
    const known = spots.get(view);
    if (known) { store.dispatch({ type: 'spot', id: run.id, spot: known }); return; }
    const id = run.id;
    spotCheck(view).then((found) => {
      if (!found) return;
      spots.set(view, found);
      store.dispatch({ type: 'spot', id, spot: found });
    }, (e: Error) => {
      failure = `The spot check against float64 could not run: ${e.message}. float32's statistics are withheld without it; Compare, or float64, when the CPU engine works.`;
      store.dispatch({ type: 'spot', id, spot: { agreement: NaN, cells: 0 } });
    });
  });
}
