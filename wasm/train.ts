// The CPU training kernel: the float64 reference (src/core/reference.ts, src/core/network.ts) compiled to WebAssembly,
// with the same operations in the same order, so every output has the oracle's bits. WebAssembly has no fused
// multiply-add outside relaxed SIMD and keeps subnormals, so IEEE 754 arithmetic gives the same bits here as in JS.
//
// Memory layout (mirrored by src/cpu/layout.ts, checked by the layout test in test/cpu/kernel.test.ts). The host grows the memory and
// places the blocks from heapBase() on, 8-byte aligned:
//   setups : f64[count × SETUP_LENGTH], one cell set-up record after another, the fields in CELL_SETUP_FIELDS order
//            [w1 … w8, lrHidden, lrOutput, i1, i2, t1, t2, momentum] (SETUP_* below give the offsets).
//   outputs: the OUTPUTS rows (src/core/outputs.ts) one array after another, count entries each, at OUT_* × count:
//            finalLoss f64 (NaN when diverged), minLoss f64 (+inf when diverged at k = 0), peakLoss f64 (−inf when
//            diverged at k = 0), tailLossRatio f64 (NaN when diverged), score f64 (the paper's score: finishScore),
//            stepsToThreshold i32 (−1: never), settledAt i32
//            (−1: did not end below the threshold), divergedAt i32 (−1: never); OUT_BYTES per cell.
//   history: trace() only; rows of TRACE_STRIDE f64: [k, loss[k], w1 … w8 after k updates] for k = 0, every, 2·every,
//            … and k = steps, or up to and including the divergence, whose row is always kept (at most
//            ⌈(steps + 1) / every⌉ + 1 rows); trace() returns the number of rows written.
// Arguments: activation 0 sigmoid, 1 tanh, 2 relu, 3 identity (ACTIVATIONS order); float32 = 1 rounds every operation
// to float32 as the float32-faithful reference does (which in turn follows the WGSL kernel); momentum = 1 when some
// cell's momentum is not 0 (heavy ball for those cells; 0 compiles the plain loop, with no velocities).

import { exp, expm1, expV, expVPair, HALF, lanes, ONE, tanh, tanhV, ZERO } from './math';

export const SETUP_LENGTH: i32 = 15;
export const SETUP_W1: i32 = 0;
export const SETUP_LR_HIDDEN: i32 = 8;
export const SETUP_LR_OUTPUT: i32 = 9;
export const SETUP_I1: i32 = 10;
export const SETUP_I2: i32 = 11;
export const SETUP_T1: i32 = 12;
export const SETUP_T2: i32 = 13;
export const SETUP_MOMENTUM: i32 = 14;
// Byte offsets of the output arrays, per cell of the block: array a of a block of n cells starts at OUT_a × n.
export const OUT_FINAL_LOSS: i32 = 0;
export const OUT_MIN_LOSS: i32 = 8;
export const OUT_PEAK_LOSS: i32 = 16;
export const OUT_TAIL_LOSS_RATIO: i32 = 24;
export const OUT_SCORE: i32 = 32;
export const OUT_STEPS_TO_THRESHOLD: i32 = 40;
export const OUT_SETTLED_AT: i32 = 44;
export const OUT_DIVERGED_AT: i32 = 48;
export const OUT_BYTES: i32 = 52;
/** How many of the last losses tailLossRatio averages (src/core/outputs.ts TAIL_LOSSES; the layout test checks it). */
export const TAIL_LOSSES: i32 = 20;
/** The paper's score's cut and its value of a non-finite loss (src/core/reference.ts SCORE_CAP; the layout test checks it). */
export const SCORE_CAP: f64 = 1e6;
export const TRACE_STRIDE: i32 = 10;

const SIGMOID = 0, TANH = 1, RELU = 2, IDENTITY = 3;

export function heapBase(): usize {
  return __heap_base;
}

@inline function field(setup: usize, index: i32): f64 {
  return load<f64>(setup + (<usize>index << 3));
}

/** The WGSL kernel's tanh (network.ts kernelTanh), for the float32-faithful mode. */
@inline function kernelTanh<T>(x: T): T {
  const a = abs<T>(x);
  if (a < 1) {
    const x2 = x * x;
    const num = <T>135135 + x2 * (<T>17325 + x2 * (<T>378 + x2));
    const den = <T>135135 + x2 * (<T>62370 + x2 * (<T>3150 + x2 * <T>28));
    return x * num / den;
  }
  const e = <T>exp(<f64>(<T>-2 * min<T>(a, 15)));
  const v = (<T>1 - e) / (<T>1 + e);
  return x < 0 ? -v : v;
}

