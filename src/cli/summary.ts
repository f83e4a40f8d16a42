/** Human-readable lines the command line prints. Pure, so tested. */
import { formatTickValue } from '../core/ticks';
import { RELATIVE_ERROR_FLOOR, type Agreement, type ReplicaAgreement } from '../core/compare';
import type { HeatmapScale } from '../core/heatmap';
import { scoreLegend } from '../core/score-scale';
import { classesOf, CONVERGENCE_RULES, countClasses, type SweepOutputs } from '../core/outputs';
import type { RunResult } from '../core/run';
import { isMlp, replicaCount, type SweepSpec } from '../core/spec';
import { networkName } from '../core/figure';
import { gridSize } from '../core/grid';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : '–');

/**
 * Cells, steps and the network (an MLP's by its sizes, activation and data; the course's by its preset), elapsed time,
 * network-steps per second and the count of each class; in a replica sweep, the replicas and their classes instead
 * (replicaLines).
 */
export function formatSummary(spec: SweepSpec, backend: string, adapter: string, run: RunResult, part?: { first: number; end: number }): string {
  const { nx, ny, cells } = gridSize(spec);
  const done = run.cellsDone;
  const c = countClasses(run.outputs, spec.convergence, part?.first, part?.end);
  const rule = CONVERGENCE_RULES.find((r) => r.name === spec.convergence)!;
  const classes = spec.replicas ? replicaLines(spec, run.outputs, part?.first ?? 0, part?.end ?? cells)
    : [`classes     ${classesOf(spec.convergence).map((k) => `${k} ${int(c[k])} (${pct(c[k], done)})`).join(', ')}`];
  return [
    `backend     ${backend} (${adapter})`,
    `cells       ${int(cells)} (${nx} × ${ny}: x = ${spec.x.param}${spec.y ? `, y = ${spec.y.param}` : ''})${part ? `; this part: cells ${int(part.first)} … ${int(part.end - 1)}` : ''}${run.status === 'complete' ? '' : `, ${run.status}: ${int(done)} done`}`,
    `steps       ${int(spec.steps)} per cell, ${isMlp(spec) ? networkName(spec) : `${spec.activation}, preset ${spec.preset}`}${isMlp(spec) && spec.convergence === 'tail-mean' ? '' : `, threshold ${spec.threshold}`}`,
    `elapsed     ${(run.elapsedMs / 1000).toFixed(3)} s`,
    `speed       ${int(run.networkStepsPerSecond)} network-steps/s`,
    ...classes,
    `            converged: ${rule.label} (convergence "${rule.name}": ${rule.detail})`,
  ].join('\n');
}

/**
 * A replica sweep's lines over cells first … end − 1: the replicas per cell and how they are drawn, the classes of all
 * the computed cells' networks (stalled includes "left"), and the mean pConverged with the cells where 0 < p < 1.
 */
export function replicaLines(spec: SweepSpec, outputs: SweepOutputs, first: number, end: number): string[] {
  const R = replicaCount(spec), sums = { converged: 0, stalled: 0, diverged: 0 };
  let computed = 0, p = 0, between = 0, all = 0, none = 0;
  for (let i = first; i < end; i++) {
    const k = outputs.replicasConverged?.[i] ?? -1;
    if (k < 0) continue;
    computed++;
    sums.converged += k; sums.stalled += outputs.replicasStalled![i]; sums.diverged += outputs.replicasDiverged![i];
    p += outputs.pConverged![i];
    if (k === 0) none++; else if (k === R) all++; else between++;
  }
  const draws = spec.replicas!.draws === 'common' ? `common draws (draws 0 … ${R - 1} of the init distribution in every cell)` : 'independent draws (each cell draws its own)';
  return [
    `replicas    ${int(R)} per cell, ${draws}; keeps ${spec.replicas!.keep === 'all' ? 'every replica\'s outputs' : 'each cell\'s summary'}`,
    `networks    ${int(computed * R)} (cells × replicas): ${(['converged', 'stalled', 'diverged'] as const).map((k) => `${k} ${int(sums[k])} (${pct(sums[k], computed * R)})`).join(', ')}`,
    `pConverged  mean ${computed ? (p / computed).toFixed(3) : '–'} over ${int(computed)} cells; ${int(between)} cells with 0 < p < 1, ${int(all)} with p = 1, ${int(none)} with p = 0`,
  ];
}

/** Agreement of a backend with the float64 reference. */
export function formatAgreement(a: Agreement, replicas?: Omit<ReplicaAgreement, 'map'>): string {
  const e = (x: number) => (Number.isNaN(x) ? '–' : x.toExponential(2));
  return [
    `compare     against the float64 reference on ${int(a.cells)} cells`,
    ...(replicas ? [`  converged replicas     the same count in ${(100 * replicas.countAgreementRate).toFixed(3)}% of cells (${int(replicas.countDisagreements)} differ${replicas.countDisagreements ? `, by at most ${replicas.largestDifference} replica${replicas.largestDifference === 1 ? '' : 's'}, e.g. cell ${replicas.largestAt}` : ''})`] : []),
    `  class agreement        ${(100 * a.classAgreementRate).toFixed(3)}% (${int(a.classDisagreements)} cells disagree${replicas ? '; replica 0' : ''})`,
    `  finalLoss abs. error   max ${e(a.finalLossAbsErrorMax)}, median ${e(a.finalLossAbsErrorMedian)} over ${int(a.bothConverged)} cells both call converged`,
    `  finalLoss rel. error   max ${e(a.finalLossRelErrorMax)}, median ${e(a.finalLossRelErrorMedian)} over the ${int(a.relativeCells)} of them with loss ≥ ${RELATIVE_ERROR_FLOOR}`,
    `  stepsToThreshold       differs in ${int(a.stepsToThresholdDisagreements)} of those cells`,
  ].join('\n');
}

/** One line per heatmap file: which file, what its colors span. */
export function formatHeatmapLegend(file: string, scale: HeatmapScale): string {
  const range = scale.kind === 'equalized' ? scoreLegend(scale.ranks!) : scale.kind === 'categorical' ? `${scale.rule === 'ends-below' || !scale.rule ? 'green converged, orange left (reached the threshold, ended above)' : 'green converged'}, gray stalled, red diverged`
    : `${scale.kind === 'log' ? 'log10 ' : ''}viridis ${formatTickValue(scale.min)} (dark blue) … ${formatTickValue(scale.max)} (yellow)${scale.below ? ', lower values dark blue too' : ''}`;
  return `  ${file.padEnd(22)} ${range}`;
}
