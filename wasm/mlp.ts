// The MLP kernel: src/mlp/reference.ts trainMlpCell (float64) compiled to WebAssembly, one cell after another, with
// the oracle's operations in the oracle's order (its header states it), so every output has the oracle's bits. The two
// largest sums (z over inputs, dW0 over points) run two hidden units per f64x2 (eight at a time, four lane pairs
// sharing each x load, then pairs, then one): each lane does exactly the scalar
// operations (no fused multiply-add in WebAssembly SIMD), so the bits stay the oracle's.
//
// Memory layout (mirrored by src/cpu/mlp-layout.ts, checked by test/cpu/mlp-kernel.test.ts). The host places each
// region (8-byte aligned) and passes its address:
//   setups : f64[count × MLP_SETUP_LENGTH], [lrHidden, lrOutput, initOffset, initScale, draw] per cell (MLP_SETUP_*).
//   weights: f64[count × W], W = d·n + n·o, each cell's starting weights [W0 (d × n, row i = input i) | W1 (n × o)]
//            (src/mlp/reference.ts startingWeights: the draw, scaled, with the offset added in once mode).
//   x      : f64[P × d];  y: f64[P × o];  batches: i32[steps × m] (ignored when minibatch = 0: every point in order).
//   outputs: as train() in wasm/train.ts (OUT_* × count).
//   work   : f64 scratch, in this order: h [P × n], slope [P × n], res [P × o], g [m × o], dz [m × n], dW [W], w [W]
//            (MLP_WORK_LENGTH f64: src/cpu/mlp-layout.ts mlpWorkLength).
// Arguments: activation 0 tanh, 1 relu, 2 identity (MLP_ACTIVATIONS order); everyStep = 1 adds initOffset to W0
// before every evaluation.

import { tanh, tanhV } from './math';
import { finishScore, TAIL_LOSSES, SCORE_CAP, writeOutputs } from './train';

export const MLP_SETUP_LENGTH: i32 = 5;
export const MLP_SETUP_LR_HIDDEN: i32 = 0;
export const MLP_SETUP_LR_OUTPUT: i32 = 1;
export const MLP_SETUP_INIT_OFFSET: i32 = 2;

const TANH = 0, RELU = 1;
const GAIN: f64 = 1.4142135623730951; // Math.SQRT2

@inline function f(base: usize, index: i32): f64 { return load<f64>(base + (<usize>index << 3)); }
@inline function setF(base: usize, index: i32, v: f64): void { store<f64>(base + (<usize>index << 3), v); }

// The sizes and data every cell of a block shares (globals, not an object: the stub runtime would place an object at
// the heap base, which the host's regions reuse).
let pr_d: i32 = 0, pr_n: i32 = 0, pr_o: i32 = 0, pr_P: i32 = 0, pr_m: i32 = 0, pr_activation: i32 = 0;
let pr_a: f64 = 0, pr_b: f64 = 0, pr_x: usize = 0, pr_y: usize = 0, pr_batches: usize = 0, pr_minibatch: bool = false;
let pr_h: usize = 0, pr_slope: usize = 0, pr_res: usize = 0, pr_g: usize = 0, pr_dz: usize = 0, pr_dW: usize = 0, pr_w: usize = 0;
let pr_lossDivisor: f64 = 0, pr_gradScale: f64 = 0;

@inline function pointOf(k: i32, q: i32): i32 {
  return pr_minibatch ? load<i32>(pr_batches + (<usize>(k * pr_m + q) << 2)) : q;
}

/** h and slope of hidden value `at` ([P × n] index) from its z. */
@inline function hidden(at: i32, z: f64, act: i32): void {
  let hv: f64, sl: f64;
  if (act == TANH) { hv = tanh(GAIN * z); sl = GAIN * (1 - hv * hv); }
  else if (act == RELU) { hv = GAIN * (z > 0 ? z : (z == z ? 0 : z)); sl = z > 0 ? GAIN : 0; } // Math.max(z, 0)
  else { hv = z; sl = 1; }
  setF(pr_h, at, hv); setF(pr_slope, at, sl);
}

@inline function hiddenPair(at: i32, z: v128, act: i32): void {
  if (act == TANH) { // tanhV: tanh's bits on each lane; the slope's operations per lane as in hidden()
    const gain = f64x2.splat(GAIN), hv = tanhV(f64x2.mul(gain, z)), p = (<usize>at << 3);
    v128.store(pr_h + p, hv);
    v128.store(pr_slope + p, f64x2.mul(gain, f64x2.sub(f64x2.splat(1), f64x2.mul(hv, hv))));
    return;
  }
  hidden(at, f64x2.extract_lane(z, 0), act);
  hidden(at + 1, f64x2.extract_lane(z, 1), act);
}