@inline function activate<T>(x: T, activation: i32): T {
  if (activation == SIGMOID) return <T>1 / (<T>1 + <T>exp(<f64>-x));
  if (activation == TANH) return sizeof<T>() == 8 ? <T>tanh(<f64>x) : kernelTanh<T>(x);
  if (activation == RELU) return max<T>(x, 0);
  return x;
}

/** dσ/dx in terms of the activation's output a. */
@inline function slope<T>(a: T, activation: i32): T {
  if (activation == SIGMOID) return a * (<T>1 - a);
  if (activation == TANH) return <T>1 - a * a;
  if (activation == RELU) return a > 0 ? <T>1 : <T>0;
  return 1;
}

/**
 * Trains one cell in T arithmetic (f64: the oracle; f32: float32-faithful) and writes its outputs at `at` of the
 * output arrays; with `history` ≠ 0 also loss[k] and the weights at every k.
 */
function trainOne<T>(setup: usize, outputs: usize, count: i32, at: i32, steps: i32, thresholdIn: f64, biasHiddenIn: f64, biasOutputIn: f64, activation: i32, history: usize, every: i32): i32 {
  const threshold = <T>thresholdIn, bh = <T>biasHiddenIn, bo = <T>biasOutputIn;
  let w1 = <T>field(setup, 0), w2 = <T>field(setup, 1), w3 = <T>field(setup, 2), w4 = <T>field(setup, 3);
  let w5 = <T>field(setup, 4), w6 = <T>field(setup, 5), w7 = <T>field(setup, 6), w8 = <T>field(setup, 7);
  const lrH = <T>field(setup, SETUP_LR_HIDDEN), lrO = <T>field(setup, SETUP_LR_OUTPUT);
  const i1 = <T>field(setup, SETUP_I1), i2 = <T>field(setup, SETUP_I2);
  const t1 = <T>field(setup, SETUP_T1), t2 = <T>field(setup, SETUP_T2);
  const beta = <T>field(setup, SETUP_MOMENTUM);
  let v1: T = 0, v2: T = 0, v3: T = 0, v4: T = 0, v5: T = 0, v6: T = 0, v7: T = 0, v8: T = 0;
  let minLoss: f64 = Infinity, peakLoss: f64 = -Infinity, stepsToThreshold: i32 = -1, settledAt: i32 = -1, divergedAt: i32 = -1;
  let loss: T = 0, firstLoss: T = 0, tail: T = 0, rows: i32 = 0, scoreSum: T = 0, scoreRecip: T = 0, scoreTail: T = 0;
  const tailCount = min<i32>(TAIL_LOSSES, steps + 1), tailStart = steps + 1 - tailCount, scoreTailStart = steps - min<i32>(TAIL_LOSSES, steps);
  for (let k: i32 = 0; ; k++) {
    const ah1 = activate<T>((w1 * i1 + w2 * i2) + bh, activation);
    const ah2 = activate<T>((w3 * i1 + w4 * i2) + bh, activation);
    const ao1 = activate<T>((w5 * ah1 + w6 * ah2) + bo, activation);
    const ao2 = activate<T>((w7 * ah1 + w8 * ah2) + bo, activation);
    const e1 = t1 - ao1, e2 = t2 - ao2;
    loss = <T>0.5 * (e1 * e1 + e2 * e2);
    const finite = isFinite<T>(loss) && isFinite<T>(w1) && isFinite<T>(w2) && isFinite<T>(w3) && isFinite<T>(w4)
      && isFinite<T>(w5) && isFinite<T>(w6) && isFinite<T>(w7) && isFinite<T>(w8);
    if (history && (k % every == 0 || k == steps || !finite)) {
      const h = history + ((<usize>rows * TRACE_STRIDE) << 3);
      rows++;
      store<f64>(h, <f64>k); store<f64>(h, loss, 8); store<f64>(h, w1, 16); store<f64>(h, w2, 24); store<f64>(h, w3, 32);
      store<f64>(h, w4, 40); store<f64>(h, w5, 48); store<f64>(h, w6, 56); store<f64>(h, w7, 64); store<f64>(h, w8, 72);
    }
    if (!finite) {
      divergedAt = k;
      loss = <T>NaN;
      tail = <T>NaN;
      break;
    }
    if (<f64>loss < minLoss) minLoss = loss;
    if (<f64>loss > peakLoss) peakLoss = loss;
    if (stepsToThreshold < 0 && loss < threshold) stepsToThreshold = k;
    settledAt = loss < threshold ? (settledAt < 0 ? k : settledAt) : -1;
    if (k == 0) firstLoss = loss;
    if (k >= tailStart) tail = tail + (loss / firstLoss) / <T>tailCount;
    if (k == steps) break;
    let v = loss / firstLoss; // the score's sums (LossBook.record)
    if (v > <T>SCORE_CAP) v = <T>SCORE_CAP;
    scoreSum = scoreSum + v;
    scoreRecip = scoreRecip + <T>1 / v;
    if (k >= scoreTailStart) scoreTail = scoreTail + v;
    const do1 = (ao1 - t1) * slope<T>(ao1, activation);
    const do2 = (ao2 - t2) * slope<T>(ao2, activation);
    const dh1 = (do1 * w5 + do2 * w7) * slope<T>(ah1, activation);
    const dh2 = (do1 * w6 + do2 * w8) * slope<T>(ah2, activation);
    const g1 = dh1 * i1, g2 = dh1 * i2, g3 = dh2 * i1, g4 = dh2 * i2;
    const g5 = do1 * ah1, g6 = do1 * ah2, g7 = do2 * ah1, g8 = do2 * ah2;
    if (beta == 0) { // network.ts applyUpdate: the sheet's step
      w1 = w1 - lrH * g1; w2 = w2 - lrH * g2; w3 = w3 - lrH * g3; w4 = w4 - lrH * g4;
      w5 = w5 - lrO * g5; w6 = w6 - lrO * g6; w7 = w7 - lrO * g7; w8 = w8 - lrO * g8;
    } else { // heavy ball: v ← β·v + g, w ← w − η·v
      v1 = beta * v1 + g1; v2 = beta * v2 + g2; v3 = beta * v3 + g3; v4 = beta * v4 + g4;
      v5 = beta * v5 + g5; v6 = beta * v6 + g6; v7 = beta * v7 + g7; v8 = beta * v8 + g8;
      w1 = w1 - lrH * v1; w2 = w2 - lrH * v2; w3 = w3 - lrH * v3; w4 = w4 - lrH * v4;
      w5 = w5 - lrO * v5; w6 = w6 - lrO * v6; w7 = w7 - lrO * v7; w8 = w8 - lrO * v8;
    }
  }
  const score = finishScore<T>(scoreSum, scoreRecip, scoreTail, divergedAt, firstLoss, steps);
  writeOutputs(outputs, count, at, loss, minLoss, peakLoss, tail, score, stepsToThreshold, settledAt, divergedAt);
  return rows;
}

