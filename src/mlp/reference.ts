/**
 * The MLP's float64 oracle (and its float32-faithful twin, `round = Math.fround`): one cell trained step by step, the
 * definition of every MLP output. The operation order below is the contract the WebAssembly kernel follows bit for
 * bit (wasm/mlp.ts); every sum runs over its index in ascending order, starting from 0.
 *
 * Evaluation k (k = 0 … steps), with S the points of step k (all P in order, or batches[k]; m of them):
 *   (every-step offset)  W0[i][j] ← W0[i][j] + initOffset
 *   z[p][j]   = (Σ_i x[p][i]·W0[i][j]) · a                      a = hiddenScale, every point p
 *   h[p][j]   = tanh(√2·z) | √2·max(z, 0) | z
 *   r[p][c]   = (Σ_j h[p][j]·W1[j][c]) · b − y[p][c]            b = outputScale
 *   loss[k]   = (Σ_p Σ_c r[p][c]²) / (P·o)                       (the full-batch loss, before the update)
 *   diverged at k when loss[k] or any weight is not finite; stop after k = steps
 *   g[q][c]   = r[S_q][c] · (2 / (m·o))                          q = 0 … m − 1
 *   dW1[j][c] = (Σ_q h[S_q][j]·g[q][c]) · b
 *   dz[q][j]  = ((Σ_c g[q][c]·W1[j][c]) · b) · slope[S_q][j]      slope: √2·(1 − h²) | (z > 0 ? √2 : 0) | 1
 *   dW0[i][j] = (Σ_q x[S_q][i]·dz[q][j]) · a
 *   W0 ← W0 − lrHidden·dW0;  W1 ← W1 − lrOutput·dW1              (both from the same old weights)
 * The initial weights are draw `draw` of mlpInitialWeights times initScale, with initOffset added to W0 (once mode).
 */
import type { Arithmetic } from '../core/arithmetic';
import { kernelTanh, ROUND, type Round } from '../core/network';
import type { CellOutputs } from '../core/outputs';
import { tanh } from '../core/portable-math';
import { LossBook } from '../core/reference';
import type { MlpSweepSpec } from '../core/spec';
import { MLP_SETUP, mlpInitialWeights, type MlpProblem } from './problem';

/** √2, the gain of the paper's tanh and ReLU. */
export const GAIN = Math.SQRT2;

/** Called with k, loss[k] and the weights [W0 | W1] at evaluation k (do not keep the array). */
export type MlpObserver = (k: number, loss: number, weights: Float64Array) => void;

/** The starting weights [W0 | W1] of a cell: its draw (cached by the caller when many cells share one), scaled and offset. */
export function startingWeights(problem: MlpProblem, setup: ArrayLike<number>, drawn: Float64Array, round: Round = ROUND.float64): Float64Array {
  const w = new Float64Array(problem.weightCount);
  const scale = setup[MLP_SETUP.initScale], offset = problem.offsetEveryStep ? 0 : setup[MLP_SETUP.initOffset];
  const w0 = problem.d * problem.n;
  for (let j = 0; j < w.length; j++) {
    let v = round(drawn[j]);
    if (scale !== 1) v = round(v * round(scale));
    if (j < w0 && offset !== 0) v = round(v + round(offset));
    w[j] = v;
  }
  return w;
}

/** Scratch arrays of one cell's evaluation (sizes from the problem). */
export interface MlpWorkspace { h: Float64Array; slope: Float64Array; res: Float64Array; g: Float64Array; dz: Float64Array }

export function mlpWorkspace(problem: MlpProblem): MlpWorkspace {
  const { n, o, points: P, m } = problem;
  return { h: new Float64Array(P * n), slope: new Float64Array(P * n), res: new Float64Array(P * o), g: new Float64Array(m * o), dz: new Float64Array(m * n) };
}

/** The data, the constants and the activation of a problem in one arithmetic. */
class Arith {
  readonly a: number; readonly b: number; readonly gain: number; readonly x: Float64Array; readonly y: Float64Array;
  readonly lossDivisor: number; readonly gradScale: number;
  constructor(readonly problem: MlpProblem, readonly arithmetic: Arithmetic, readonly r: Round = ROUND[arithmetic]) {
    const { o, points: P, m } = problem;
    this.a = r(problem.hiddenScale); this.b = r(problem.outputScale); this.gain = r(GAIN);
    this.x = arithmetic === 'float32' ? Float64Array.from(problem.x, r) : problem.x;
    this.y = arithmetic === 'float32' ? Float64Array.from(problem.y, r) : problem.y;
    this.lossDivisor = r(P * o); this.gradScale = r(2 / (m * o));
  }
  act(z: number): number {
    const { r, gain } = this;
    switch (this.problem.activation) {
      case 'tanh': return this.arithmetic === 'float64' ? tanh(r(gain * z)) : kernelTanh(r(gain * z), r);
      case 'relu': return r(gain * Math.max(z, 0));
      case 'identity': return z;
    }
  }
  slope(z: number, hv: number): number {
    const { r, gain } = this;
    switch (this.problem.activation) {
      case 'tanh': return r(gain * r(1 - r(hv * hv)));
      case 'relu': return z > 0 ? gain : 0;
      case 'identity': return 1;
    }
  }
}

