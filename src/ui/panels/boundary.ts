/**
 * The boundary panel: the box-counting dimension of the converged/not-converged boundary of the current view, with
 * the log-log fit drawn small (uPlot) and its quality.
 */
import uPlot from 'uplot';
import { boundaryDimension, type DimensionEstimate } from '../../core/boundary';
import { gridSize } from '../../core/grid';
import { classOf, type ConvergenceRule, type SweepOutputs } from '../../core/outputs';
import type { SweepSpec } from '../../core/spec';
import { replaceChart } from '../charts';

/** 1 for cells converged under `rule`, nx · ny row-major. */
export function convergedMask(outputs: SweepOutputs, rule: ConvergenceRule): Uint8Array {
  return Uint8Array.from(outputs.divergedAt, (_, i) => Number(classOf(outputs, i, rule) === 'converged'));
}

/**
 * Estimates and shows the dimension of the view's boundary; `complete` false explains why nothing is shown yet, and a
 * `withheld` reason (a float32 view whose single cells depend on rounding) is shown instead of the number.
 */
export function showBoundary(panel: HTMLElement, spec: SweepSpec, outputs: SweepOutputs, complete: boolean, withheld?: string): DimensionEstimate | undefined {
  const text = panel.querySelector<HTMLElement>('#boundary-text')!, chart = panel.querySelector<HTMLElement>('#boundary-chart')!;
  panel.hidden = false;
  replaceChart(chart);
  const { nx, ny } = gridSize(spec);
  if (!spec.y) { panel.hidden = true; return undefined; }
  if (spec.x.param === 'seed' || spec.y.param === 'seed') {
    text.textContent = 'No dimension here: the rows of a seed axis are independent random draws, not points of a parameter, so the converged region has no boundary curve to measure.';
    return undefined;
  }
  if (spec.replicas?.draws === 'independent') {
    text.textContent = 'No dimension here: with independent draws each cell trains initializations of its own, so no one class map has a boundary curve to measure (common draws give one: replica 0\'s).';
    return undefined;
  }
  if (!complete) { text.textContent = 'The boundary is measured when the view is complete (every cell computed).'; return undefined; }
  if (withheld) { text.textContent = withheld.endsWith('…') ? `The dimension comes after the float64 spot check: ${withheld}` : `The dimension is withheld: ${withheld}.`; return undefined; }
  const estimate = boundaryDimension(convergedMask(outputs, spec.convergence), nx, ny);
  if (!estimate) {
    text.textContent = Math.min(nx, ny) < 64
      ? `This view is ${nx} × ${ny}: box counting needs at least 64 cells a side (box sizes 2, 4 and 8, each at most an eighth of the view).`
      : 'No boundary in this view: every cell is converged, or none is.';
    return undefined;
  }
  const { dimension, intercept, r2, sizes, counts, boundaryCells } = estimate;
  // A replica view with common draws: replica 0 is draw 0 in every cell, the plain sweep of one initialization.
  const basis = spec.replicas ? ' of replica 0 (draw 0 in every cell: the plain sweep of one random initialization; pConverged itself has no sharp boundary)' : '';
  text.textContent = `Box-counting dimension of the converged / not-converged boundary${basis}: D = ${dimension.toFixed(3)} ` +
    `(least-squares fit of log N(s) against log(1/s) over box sizes s = ${sizes[0]} … ${sizes.at(-1)} cells; R² = ${r2.toFixed(4)}; ` +
    `${boundaryCells.toLocaleString()} boundary cells). A smooth curve gives 1, a boundary that fills the plane 2; ` +
    `read D with the fit: a low R² means the boundary is not self-similar over these scales.`;
  // Drawn in log₂: the slope is the same in any base; the intercept scales by 1/ln 2.
  const x = sizes.map((s) => Math.log2(1 / s)), y = counts.map((n) => Math.log2(n));
  replaceChart(chart, (into) => new uPlot({
    width: 300, height: 200,
    scales: { x: { time: false } },
    axes: [{ label: 'log₂(1/s)' }, { label: 'log₂ N(s)', size: 50 }],
    legend: { show: false },
    series: [{}, { label: 'N(s)', stroke: '#2456c7', width: 0, points: { show: true, size: 7, fill: '#2456c7' } },
      { label: `fit, slope ${dimension.toFixed(3)}`, stroke: '#d24', width: 1.5, points: { show: false } }],
  }, [x, y, x.map((v) => intercept / Math.LN2 + dimension * v)], into));
  return estimate;
}