/** src/core/reference.ts finishScore, the same operations in T arithmetic. */
export function finishScore<T>(sum: T, recip: T, tail: T, divergedAt: i32, firstLoss: T, steps: i32): f64 {
  const tailCount = min<i32>(TAIL_LOSSES, steps), tailStart = steps - tailCount;
  if (divergedAt >= 0 && divergedAt < steps) {
    let v: T = divergedAt == 0 ? <T>1 : <T>SCORE_CAP / firstLoss;
    if (v > <T>SCORE_CAP) v = <T>SCORE_CAP;
    const n = <T>(steps - divergedAt), nTail = <T>(steps - max<i32>(divergedAt, tailStart));
    sum = sum + n * v;
    recip = recip + n * (<T>1 / v);
    tail = tail + nTail * v;
  }
  return <f64>(tail / <T>tailCount < <T>1 ? -sum : recip);
}

@inline export function writeOutputs(outputs: usize, count: i32, at: i32, finalLoss: f64, minLoss: f64, peakLoss: f64, tailLossRatio: f64, score: f64, stepsToThreshold: i32, settledAt: i32, divergedAt: i32): void {
  const n = <usize>count, a8 = <usize>at << 3, a4 = <usize>at << 2;
  store<f64>(outputs + <usize>OUT_FINAL_LOSS * n + a8, finalLoss);
  store<f64>(outputs + <usize>OUT_MIN_LOSS * n + a8, minLoss);
  store<f64>(outputs + <usize>OUT_PEAK_LOSS * n + a8, peakLoss);
  store<f64>(outputs + <usize>OUT_TAIL_LOSS_RATIO * n + a8, tailLossRatio);
  store<f64>(outputs + <usize>OUT_SCORE * n + a8, score);
  store<i32>(outputs + <usize>OUT_STEPS_TO_THRESHOLD * n + a4, stepsToThreshold);
  store<i32>(outputs + <usize>OUT_SETTLED_AT * n + a4, settledAt);
  store<i32>(outputs + <usize>OUT_DIVERGED_AT * n + a4, divergedAt);
}