/** The full-batch loss at weights w ([W0 | W1]); fills ws.h, ws.slope and ws.res for `backward`. */
function forward(t: Arith, w: Float64Array, ws: MlpWorkspace): number {
  const { d, n, o, points: P } = t.problem, { r, a, b, x, y } = t, w1At = d * n;
  let sum = 0;
  for (let p = 0; p < P; p++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < d; i++) s = r(s + r(x[p * d + i] * w[i * n + j]));
      const z = r(s * a), hv = t.act(z);
      ws.h[p * n + j] = hv; ws.slope[p * n + j] = t.slope(z, hv);
    }
    for (let c = 0; c < o; c++) {
      let s = 0;
      for (let j = 0; j < n; j++) s = r(s + r(ws.h[p * n + j] * w[w1At + j * o + c]));
      const rv = r(r(s * b) - y[p * o + c]);
      ws.res[p * o + c] = rv;
      sum = r(sum + r(rv * rv));
    }
  }
  return r(sum / t.lossDivisor);
}

/** ∂L/∂w on the points of step k (batches[k], or every point) into dW, after `forward` at the same w. */
function backward(t: Arith, w: Float64Array, k: number, ws: MlpWorkspace, dW: Float64Array): void {
  const { d, n, o, m, batches } = t.problem, { r, a, b, x, gradScale } = t, w1At = d * n;
  const pointOf = (q: number) => (batches ? batches[k * m + q] : q);
  for (let q = 0; q < m; q++) for (let c = 0; c < o; c++) ws.g[q * o + c] = r(ws.res[pointOf(q) * o + c] * gradScale);
  for (let j = 0; j < n; j++) {
    for (let c = 0; c < o; c++) {
      let s = 0;
      for (let q = 0; q < m; q++) s = r(s + r(ws.h[pointOf(q) * n + j] * ws.g[q * o + c]));
      dW[w1At + j * o + c] = r(s * b);
    }
  }
  for (let q = 0; q < m; q++) {
    const p = pointOf(q);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < o; c++) s = r(s + r(ws.g[q * o + c] * w[w1At + j * o + c]));
      ws.dz[q * n + j] = r(r(s * b) * ws.slope[p * n + j]);
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < m; q++) s = r(s + r(x[pointOf(q) * d + i] * ws.dz[q * n + j]));
      dW[i * n + j] = r(s * a);
    }
  }
}

/** The full-batch loss at w and, into dW, its gradient on step k's points (float64; for tests and finite differences). */
export function mlpLossAndGradient(problem: MlpProblem, w: Float64Array, k: number, dW: Float64Array): number {
  const t = new Arith(problem, 'float64'), ws = mlpWorkspace(problem);
  const loss = forward(t, w, ws);
  backward(t, w, k, ws, dW);
  return loss;
}

/** Trains one cell of `problem` from its set-up record (MLP_SETUP_FIELDS) and its draw's weights; returns its outputs. */
export function trainMlpCell(problem: MlpProblem, setup: ArrayLike<number>, drawn: Float64Array, arithmetic: Arithmetic = 'float64', observe?: MlpObserver): CellOutputs {
  const t = new Arith(problem, arithmetic), r = t.r;
  const lrH = r(setup[MLP_SETUP.lrHidden]), lrO = r(setup[MLP_SETUP.lrOutput]), offset = r(setup[MLP_SETUP.initOffset]);
  const w = startingWeights(problem, setup, drawn, r), w1At = problem.d * problem.n;
  const ws = mlpWorkspace(problem), dW = new Float64Array(problem.weightCount);
  const book = new LossBook(problem.steps, r(problem.threshold), r);
  for (let k = 0; k <= problem.steps; k++) {
    if (problem.offsetEveryStep && offset !== 0) for (let j = 0; j < w1At; j++) w[j] = r(w[j] + offset);
    const loss = forward(t, w, ws);
    observe?.(k, loss, w);
    if (!Number.isFinite(loss) || !w.every(Number.isFinite)) { book.diverge(k); break; }
    book.record(k, loss);
    if (k === problem.steps) break;
    backward(t, w, k, ws, dW);
    for (let j = 0; j < w1At; j++) w[j] = r(w[j] - r(lrH * dW[j]));
    for (let j = w1At; j < w.length; j++) w[j] = r(w[j] - r(lrO * dW[j]));
  }
  return book.outputs();
}

/** One cell of an MLP sweep, from the spec: its problem and draw built here (for tests and single replays). */
export function trainMlpSpecCell(spec: MlpSweepSpec, problem: MlpProblem, setup: ArrayLike<number>, arithmetic: Arithmetic = 'float64', observe?: MlpObserver): CellOutputs {
  return trainMlpCell(problem, setup, mlpInitialWeights(spec, setup[MLP_SETUP.draw]), arithmetic, observe);
}