/** The full-batch loss at pr_w; fills h, slope and res (reference.ts forward). */
function forward(): f64 {
  const d = pr_d, n = pr_n, o = pr_o, P = pr_P, w = pr_w, w1At = d * n, act = pr_activation, x = pr_x, av = f64x2.splat(pr_a);
  let sum: f64 = 0;
  for (let p = 0; p < P; p++) {
    let j = 0;
    for (; j + 7 < n; j += 8) { // units j … j + 7 in four lane pairs, sharing each x load: each lane the scalar sum
      let s0 = f64x2.splat(0), s1 = s0, s2 = s0, s3 = s0;
      for (let i = 0; i < d; i++) {
        const xv = f64x2.splat(f(x, p * d + i)), at = w + (<usize>(i * n + j) << 3);
        s0 = f64x2.add(s0, f64x2.mul(xv, v128.load(at))); s1 = f64x2.add(s1, f64x2.mul(xv, v128.load(at, 16)));
        s2 = f64x2.add(s2, f64x2.mul(xv, v128.load(at, 32))); s3 = f64x2.add(s3, f64x2.mul(xv, v128.load(at, 48)));
      }
      hiddenPair(p * n + j, f64x2.mul(s0, av), act); hiddenPair(p * n + j + 2, f64x2.mul(s1, av), act);
      hiddenPair(p * n + j + 4, f64x2.mul(s2, av), act); hiddenPair(p * n + j + 6, f64x2.mul(s3, av), act);
    }
    for (; j + 1 < n; j += 2) { // units j and j + 1 in two lanes: each lane is the scalar sum, in the same order
      let s = f64x2.splat(0);
      for (let i = 0; i < d; i++) s = f64x2.add(s, f64x2.mul(f64x2.splat(f(pr_x, p * d + i)), v128.load(w + (<usize>(i * n + j) << 3))));
      const z = f64x2.mul(s, f64x2.splat(pr_a));
      hidden(p * n + j, f64x2.extract_lane(z, 0), act);
      hidden(p * n + j + 1, f64x2.extract_lane(z, 1), act);
    }
    for (; j < n; j++) {
      let s: f64 = 0;
      for (let i = 0; i < d; i++) s = s + f(pr_x, p * d + i) * f(w, i * n + j);
      hidden(p * n + j, s * pr_a, act);
    }
    for (let c = 0; c < o; c++) {
      let s: f64 = 0;
      for (let j = 0; j < n; j++) s = s + f(pr_h, p * n + j) * f(w, w1At + j * o + c);
      const rv = s * pr_b - f(pr_y, p * o + c);
      setF(pr_res, p * o + c, rv);
      sum = sum + rv * rv;
    }
  }
  return sum / pr_lossDivisor;
}

/** ∂L/∂w on step k's points into dW (reference.ts backward). */
function backward(k: i32): void {
  const d = pr_d, n = pr_n, o = pr_o, m = pr_m, w = pr_w, w1At = d * n, dW = pr_dW, x = pr_x, dz = pr_dz, av = f64x2.splat(pr_a);
  const minibatch = pr_minibatch, batch = pr_batches + (<usize>(k * m) << 2);
  for (let q = 0; q < m; q++) {
    const p = pointOf(k, q);
    for (let c = 0; c < o; c++) setF(pr_g, q * o + c, f(pr_res, p * o + c) * pr_gradScale);
  }
  for (let j = 0; j < n; j++) {
    for (let c = 0; c < o; c++) {
      let s: f64 = 0;
      for (let q = 0; q < m; q++) s = s + f(pr_h, pointOf(k, q) * n + j) * f(pr_g, q * o + c);
      setF(dW, w1At + j * o + c, s * pr_b);
    }
  }
  for (let q = 0; q < m; q++) {
    const p = pointOf(k, q);
    for (let j = 0; j < n; j++) {
      let s: f64 = 0;
      for (let c = 0; c < o; c++) s = s + f(pr_g, q * o + c) * f(w, w1At + j * o + c);
      setF(pr_dz, q * n + j, (s * pr_b) * f(pr_slope, p * n + j));
    }
  }
  for (let i = 0; i < d; i++) {
    let j = 0;
    for (; j + 7 < n; j += 8) { // dW0[i][j … j + 7] in four lane pairs sharing each x load, each lane the scalar sum
      let s0 = f64x2.splat(0), s1 = s0, s2 = s0, s3 = s0;
      for (let q = 0; q < m; q++) {
        const xv = f64x2.splat(f(x, (minibatch ? load<i32>(batch + (<usize>q << 2)) : q) * d + i)), at = dz + (<usize>(q * n + j) << 3);
        s0 = f64x2.add(s0, f64x2.mul(xv, v128.load(at))); s1 = f64x2.add(s1, f64x2.mul(xv, v128.load(at, 16)));
        s2 = f64x2.add(s2, f64x2.mul(xv, v128.load(at, 32))); s3 = f64x2.add(s3, f64x2.mul(xv, v128.load(at, 48)));
      }
      const out = dW + (<usize>(i * n + j) << 3);
      v128.store(out, f64x2.mul(s0, av)); v128.store(out, f64x2.mul(s1, av), 16);
      v128.store(out, f64x2.mul(s2, av), 32); v128.store(out, f64x2.mul(s3, av), 48);
    }
    for (; j + 1 < n; j += 2) { // dW0[i][j], dW0[i][j + 1] in two lanes, each the scalar sum in the same order
      let s = f64x2.splat(0);
      for (let q = 0; q < m; q++) s = f64x2.add(s, f64x2.mul(f64x2.splat(f(pr_x, pointOf(k, q) * d + i)), v128.load(pr_dz + (<usize>(q * n + j) << 3))));
      v128.store(dW + (<usize>(i * n + j) << 3), f64x2.mul(s, f64x2.splat(pr_a)));
    }
    for (; j < n; j++) {
      let s: f64 = 0;
      for (let q = 0; q < m; q++) s = s + f(pr_x, pointOf(k, q) * d + i) * f(pr_dz, q * n + j);
      setF(dW, i * n + j, s * pr_a);
    }
  }
}