@inline function activateV(x: v128, activation: i32): v128 {
  const one = lanes(ONE);
  if (activation == SIGMOID) return f64x2.div(one, f64x2.add(one, expV(f64x2.neg(x))));
  if (activation == TANH) return f64x2.replace_lane(f64x2.splat(tanh(f64x2.extract_lane(x, 0))), 1, tanh(f64x2.extract_lane(x, 1)));
  if (activation == RELU) return f64x2.max(x, f64x2.splat(0));
  return x;
}

@inline function slopeV(a: v128, activation: i32): v128 {
  const one = lanes(ONE);
  if (activation == SIGMOID) return f64x2.mul(a, f64x2.sub(one, a));
  if (activation == TANH) return f64x2.sub(one, f64x2.mul(a, a));
  if (activation == RELU) return v128.and(f64x2.gt(a, f64x2.splat(0)), one);
  return one;
}

/** x − x: 0 for a finite x, NaN for ±inf and NaN. */
@inline function finiteProbe(x: v128): v128 {
  return f64x2.sub(x, x);
}

// The state of one lane pair lives in a small memory record between steps (slot = one v128): the CPU's store
// forwarding makes that cheap, and it lets one loop interleave PAIRS independent pairs, whose long exp/divide chains
// then overlap. Measured single-thread, sigmoid (npm run bench has the current figure): one pair at a time 23 M
// network-steps/s; 2 pairs 34; 4 pairs, with the stages below, 47; with sigmoid's exps in pairs sharing constant
// loads (expVPair), 52. 3 and 6 pairs measured no better than 4; merging the update into stage 2 measured slower.
// Slots 0 … SETUP_LENGTH − 1 hold the set-up record's fields (W1 … MOMENTUM), the rest the running state.
const W1 = 0, LR_H = 8, LR_O = 9, I1 = 10, I2 = 11, T1 = 12, T2 = 13, MOMENTUM = 14, V1 = 15, MIN_LOSS = 23;
const PEAK_LOSS = 24, STEPS_TO_THRESHOLD = 25, DIVERGED_AT = 26, FINAL_LOSS = 27, ALIVE = 28, AH1 = 29, AH2 = 30;
const AO1 = 31, AO2 = 32, LAST_ABOVE = 33, FIRST_LOSS = 34, TAIL = 35, SCORE_SUM = 36, SCORE_RECIP = 37, SCORE_TAIL = 38;
const PAIR_SLOTS = 39;
const PAIR_BYTES: usize = PAIR_SLOTS * 16;
const PAIRS = 4;
const pairState = memory.data(PAIRS * PAIR_SLOTS * 16, 16);

@inline function slot(s: usize, index: i32): v128 { return v128.load(s + (<usize>index << 4)); }
@inline function setSlot(s: usize, index: i32, v: v128): void { v128.store(s + (<usize>index << 4), v); }

/** Loads the set-ups of cells a (lane 0) and b (lane 1) into the pair record `s`. */
function initPair(s: usize, a: usize, b: usize): void {
  for (let j = 0; j < SETUP_LENGTH; j++) setSlot(s, j, f64x2.replace_lane(f64x2.splat(field(a, j)), 1, field(b, j)));
  for (let j = 0; j < 8; j++) setSlot(s, V1 + j, f64x2.splat(0));
  setSlot(s, MIN_LOSS, f64x2.splat(Infinity));
  setSlot(s, PEAK_LOSS, f64x2.splat(-Infinity));
  setSlot(s, STEPS_TO_THRESHOLD, f64x2.splat(-1));
  setSlot(s, DIVERGED_AT, f64x2.splat(-1));
  setSlot(s, FINAL_LOSS, f64x2.splat(NaN));
  setSlot(s, ALIVE, i64x2.splat(-1));
  setSlot(s, LAST_ABOVE, f64x2.splat(-1));
  setSlot(s, TAIL, f64x2.splat(0));
  setSlot(s, SCORE_SUM, f64x2.splat(0));
  setSlot(s, SCORE_RECIP, f64x2.splat(0));
  setSlot(s, SCORE_TAIL, f64x2.splat(0));
}

