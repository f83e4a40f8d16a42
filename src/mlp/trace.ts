/**
 * One MLP cell replayed for the page's inspector: the float64 oracle (trainMlpSpecCell) run on the cell's set-up record
 * (mlpSetupWriter), keeping per kept step k the loss and the Frobenius norms of the two weight matrices, instead of
 * the course's eight weights (an MLP has d·n + n·o of them: 272 for the paper's 16-16-1). Pure.
 */
import type { Arithmetic } from '../core/arithmetic';
import type { CellOutputs } from '../core/outputs';
import type { MlpSweepSpec } from '../core/spec';
import { MLP_SETUP_LENGTH, mlpProblem, mlpSetupWriter, type MlpProblem } from './problem';
import { trainMlpSpecCell } from './reference';

/** f64 per MLP replay row: k, loss[k], ‖W0‖ and ‖W1‖ (Frobenius: √Σ w², in float64) at evaluation k. */
export const MLP_TRACE_ROW_LENGTH = 4;

/** One MLP cell replayed: its outputs and rows of MLP_TRACE_ROW_LENGTH numbers (k = 0, every, 2·every, …, the last k and a divergence). */
export interface MlpTrace {
  network: 'mlp';
  outputs: CellOutputs;
  rows: Float64Array;
}

/** √Σ w² over w[from … to − 1], summed in index order (Infinity or NaN when a weight is). */
export function frobenius(w: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  for (let j = from; j < to; j++) s += w[j] * w[j];
  return Math.sqrt(s);
}

/**
 * Replays cell `cell` of `spec` (the problem built here unless given) in `arithmetic`, keeping the rows of k = 0,
 * every, 2·every, …, k = steps, and the evaluation where it diverged (a loss or weight not finite); the weights of row
 * k are those the loss of k was evaluated at (after an every-step offset). Outputs are trainMlpSpecCell's, so equal to
 * the float64 CPU engine's bit for bit.
 */
export function traceMlpCell(spec: MlpSweepSpec, cell: number, every = 1, arithmetic: Arithmetic = 'float64', problem: MlpProblem = mlpProblem(spec)): MlpTrace {
  const setup = new Float64Array(MLP_SETUP_LENGTH);
  mlpSetupWriter(spec)(cell, setup);
  const w0 = problem.d * problem.n, rows: number[] = [];
  const outputs = trainMlpSpecCell(spec, problem, setup, arithmetic, (k, loss, w) => {
    const diverged = !Number.isFinite(loss) || !w.every(Number.isFinite);
    if (k % every === 0 || k === problem.steps || diverged) rows.push(k, loss, frobenius(w, 0, w0), frobenius(w, w0, w.length));
  });
  return { network: 'mlp', outputs, rows: Float64Array.from(rows) };
}