/** One cell (reference.ts trainMlpCell with LossBook's bookkeeping, as train.ts trainOne keeps it). */
function trainCell(setup: usize, start: usize, outputs: usize, count: i32, at: i32, steps: i32, threshold: f64, everyStep: bool): void {
  const W = pr_d * pr_n + pr_n * pr_o, w1At = pr_d * pr_n, w = pr_w, dW = pr_dW;
  const lrH = f(setup, MLP_SETUP_LR_HIDDEN), lrO = f(setup, MLP_SETUP_LR_OUTPUT), offset = f(setup, MLP_SETUP_INIT_OFFSET);
  memory.copy(w, start, <usize>W << 3);
  let minLoss: f64 = Infinity, peakLoss: f64 = -Infinity, stepsToThreshold: i32 = -1, settledAt: i32 = -1, divergedAt: i32 = -1;
  let loss: f64 = 0, firstLoss: f64 = 0, tail: f64 = 0, scoreSum: f64 = 0, scoreRecip: f64 = 0, scoreTail: f64 = 0;
  const tailCount = min<i32>(TAIL_LOSSES, steps + 1), tailStart = steps + 1 - tailCount, scoreTailStart = steps - min<i32>(TAIL_LOSSES, steps);
  for (let k: i32 = 0; ; k++) {
    if (everyStep && offset != 0) for (let j = 0; j < w1At; j++) setF(w, j, f(w, j) + offset);
    loss = forward();
    let finite = isFinite<f64>(loss);
    for (let j = 0; finite && j < W; j++) finite = isFinite<f64>(f(w, j));
    if (!finite) { divergedAt = k; loss = NaN; tail = NaN; break; }
    if (loss < minLoss) minLoss = loss;
    if (loss > peakLoss) peakLoss = loss;
    if (stepsToThreshold < 0 && loss < threshold) stepsToThreshold = k;
    settledAt = loss < threshold ? (settledAt < 0 ? k : settledAt) : -1;
    if (k == 0) firstLoss = loss;
    if (k >= tailStart) tail = tail + (loss / firstLoss) / <f64>tailCount;
    if (k == steps) break;
    let v = loss / firstLoss; // the score's sums (LossBook.record)
    if (v > SCORE_CAP) v = SCORE_CAP;
    scoreSum = scoreSum + v;
    scoreRecip = scoreRecip + 1 / v;
    if (k >= scoreTailStart) scoreTail = scoreTail + v;
    backward(k);
    for (let j = 0; j < w1At; j++) setF(w, j, f(w, j) - lrH * f(dW, j));
    for (let j = w1At; j < W; j++) setF(w, j, f(w, j) - lrO * f(dW, j));
  }
  const score = finishScore<f64>(scoreSum, scoreRecip, scoreTail, divergedAt, firstLoss, steps);
  writeOutputs(outputs, count, at, loss, minLoss, peakLoss, tail, score, stepsToThreshold, settledAt, divergedAt);
}

/** Trains `count` MLP cells in float64 (layout above) and writes their outputs. */
export function trainMlp(setups: usize, weights: usize, count: i32, x: usize, y: usize, batches: usize, outputs: usize, work: usize,
  d: i32, n: i32, o: i32, P: i32, m: i32, minibatch: i32, activation: i32, hiddenScale: f64, outputScale: f64, steps: i32, threshold: f64, everyStep: i32): void {
  pr_d = d; pr_n = n; pr_o = o; pr_P = P; pr_m = m; pr_activation = activation; pr_a = hiddenScale; pr_b = outputScale;
  pr_x = x; pr_y = y; pr_batches = batches; pr_minibatch = minibatch != 0;
  pr_lossDivisor = <f64>(P * o); pr_gradScale = 2 / <f64>(m * o);
  const W = d * n + n * o;
  pr_h = work; pr_slope = pr_h + (<usize>(P * n) << 3); pr_res = pr_slope + (<usize>(P * n) << 3);
  pr_g = pr_res + (<usize>(P * o) << 3); pr_dz = pr_g + (<usize>(m * o) << 3); pr_dW = pr_dz + (<usize>(m * n) << 3);
  pr_w = pr_dW + (<usize>W << 3);
  for (let c = 0; c < count; c++) {
    trainCell(setups + (<usize>(c * MLP_SETUP_LENGTH) << 3), weights + (<usize>(c * W) << 3), outputs, count, c, steps, threshold, everyStep != 0);
  }
}
