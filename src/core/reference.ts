/**
 * The CPU reference trainer: the same loop as the kernel, cell by cell, in float64 (the oracle) or float32-faithful.
 * loss[k] is E at the weights after k updates; k runs 0 … steps (steps updates, steps + 1 evaluations).
 */
import type { Arithmetic } from './arithmetic';
import { applyUpdate, forward, gradient, ROUND, SETUP, type NetworkConfig } from './network';
import type { CellOutputs } from './outputs';

export interface TrainConfig extends NetworkConfig {
  /** Number of weight updates. */
  steps: number;
  /** A cell has converged at the first k with loss[k] < threshold. */
  threshold: number;
}

/** Called with k, loss[k] and the weights after k updates (w[0..7] = w1..w8; do not keep the array). */
export type StepObserver = (k: number, loss: number, weights: Float64Array) => void;

/** Trains one cell from its 14-number set-up record (see CELL_SETUP_FIELDS) and returns its outputs. */
export function trainCell(setup: ArrayLike<number>, config: TrainConfig, arithmetic: Arithmetic = 'float64', observe?: StepObserver): CellOutputs {
  const round = ROUND[arithmetic];
  const threshold = round(config.threshold);
  const w = new Float64Array(8);
  for (let j = 0; j < 8; j++) w[j] = round(setup[SETUP.w1 + j]);
  const s = arithmetic === 'float32' ? Float32Array.from(Array.prototype.slice.call(setup) as number[]) : setup;
  const biases: [number, number] = [round(config.biases[0]), round(config.biases[1])];
  const net = { activation: config.activation, biases };
  const g = new Float64Array(8), velocity = new Float64Array(8);
  let minLoss = Infinity, peakLoss = -Infinity, stepsToThreshold = -1, loss = NaN;
  for (let k = 0; k <= config.steps; k++) {
    const f = forward(w, s, net, round);
    loss = f.loss;
    observe?.(k, loss, w);
    if (!Number.isFinite(loss) || !w.every(Number.isFinite)) {
      return { finalLoss: NaN, minLoss, peakLoss, stepsToThreshold, divergedAt: k };
    }
    if (loss < minLoss) minLoss = loss;
    if (loss > peakLoss) peakLoss = loss;
    if (stepsToThreshold < 0 && loss < threshold) stepsToThreshold = k;
    if (k === config.steps) break;
    applyUpdate(w, gradient(w, s, f, net, g, round), s, round, velocity);
  }
  return { finalLoss: loss, minLoss, peakLoss, stepsToThreshold, divergedAt: -1 };
}