/** The activations of x1 and x2 into slots `into1` and `into2` of record `s`; sigmoid's two exps share constants. */
@inline function activatePair(s: usize, x1: v128, x2: v128, into1: i32, into2: i32, activation: i32): void {
  if (activation != SIGMOID) {
    setSlot(s, into1, activateV(x1, activation));
    setSlot(s, into2, activateV(x2, activation));
    return;
  }
  expVPair(f64x2.neg(x1), f64x2.neg(x2), s + (<usize>into1 << 4), s + (<usize>into2 << 4));
  const one = lanes(ONE);
  setSlot(s, into1, f64x2.div(one, f64x2.add(one, slot(s, into1))));
  setSlot(s, into2, f64x2.div(one, f64x2.add(one, slot(s, into2))));
}

/** Stage 1 of a step: the hidden activations at the current weights (into AH1, AH2). */
@inline function hiddenLayer(s: usize, bh: v128, activation: i32): void {
  const i1 = slot(s, I1), i2 = slot(s, I2);
  const h1 = f64x2.add(f64x2.add(f64x2.mul(slot(s, W1), i1), f64x2.mul(slot(s, W1 + 1), i2)), bh);
  const h2 = f64x2.add(f64x2.add(f64x2.mul(slot(s, W1 + 2), i1), f64x2.mul(slot(s, W1 + 3), i2)), bh);
  activatePair(s, h1, h2, AH1, AH2, activation);
}

/**
 * Stage 2 of step k: the outputs (into AO1, AO2), loss[k] and the bookkeeping, with trainOne<f64>'s operations on
 * each lane. A lane that diverged stops updating its outputs (its arithmetic goes on, unused). Returns whether a lane
 * is still training.
 */
@inline function outputLayer(s: usize, k: i32, steps: i32, tailStart: i32, tailCount: v128, scoreTailStart: i32, threshold: v128, bo: v128, activation: i32): bool {
  const ah1 = slot(s, AH1), ah2 = slot(s, AH2);
  const o1 = f64x2.add(f64x2.add(f64x2.mul(slot(s, W1 + 4), ah1), f64x2.mul(slot(s, W1 + 5), ah2)), bo);
  const o2 = f64x2.add(f64x2.add(f64x2.mul(slot(s, W1 + 6), ah1), f64x2.mul(slot(s, W1 + 7), ah2)), bo);
  activatePair(s, o1, o2, AO1, AO2, activation);
  const ao1 = slot(s, AO1), ao2 = slot(s, AO2);
  const e1 = f64x2.sub(slot(s, T1), ao1), e2 = f64x2.sub(slot(s, T2), ao2);
  const loss = f64x2.mul(lanes(HALF), f64x2.add(f64x2.mul(e1, e1), f64x2.mul(e2, e2)));
  const probe = f64x2.add(
    f64x2.add(f64x2.add(finiteProbe(loss), finiteProbe(slot(s, W1))), f64x2.add(finiteProbe(slot(s, W1 + 1)), finiteProbe(slot(s, W1 + 2)))),
    f64x2.add(f64x2.add(finiteProbe(slot(s, W1 + 3)), finiteProbe(slot(s, W1 + 4))),
      f64x2.add(f64x2.add(finiteProbe(slot(s, W1 + 5)), finiteProbe(slot(s, W1 + 6))), finiteProbe(slot(s, W1 + 7)))));
  const finite = f64x2.eq(probe, lanes(ZERO));
  const kv = f64x2.splat(<f64>k);
  let alive = slot(s, ALIVE);
  setSlot(s, DIVERGED_AT, v128.bitselect(kv, slot(s, DIVERGED_AT), v128.andnot(alive, finite)));
  alive = v128.and(alive, finite);
  setSlot(s, ALIVE, alive);
  const minLoss = slot(s, MIN_LOSS), peakLoss = slot(s, PEAK_LOSS), stepsToThreshold = slot(s, STEPS_TO_THRESHOLD);
  setSlot(s, MIN_LOSS, v128.bitselect(loss, minLoss, v128.and(alive, f64x2.lt(loss, minLoss))));
  setSlot(s, PEAK_LOSS, v128.bitselect(loss, peakLoss, v128.and(alive, f64x2.gt(loss, peakLoss))));
  const below = f64x2.lt(loss, threshold);
  const reached = v128.and(v128.and(alive, f64x2.lt(stepsToThreshold, f64x2.splat(0))), below);
  setSlot(s, STEPS_TO_THRESHOLD, v128.bitselect(kv, stepsToThreshold, reached));
  // The last k with the loss at or above the threshold, for lanes alive (settledAt follows from it: writePairOutputs).
  setSlot(s, LAST_ABOVE, v128.bitselect(kv, slot(s, LAST_ABOVE), v128.andnot(alive, below)));
  if (k == 0) setSlot(s, FIRST_LOSS, loss);
  if (k >= tailStart) { // tailLossRatio += (loss / loss[0]) / n, for lanes alive
    const tail = slot(s, TAIL);
    setSlot(s, TAIL, v128.bitselect(f64x2.add(tail, f64x2.div(f64x2.div(loss, slot(s, FIRST_LOSS)), tailCount)), tail, alive));
  }
  if (k == steps) setSlot(s, FINAL_LOSS, loss); // kept only for lanes still alive (writePairOutputs)
  else { // the score's sums, v = min(loss / loss[0], SCORE_CAP), for lanes alive
    const cap = f64x2.splat(SCORE_CAP);
    let v = f64x2.div(loss, slot(s, FIRST_LOSS));
    v = v128.bitselect(cap, v, f64x2.gt(v, cap));
    const sum = slot(s, SCORE_SUM), recip = slot(s, SCORE_RECIP);
    setSlot(s, SCORE_SUM, v128.bitselect(f64x2.add(sum, v), sum, alive));
    setSlot(s, SCORE_RECIP, v128.bitselect(f64x2.add(recip, f64x2.div(lanes(ONE), v)), recip, alive));
    if (k >= scoreTailStart) {
      const tail = slot(s, SCORE_TAIL);
      setSlot(s, SCORE_TAIL, v128.bitselect(f64x2.add(tail, v), tail, alive));
    }
  }
  return v128.any_true(alive);
}

