/**
 * What the hover says about a cell's outputs (after its coordinates): a plain sweep's outputs and class; a replica
 * sweep's counts with the Wilson interval ("converged 13 of 16 = 81% (95% CI 57–93%)"), then the metric shown, which
 * for an OUTPUTS row or the class map is replica 0's (draw 0). Pure.
 */
import type { HeatmapMetric } from '../core/heatmap';
import { describeOutputs, formatOutput, isComputed, outputArray, REPLICA_OUTPUT_NAMES, type ConvergenceRule, type SweepOutputs } from '../core/outputs';
import { describeReplicas } from '../core/replicas';
import { describeScore } from '../core/score-scale';

/** The replica rows that describeReplicas says in full (the counts and the probability with its interval). */
const SAID_BY_COUNTS: readonly HeatmapMetric[] = ['pConverged', 'pConvergedLow', 'pConvergedHigh', 'replicasConverged'];

/** The read-out of cell `cell` of `outputs` while `metric` is shown, classes under `rule`. */
export function readOut(outputs: SweepOutputs, cell: number, metric: HeatmapMetric, rule: ConvergenceRule): string {
  // The score's colours are ranks: the read-out gives the raw score first, and what its sign says.
  const score = metric === 'score' && isComputed(outputs, cell) ? `${describeScore(outputs.score[cell])}; ` : '';
  if (!outputs.replicasConverged) return `${score}${describeOutputs(outputs, cell, rule)}`;
  const counts = describeReplicas(outputs, cell);
  if (outputs.replicasConverged[cell] < 0) return counts; // not run yet
  const rest = `stalled ${outputs.replicasStalled![cell]}, diverged ${outputs.replicasDiverged![cell]}`;
  if (SAID_BY_COUNTS.includes(metric)) return `${counts}; ${rest}`;
  if ((REPLICA_OUTPUT_NAMES as readonly string[]).includes(metric)) return `${counts}; ${rest}; ${metric} ${formatOutput(metric as 'pConverged', outputArray(outputs, metric as 'pConverged')![cell])}`;
  return `${counts}; ${rest}; replica 0: ${score}${describeOutputs(outputs, cell, rule)}`;
}
