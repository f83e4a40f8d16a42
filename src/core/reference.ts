/**
 * The CPU reference trainer: the same loop as the kernel, cell by cell, in float64 (the oracle) or float32-faithful.
 * loss[k] is E at the weights after k updates; k runs 0 … steps (steps updates, steps + 1 evaluations). This loop and
 * its LossBook are the definition of every output (src/core/outputs.ts).
 */
import type { Arithmetic } from './arithmetic';
import { applyUpdate, forward, gradient, ROUND, SETUP, type NetworkConfig, type Round } from './network';
import { TAIL_LOSSES, type CellOutputs } from './outputs';

export interface TrainConfig extends NetworkConfig {
  /** Number of weight updates. */
  steps: number;
  /** The loss threshold of stepsToThreshold and settledAt. */
  threshold: number;
}

/** Where the paper's score cuts each loss ratio, and what a non-finite loss counts as (the notebook's max_val). */
export const SCORE_CAP = 1e6;

/**
 * The paper's score of a cell from its running sums over v[k] = min(loss[k] / loss[0], SCORE_CAP) for the finite losses
 * before an update (k < steps, and k < divergedAt): Σ v, Σ 1/v and the Σ v of the last min(TAIL_LOSSES, steps) k. A
 * cell that diverged at d < steps has loss[d … steps − 1] not finite: the notebook counts each as SCORE_CAP before the
 * division (v = min(SCORE_CAP / loss[0], SCORE_CAP); 1 when d = 0, where loss[0] itself counts as SCORE_CAP), added
 * here at once (n · v) rather than one by one. Score = −Σ v when the tail's mean is below 1 (converged), else Σ 1/v.
 * Every kernel finishes with this formula, each operation rounded by `round`.
 */
export function finishScore(sum: number, recip: number, tail: number, divergedAt: number, firstLoss: number, steps: number, round: Round = ROUND.float64): number {
  const tailCount = Math.min(TAIL_LOSSES, steps), tailStart = steps - tailCount;
  if (divergedAt >= 0 && divergedAt < steps) {
    let v = divergedAt === 0 ? 1 : round(SCORE_CAP / firstLoss);
    if (v > SCORE_CAP) v = SCORE_CAP;
    const n = steps - divergedAt, nTail = steps - Math.max(divergedAt, tailStart);
    sum = round(sum + round(n * v));
    recip = round(recip + round(n * round(1 / v)));
    tail = round(tail + round(nTail * v));
  }
  return round(tail / tailCount) < 1 ? -sum : recip;
}

/** Called with k, loss[k] and the weights after k updates (w[0..7] = w1..w8; do not keep the array). */
export type StepObserver = (k: number, loss: number, weights: Float64Array) => void;

/**
 * The bookkeeping of one cell's losses loss[0 … steps], as every kernel does it: record(k, loss) for k = 0, 1, … in
 * order, or diverge(k) at the first k whose loss or weights are not finite (nothing is recorded after that), then
 * outputs(). tailLossRatio is Σ (loss[k] / loss[0]) / n over the last n = min(TAIL_LOSSES, steps + 1) evaluations,
 * summed in k order, each operation rounded by `round` as the float32 kernels round it.
 */
export class LossBook {
  private minLoss = Infinity;
  private peakLoss = -Infinity;
  private stepsToThreshold = -1;
  private settledAt = -1;
  private lastLoss = NaN;
  private firstLoss = NaN;
  private tail = 0;
  private divergedAt = -1;
  private readonly tailCount: number;
  private readonly tailStart: number;
  private scoreSum = 0;
  private scoreRecip = 0;
  private scoreTail = 0;
  private readonly scoreTailStart: number;

  constructor(private readonly steps: number, private readonly threshold: number, private readonly round: Round = ROUND.float64) {
    this.tailCount = Math.min(TAIL_LOSSES, steps + 1);
    this.tailStart = steps + 1 - this.tailCount;
    this.scoreTailStart = steps - Math.min(TAIL_LOSSES, steps);
  }

  /** Records loss[k], a finite number. */
  record(k: number, loss: number): void {
    const round = this.round;
    this.lastLoss = loss;
    if (loss < this.minLoss) this.minLoss = loss;
    if (loss > this.peakLoss) this.peakLoss = loss;
    const below = loss < this.threshold;
    if (this.stepsToThreshold < 0 && below) this.stepsToThreshold = k;
    this.settledAt = below ? (this.settledAt < 0 ? k : this.settledAt) : -1;
    if (k === 0) this.firstLoss = loss;
    if (k >= this.tailStart) this.tail = round(this.tail + round(round(loss / this.firstLoss) / this.tailCount));
    if (k < this.steps) { // the score's sums over the losses before an update (scoreSums)
      let v = round(loss / this.firstLoss);
      if (v > SCORE_CAP) v = SCORE_CAP;
      this.scoreSum = round(this.scoreSum + v);
      this.scoreRecip = round(this.scoreRecip + round(1 / v));
      if (k >= this.scoreTailStart) this.scoreTail = round(this.scoreTail + v);
    }
  }

  /** The cell diverged at k: its outputs stop here, and those of the run's end are none. */
  diverge(k: number): void {
    this.divergedAt = k;
  }

  outputs(): CellOutputs {
    const diverged = this.divergedAt >= 0;
    return {
      finalLoss: diverged ? NaN : this.lastLoss, minLoss: this.minLoss, peakLoss: this.peakLoss, tailLossRatio: diverged ? NaN : this.tail,
      score: finishScore(this.scoreSum, this.scoreRecip, this.scoreTail, this.divergedAt, this.firstLoss, this.steps, this.round),
      stepsToThreshold: this.stepsToThreshold, settledAt: this.settledAt, divergedAt: this.divergedAt,
    };
  }
}

/** The outputs of a loss trajectory loss[0 … steps] (a non-finite entry is a divergence): LossBook over a list. */
export function outputsOfLosses(losses: readonly number[], threshold: number): CellOutputs {
  const book = new LossBook(losses.length - 1, threshold);
  for (let k = 0; k < losses.length; k++) {
    if (!Number.isFinite(losses[k])) { book.diverge(k); break; }
    book.record(k, losses[k]);
  }
  return book.outputs();
}

/** Trains one cell from its set-up record (see CELL_SETUP_FIELDS) and returns its outputs. */
export function trainCell(setup: ArrayLike<number>, config: TrainConfig, arithmetic: Arithmetic = 'float64', observe?: StepObserver): CellOutputs {
  const round = ROUND[arithmetic];
  const book = new LossBook(config.steps, round(config.threshold), round);
  const w = new Float64Array(8);
  for (let j = 0; j < 8; j++) w[j] = round(setup[SETUP.w1 + j]);
  const s = arithmetic === 'float32' ? Float32Array.from(Array.prototype.slice.call(setup) as number[]) : setup;
  const biases: [number, number] = [round(config.biases[0]), round(config.biases[1])];
  const net = { activation: config.activation, biases };
  const g = new Float64Array(8), velocity = new Float64Array(8);
  for (let k = 0; k <= config.steps; k++) {
    const f = forward(w, s, net, round);
    observe?.(k, f.loss, w);
    if (!Number.isFinite(f.loss) || !w.every(Number.isFinite)) { book.diverge(k); break; }
    book.record(k, f.loss);
    if (k === config.steps) break;
    applyUpdate(w, gradient(w, s, f, net, g, round), s, round, velocity);
  }
  return book.outputs();
}