/**
 * Weight j's update, as network.ts applyUpdate: w ← w − η·g; with `momentum`, lanes whose β ≠ 0 take the heavy ball
 * instead (v ← β·v + g, w ← w − η·v), lanes with β = 0 keep the plain step (a per-lane select, so the bits match).
 */
@inline function updateWeight(s: usize, j: i32, lr: v128, g: v128, momentum: bool, beta: v128, plain: v128): void {
  const w = slot(s, W1 + j);
  const stepped = f64x2.sub(w, f64x2.mul(lr, g));
  if (!momentum) { setSlot(s, W1 + j, stepped); return; }
  const v = f64x2.add(f64x2.mul(beta, slot(s, V1 + j)), g);
  setSlot(s, V1 + j, v);
  setSlot(s, W1 + j, v128.bitselect(stepped, f64x2.sub(w, f64x2.mul(lr, v)), plain));
}

/** Stage 3: the gradient and the update, all eight weights from their old values. */
@inline function update(s: usize, activation: i32, momentum: bool): void {
  const ah1 = slot(s, AH1), ah2 = slot(s, AH2), ao1 = slot(s, AO1), ao2 = slot(s, AO2);
  const w5 = slot(s, W1 + 4), w6 = slot(s, W1 + 5), w7 = slot(s, W1 + 6), w8 = slot(s, W1 + 7);
  const i1 = slot(s, I1), i2 = slot(s, I2), lrH = slot(s, LR_H), lrO = slot(s, LR_O);
  const do1 = f64x2.mul(f64x2.sub(ao1, slot(s, T1)), slopeV(ao1, activation));
  const do2 = f64x2.mul(f64x2.sub(ao2, slot(s, T2)), slopeV(ao2, activation));
  const dh1 = f64x2.mul(f64x2.add(f64x2.mul(do1, w5), f64x2.mul(do2, w7)), slopeV(ah1, activation));
  const dh2 = f64x2.mul(f64x2.add(f64x2.mul(do1, w6), f64x2.mul(do2, w8)), slopeV(ah2, activation));
  const beta = momentum ? slot(s, MOMENTUM) : lanes(ZERO);
  const plain = f64x2.eq(beta, lanes(ZERO));
  updateWeight(s, 0, lrH, f64x2.mul(dh1, i1), momentum, beta, plain);
  updateWeight(s, 1, lrH, f64x2.mul(dh1, i2), momentum, beta, plain);
  updateWeight(s, 2, lrH, f64x2.mul(dh2, i1), momentum, beta, plain);
  updateWeight(s, 3, lrH, f64x2.mul(dh2, i2), momentum, beta, plain);
  updateWeight(s, 4, lrO, f64x2.mul(do1, ah1), momentum, beta, plain);
  updateWeight(s, 5, lrO, f64x2.mul(do1, ah2), momentum, beta, plain);
  updateWeight(s, 6, lrO, f64x2.mul(do2, ah1), momentum, beta, plain);
  updateWeight(s, 7, lrO, f64x2.mul(do2, ah2), momentum, beta, plain);
}

