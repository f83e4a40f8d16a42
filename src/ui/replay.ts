/**
 * A replayed cell as the inspector draws it, for either family: the course's trace (rows of k, loss, w1 … w8) or an
 * MLP's (rows of k, loss, ‖W0‖, ‖W1‖; src/mlp/trace.ts). Pure (tested in Node): the inspector's DOM part only draws
 * what these return.
 */
import type { CellTrace } from '../cpu/kernel';
import { TRACE_ROW_LENGTH } from '../cpu/layout';
import { MLP_TRACE_ROW_LENGTH, type MlpTrace } from '../mlp/trace';

/** One replayed cell: a course trace or an MLP trace. */
export type Replay = CellTrace | MlpTrace;

/** Whether a replay is an MLP's. */
export const isMlpReplay = (r: Replay): r is MlpTrace => 'network' in r && r.network === 'mlp';

/** Numbers per row of a replay. */
export const rowLength = (r: Replay) => (isMlpReplay(r) ? MLP_TRACE_ROW_LENGTH : TRACE_ROW_LENGTH);

/** Column `column` of a replay's rows (0: k, 1: loss; then w1 … w8 for the course, ‖W0‖, ‖W1‖ for an MLP). */
export function traceColumn(r: Replay, column: number): number[] {
  const n = rowLength(r);
  return Array.from({ length: r.rows.length / n }, (_, row) => r.rows[row * n + column]);
}

/** The weight chart of a replay: its title, y axis, and one curve per column after the loss. */
export interface WeightChart { title: string; yLabel: string; log: boolean; series: Array<{ label: string; values: number[]; color: string }> }

/**
 * What the inspector draws for a replay's weights: the course's eight weights on a linear axis, or an MLP's two
 * Frobenius norms ‖W0‖ (input → hidden) and ‖W1‖ (hidden → output) on a log axis (a divergence takes them past 1e300).
 * `colors` gives the curves' colours in order; `suffix` ends the title ("(every 2 steps)").
 */
export function weightChart(r: Replay, cell: number, colors: readonly string[], suffix = ''): WeightChart {
  if (isMlpReplay(r)) {
    return {
      title: `weight norms ‖W0‖, ‖W1‖ (Frobenius) of cell ${cell}${suffix}`, yLabel: '‖W‖ (log)', log: true,
      series: ['‖W0‖ (input → hidden)', '‖W1‖ (hidden → output)'].map((label, j) => ({ label, values: traceColumn(r, 2 + j), color: colors[j] })),
    };
  }
  return {
    title: `weights w1…w8 of cell ${cell}${suffix}`, yLabel: 'weight', log: false,
    series: Array.from({ length: 8 }, (_, j) => ({ label: `w${j + 1}`, values: traceColumn(r, 2 + j), color: colors[j] })),
  };
}

/** What the inspector says ran the replay: the course's WebAssembly kernel, or the MLP's float64 TypeScript oracle. */
export const replayEngine = (mlp: boolean) => (mlp
  ? 'Replay: float64 on the CPU, the MLP\'s TypeScript oracle (src/mlp/reference.ts, bit for bit the CPU engine\'s float64), in a worker.'
  : 'Replay: float64 on the CPU engine, in a worker.');
