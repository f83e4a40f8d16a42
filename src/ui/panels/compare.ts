/**
 * Compare: the view's finished cells recomputed in the other arithmetic (float64 for a float32 view, float32 for a
 * float64 one) on the aside worker, with the agreement in numbers and the cells whose class differs outlined on the
 * heatmap. The outline is part of the state (and the link): a link with it runs Compare once its view is complete.
 */
import type { Arithmetic } from '../../core/arithmetic';
import { compareOutputs, compareReplicaCounts, disagreementMap, RELATIVE_ERROR_FLOOR, type Agreement } from '../../core/compare';
import type { SweepOutputs } from '../../core/outputs';
import { replicaCount } from '../../core/spec';
import { describeCell } from './inspector';
import type { RunResult } from '../../core/run';
import type { SweepProgress, SweepRunResult } from '../../worker/sweep.worker';
import { byId } from '../dom';
import type { HeatmapView } from '../heatmap/view';
import type { Navigation } from '../navigation';
import type { ViewData } from '../runs';
import type { Store } from '../store';
import { proxy } from '../sweep-client';
import { count, plannedText, ranOnText, rateText } from '../words';
import type { Aside } from './aside';

/**
 * Budget of the comparison, in network-steps: every cell of any sweep up to 2 M cells × 1000 steps; larger sweeps are
 * sampled evenly. float64 for a float32 view runs on the CPU engine (about 20 s on two cores here, ~98 M network-steps/s
 * in npm run bench); float32 for a float64 view on the GPU, or without WebGPU on the CPU engine's float32 mode, which
 * is not SIMD (about 75 s on two cores here).
 */
const COMPARE_BUDGET = 2e9;

interface Comparison { text: string; map: Uint8Array }

export function mountCompare(store: Store, nav: Navigation, aside: Aside, heatmap: HeatmapView): void {
  const panel = byId('compare-panel'), text = byId('compare-text'), outline = byId('show-disagreement', HTMLInputElement);
  const done = new WeakMap<ViewData, Comparison>();
  let running: ViewData | undefined;

  async function compare(view: ViewData): Promise<void> {
    const result = view.result!;
    const finished = result.cellsDone;
    const budgetCells = Math.max(1, Math.floor(COMPARE_BUDGET / Math.max(1, view.spec.steps * replicaCount(view.spec)))); // a cell trains R networks
    // The finished cells are the first `finished` of the refinement order; sample them evenly when over budget.
    const n = Math.min(finished, budgetCells);
    const indices = Int32Array.from({ length: n }, (_, i) => view.plan.order[Math.floor((i * finished) / n)]);
    const other: Arithmetic = view.arithmetic === 'float32' ? 'float64' : 'float32';
    const engine = plannedText(other, store.get().capabilities);
    const sampled = n < finished
      ? `a sample of ${count(n)} of the ${count(finished)} finished cells, evenly spread (the page checks at most ${COMPARE_BUDGET.toExponential(0)} network-steps; \`npm run sweep -- spec.json --compare\` checks every cell)`
      : `all ${count(n)} finished cells`;
    panel.hidden = false;
    text.textContent = `Running ${engine} on ${sampled}…`;
    const progress = (cells: number, total: number) => { if (running === view) text.textContent = `Running ${engine} on ${sampled}: ${count(cells)} of ${count(total)} cells…`; };
    running = view;
    let computed: RunResult & { ranOn?: SweepRunResult['ranOn'] };
    try {
      computed = await aside.exclusive('compare', () => (other === 'float64'
        ? aside.worker.reference(view.spec, indices, proxy(progress))
        : aside.worker.run(view.spec, { arithmetic: 'float32', cellOrder: indices }, proxy((p: SweepProgress) => progress(p.cellsDone, p.cells)))));
    } catch (e) {
      if (aside.current() === view) text.textContent = `The comparison failed: ${(e as Error).message}`;
      return;
    } finally {
      running = undefined;
    }
    const compared = indices.subarray(0, computed.cellsDone);
    const [float32, float64] = other === 'float64' ? [view.outputs, computed.outputs] : [computed.outputs, view.outputs];
    const a = compareOutputs(float32, float64, view.spec.convergence, compared);
    const e = (x: number) => (Number.isNaN(x) ? '–' : x.toExponential(2));
    const replicas = view.spec.replicas ? replicaWords(view, float32, float64, compared, a) : undefined;
    done.set(view, {
      map: replicas?.map ?? disagreementMap(float32, float64, view.spec.convergence, compared),
      text: `Compared float32 with float64 on ${computed.cellsDone < n ? `the first ${count(computed.cellsDone)} (cancelled) of ` : ''}${sampled}: ` +
        (replicas ? replicas.text : `the class agrees on ${(100 * a.classAgreementRate).toFixed(2)}% (${a.classDisagreements} cells differ). `) +
        `Where both converged (${replicas ? 'replica 0 in ' : ''}${count(a.bothConverged)} cells), ` +
        `finalLoss differs by at most ${e(a.finalLossAbsErrorMax)} absolute (median ${e(a.finalLossAbsErrorMedian)}); relative error max ${e(a.finalLossRelErrorMax)}, median ${e(a.finalLossRelErrorMedian)} ` +
        `over the ${count(a.relativeCells)} with loss ≥ ${RELATIVE_ERROR_FLOOR}. ${computed.ranOn ? ranOnText(computed.ranOn) : engine} ran at ${rateText(computed.networkStepsPerSecond)} ` +
        `(${(computed.elapsedMs / 1000).toFixed(2)} s).`,
    });
    // A finished Compare shows its outline (the checkbox hides it again).
    if (aside.current() === view) nav.update({ type: 'outline', on: true });
    show();
  }

  /** The comparison of the view on screen, if any; a link's outline asks for one once the view is complete. */
  function show(): void {
    const { run, outline: on, aside: busy } = store.get();
    const view = aside.current();
    const comparison = view && done.get(view);
    if (running === view && view) return; // its text is live
    panel.hidden = !comparison;
    if (comparison) text.textContent = comparison.text;
    outline.checked = on;
    heatmap.setDisagreement(on && comparison ? comparison.map : undefined);
    if (on && view && !comparison && !busy && run.phase === 'finished' && view.result) void compare(view);
  }

  byId('compare').addEventListener('click', () => { const view = aside.current(); if (view?.result && !running) void compare(view); });
  outline.addEventListener('change', () => nav.update({ type: 'outline', on: outline.checked }));
  store.subscribe((s) => [s.run.phase, s.run.id, s.outline, s.aside], show);
}

/**
 * A replica view's comparison in words: the cells whose number of converged replicas differs, the largest difference
 * and where, and replica 0's class; the map outlines the cells where either differs.
 */
function replicaWords(view: ViewData, float32: SweepOutputs, float64: SweepOutputs, compared: Int32Array, a: Agreement): { text: string; map: Uint8Array } {
  const r = compareReplicaCounts(float32, float64, view.spec.convergence, compared), R = view.spec.replicas!.count;
  const largest = r.largestAt >= 0 ? `; the largest difference is ${r.largestDifference} of ${R} replicas, at ${describeCell(view.spec, r.largestAt)}` : '';
  return {
    map: r.map,
    text: `the number of converged replicas (of ${R}) is the same in ${(100 * r.countAgreementRate).toFixed(2)}% of the cells (${count(r.countDisagreements)} differ${largest}), ` +
      `and replica 0's class agrees on ${(100 * a.classAgreementRate).toFixed(2)}% (${a.classDisagreements} differ); the outline marks the cells where either differs. `,
  };
}