/** Writes the outputs of lane `lane` of the pair record `s` at index `at`. */
function writePairOutputs(s: usize, lane: i32, outputs: usize, count: i32, at: i32, steps: i32): void {
  const finalLoss = v128.bitselect(slot(s, FINAL_LOSS), f64x2.splat(NaN), slot(s, ALIVE));
  const tail = v128.bitselect(slot(s, TAIL), f64x2.splat(NaN), slot(s, ALIVE));
  const divergedAt = <i32>laneOf(slot(s, DIVERGED_AT), lane);
  // settledAt: the step after the last one at or above the threshold, if a later step was evaluated (trainOne's rule).
  const settledFrom = <i32>laneOf(slot(s, LAST_ABOVE), lane) + 1, lastEvaluated = divergedAt >= 0 ? divergedAt - 1 : steps;
  const score = finishScore<f64>(laneOf(slot(s, SCORE_SUM), lane), laneOf(slot(s, SCORE_RECIP), lane), laneOf(slot(s, SCORE_TAIL), lane), divergedAt, laneOf(slot(s, FIRST_LOSS), lane), steps);
  writeOutputs(outputs, count, at, laneOf(finalLoss, lane), laneOf(slot(s, MIN_LOSS), lane), laneOf(slot(s, PEAK_LOSS), lane), laneOf(tail, lane), score,
    <i32>laneOf(slot(s, STEPS_TO_THRESHOLD), lane), settledFrom <= lastEvaluated ? settledFrom : -1, divergedAt);
}

@inline function laneOf(v: v128, lane: i32): f64 {
  return lane == 0 ? f64x2.extract_lane(v, 0) : f64x2.extract_lane(v, 1);
}

/**
 * Trains cells first … first + 2·PAIRS − 1 (fewer at the end of a block: missing cells repeat the last one, and are
 * not written) in float64, two cells per lane pair, PAIRS pairs interleaved.
 */
@inline function trainGroup(setups: usize, count: i32, first: i32, outputs: usize, steps: i32, thresholdIn: f64, biasHidden: f64, biasOutput: f64, activation: i32, momentum: bool): void {
  const stride = <usize>SETUP_LENGTH << 3;
  const last = min<i32>(first + 2 * PAIRS, count) - 1;
  for (let p = 0; p < PAIRS; p++) {
    const a = min<i32>(first + 2 * p, last), b = min<i32>(first + 2 * p + 1, last);
    initPair(pairState + <usize>p * PAIR_BYTES, setups + <usize>a * stride, setups + <usize>b * stride);
  }
  const threshold = f64x2.splat(thresholdIn), bh = f64x2.splat(biasHidden), bo = f64x2.splat(biasOutput);
  const tailCount = min<i32>(TAIL_LOSSES, steps + 1), tailStart = steps + 1 - tailCount, tailCountV = f64x2.splat(<f64>tailCount);
  const scoreTailStart = steps - min<i32>(TAIL_LOSSES, steps);
  const end = pairState + <usize>PAIRS * PAIR_BYTES;
  for (let k: i32 = 0; ; k++) {
    for (let s = pairState; s < end; s += PAIR_BYTES) hiddenLayer(s, bh, activation);
    let more = false;
    for (let s = pairState; s < end; s += PAIR_BYTES) more = outputLayer(s, k, steps, tailStart, tailCountV, scoreTailStart, threshold, bo, activation) || more;
    if (!more || k == steps) break;
    for (let s = pairState; s < end; s += PAIR_BYTES) update(s, activation, momentum);
  }
  for (let c = first; c <= last; c++) {
    const j = c - first;
    writePairOutputs(pairState + <usize>(j >> 1) * PAIR_BYTES, j & 1, outputs, count, c, steps);
  }
}

// One function per activation and momentum mode, each with its own loop: both are constants inside, so no step
// branches on them, and sweeps without momentum keep the loop without velocities.
function groupSigmoid(setups: usize, count: i32, first: i32, outputs: usize, steps: i32, threshold: f64, bh: f64, bo: f64): void { trainGroup(setups, count, first, outputs, steps, threshold, bh, bo, SIGMOID, false); }
function groupTanh(setups: usize, count: i32, first: i32, outputs: usize, steps: i32, threshold: f64, bh: f64, bo: f64): void { trainGroup(setups, count, first, outputs, steps, threshold, bh, bo, TANH, false); }
function groupRelu(setups: usize, count: i32, first: i32, outputs: usize, steps: i32, threshold: f64, bh: f64, bo: f64): void { trainGroup(setups, count, first, outputs, steps, threshold, bh, bo, RELU, false); }
function groupIdentity(setups: usize, count: i32, first: i32, outputs: usize, steps: i32, threshold: f64, bh: f64, bo: f64): void { trainGroup(setups, count, first, outputs, steps, threshold, bh, bo, IDENTITY, false); }
function groupSigmoidMomentum(setups: usize, count: i32, first: i32, outputs: usize, steps: i32, threshold: f64, bh: f64, bo: f64): void { trainGroup(setups, count, first, outputs, steps, threshold, bh, bo, SIGMOID, true); }
function groupTanhMomentum(setups: usize, count: i32, first: i32, outputs: usize, steps: i32, threshold: f64, bh: f64, bo: f64): void { trainGroup(setups, count, first, outputs, steps, threshold, bh, bo, TANH, true); }
function groupReluMomentum(setups: usize, count: i32, first: i32, outputs: usize, steps: i32, threshold: f64, bh: f64, bo: f64): void { trainGroup(setups, count, first, outputs, steps, threshold, bh, bo, RELU, true); }
function groupIdentityMomentum(setups: usize, count: i32, first: i32, outputs: usize, steps: i32, threshold: f64, bh: f64, bo: f64): void { trainGroup(setups, count, first, outputs, steps, threshold, bh, bo, IDENTITY, true); }

/**
 * Trains `count` cells whose set-ups start at `setups` and writes their outputs at `outputs` (layouts above).
 * float64 runs two cells per SIMD lane pair; float32 runs one cell at a time.
 */
export function train(setups: usize, count: i32, outputs: usize, steps: i32, threshold: f64, biasHidden: f64, biasOutput: f64, activation: i32, float32: i32, momentum: i32): void {
  const stride = <usize>SETUP_LENGTH << 3;
  if (float32) {
    for (let c = 0; c < count; c++) trainOne<f32>(setups + <usize>c * stride, outputs, count, c, steps, threshold, biasHidden, biasOutput, activation, 0, 1);
    return;
  }
  for (let c = 0; c < count; c += 2 * PAIRS) {
    if (momentum) {
      if (activation == SIGMOID) groupSigmoidMomentum(setups, count, c, outputs, steps, threshold, biasHidden, biasOutput);
      else if (activation == TANH) groupTanhMomentum(setups, count, c, outputs, steps, threshold, biasHidden, biasOutput);
      else if (activation == RELU) groupReluMomentum(setups, count, c, outputs, steps, threshold, biasHidden, biasOutput);
      else groupIdentityMomentum(setups, count, c, outputs, steps, threshold, biasHidden, biasOutput);
    } else if (activation == SIGMOID) groupSigmoid(setups, count, c, outputs, steps, threshold, biasHidden, biasOutput);
    else if (activation == TANH) groupTanh(setups, count, c, outputs, steps, threshold, biasHidden, biasOutput);
    else if (activation == RELU) groupRelu(setups, count, c, outputs, steps, threshold, biasHidden, biasOutput);
    else groupIdentity(setups, count, c, outputs, steps, threshold, biasHidden, biasOutput);
  }
}

/**
 * Trains one cell, writing its outputs (count 1) and, every `every` steps, k, loss[k] and the weights to `history`
 * (layout above). Returns the number of history rows.
 */
export function trace(setup: usize, outputs: usize, steps: i32, threshold: f64, biasHidden: f64, biasOutput: f64, activation: i32, float32: i32, history: usize, every: i32): i32 {
  if (float32) return trainOne<f32>(setup, outputs, 1, 0, steps, threshold, biasHidden, biasOutput, activation, history, every);
  return trainOne<f64>(setup, outputs, 1, 0, steps, threshold, biasHidden, biasOutput, activation, history, every);
}

/** For tests: applies exp (op 0), the two-lane exp (op 1, pairs), expm1 (2), tanh (3) or the two-lane tanh (4, pairs) to `count` f64 in place. */
export function mathInPlace(op: i32, values: usize, count: i32): void {
  for (let j = 0; j < count; j++) {
    const p = values + (<usize>j << 3);
    if ((op == 1 || op == 4) && j + 1 < count) { v128.store(p, op == 1 ? expV(v128.load(p)) : tanhV(v128.load(p))); j++; continue; }
    const x = load<f64>(p);
    store<f64>(p, op <= 1 ? exp(x) : op == 2 ? expm1(x) : tanh(x)); // op 4's odd last value: tanh
  }
}
export * from './mlp';
