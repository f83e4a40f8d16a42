/**
 * The model's layers other than the 3×3 convolution (conv.ts), forward and backward, over a batch of n images in
 * NCHW layout: x [n][c][plane] where plane = h·w. Small standalone loops, so that the JIT compiles each one for the
 * array type it meets (float64 in the reference, float32 in the CPU engine). "Backward" overwrites dx and adds into
 * parameter gradients.
 */
import { lowbias32 } from '../core/random';
import type { Tensor } from './conv';

/** Batch-norm constants (PyTorch's): ε in the variance, weight of the batch in the running statistics. */
export const BN_EPSILON = 1e-5;
export const BN_MOMENTUM = 0.1;

/** y = W x per pixel (1×1 convolution, no bias): W [co][ci] at w[at…]. */
export function conv1Forward(x: Tensor, w: Tensor, at: number, y: Tensor, n: number, ci: number, co: number, plane: number): void {
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < co; o++) {
      const yo = (b * co + o) * plane;
      y.fill(0, yo, yo + plane);
      for (let c = 0; c < ci; c++) {
        const k = w[at + o * ci + c], xc = (b * ci + c) * plane;
        for (let q = 0; q < plane; q++) y[yo + q] += k * x[xc + q];
      }
    }
  }
}

export function conv1Backward(x: Tensor, w: Tensor, g: Tensor, at: number, dy: Tensor, dx: Tensor | null, n: number, ci: number, co: number, plane: number): void {
  if (dx) dx.fill(0, 0, n * ci * plane);
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < co; o++) {
      const yo = (b * co + o) * plane;
      for (let c = 0; c < ci; c++) {
        const xc = (b * ci + c) * plane, k = w[at + o * ci + c];
        let sum = 0;
        for (let q = 0; q < plane; q++) sum += dy[yo + q] * x[xc + q];
        g[at + o * ci + c] += sum;
        if (dx) for (let q = 0; q < plane; q++) dx[xc + q] += k * dy[yo + q];
      }
    }
  }
}

/**
 * Batch norm of channel c: y = γ·x̂ + β with x̂ = (x − mean)·invStd. Training uses the batch's mean and biased
 * variance and updates the running statistics (mean at stats[sm], unbiased variance at stats[sv]); evaluation uses the
 * running ones. Returns invStd (kept for the backward pass).
 */
export function batchNormForward(x: Tensor, y: Tensor, xhat: Tensor, gamma: number, beta: number, stats: Tensor, sm: number, sv: number, train: boolean, n: number, channels: number, c: number, plane: number): number {
  let mean: number, inv: number;
  if (train) {
    const count = n * plane;
    let sum = 0;
    for (let b = 0; b < n; b++) for (let j = (b * channels + c) * plane, end = j + plane; j < end; j++) sum += x[j];
    mean = sum / count;
    let squares = 0;
    for (let b = 0; b < n; b++) for (let j = (b * channels + c) * plane, end = j + plane; j < end; j++) { const d = x[j] - mean; squares += d * d; }
    inv = 1 / Math.sqrt(squares / count + BN_EPSILON);
    stats[sm] = (1 - BN_MOMENTUM) * stats[sm] + BN_MOMENTUM * mean;
    stats[sv] = (1 - BN_MOMENTUM) * stats[sv] + BN_MOMENTUM * (squares / Math.max(1, count - 1));
  } else {
    mean = stats[sm];
    inv = 1 / Math.sqrt(stats[sv] + BN_EPSILON);
  }
  for (let b = 0; b < n; b++) {
    for (let j = (b * channels + c) * plane, end = j + plane; j < end; j++) {
      const h = (x[j] - mean) * inv;
      xhat[j] = h;
      y[j] = gamma * h + beta;
    }
  }
  return inv;
}

/** Backward of batch norm (training statistics) for channel c; returns [∂L/∂γ, ∂L/∂β]; dx when given. */
export function batchNormBackward(dy: Tensor, xhat: Tensor, dx: Tensor | null, gamma: number, invStd: number, n: number, channels: number, c: number, plane: number): [number, number] {
  let dGamma = 0, dBeta = 0;
  for (let b = 0; b < n; b++) for (let j = (b * channels + c) * plane, end = j + plane; j < end; j++) { dGamma += dy[j] * xhat[j]; dBeta += dy[j]; }
  if (dx) {
    const count = n * plane, scale = gamma * invStd / count;
    for (let b = 0; b < n; b++) for (let j = (b * channels + c) * plane, end = j + plane; j < end; j++) dx[j] = scale * (count * dy[j] - dBeta - xhat[j] * dGamma);
  }
  return [dGamma, dBeta];
}

// The element-wise loops below are branch-free: activation signs and dropout masks are close to random, and a
// mispredicted branch per element made them three times slower (measured in Node 20).

/** y = max(x, 0), as (x + |x|) / 2 (exact). */
export function reluForward(x: Tensor, y: Tensor, count: number): void {
  for (let j = 0; j < count; j++) { const v = x[j]; y[j] = (v + Math.abs(v)) * 0.5; }
}

export function reluBackward(y: Tensor, dy: Tensor, dx: Tensor, count: number): void {
  for (let j = 0; j < count; j++) dx[j] = dy[j] * +(y[j] > 0);
}

/**
 * Dropout: element j is kept when uniform01(seed, step, j) ≥ rate (src/core/random.ts; the same draw on every
 * engine), and kept elements are scaled by 1 / (1 − rate). Writes each element's factor (1 / (1 − rate) kept, 0
 * dropped) into `mask`.
 */
export function dropoutForward(x: Tensor, y: Tensor, mask: Tensor, rate: number, seed: number, step: number, count: number): void {
  const keep = 1 / (1 - rate);
  // uniform01(seed, step, j) = (lowbias32(base ^ j) + 0.5) / 2³², with the first two rounds of the chain hoisted.
  const base = lowbias32(lowbias32(seed >>> 0) ^ (step >>> 0));
  for (let j = 0; j < count; j++) {
    const k = +((lowbias32(base ^ j) + 0.5) / 4294967296 >= rate);
    mask[j] = k * keep;
    y[j] = x[j] * mask[j];
  }
}

export function dropoutBackward(dy: Tensor, dx: Tensor, mask: Tensor, count: number): void {
  for (let j = 0; j < count; j++) dx[j] = dy[j] * mask[j];
}

/** Index in x of the winner of 2×2 window (r, q) of plane p (h × w): the first largest of (0,0), (0,1), (1,0), (1,1). */
function winner(x: Tensor, p: number, r: number, q: number, h: number, w: number): number {
  const base = p * h * w + 2 * r * w + 2 * q;
  let best = base;
  if (x[base + 1] > x[best]) best = base + 1;
  if (x[base + w] > x[best]) best = base + w;
  if (x[base + w + 1] > x[best]) best = base + w + 1;
  return best;
}

/** 2×2 max-pool, stride 2, of planes h × w (even sides use every pixel). */
export function maxPoolForward(x: Tensor, y: Tensor, planes: number, h: number, w: number): void {
  const ho = h >> 1, wo = w >> 1;
  for (let p = 0; p < planes; p++) for (let r = 0; r < ho; r++) for (let q = 0; q < wo; q++) y[(p * ho + r) * wo + q] = x[winner(x, p, r, q, h, w)];
}

/** Each window's winner (found again from the forward input x) gets its dy; every other input 0. */
export function maxPoolBackward(x: Tensor, dy: Tensor, dx: Tensor, planes: number, h: number, w: number): void {
  const ho = h >> 1, wo = w >> 1;
  dx.fill(0, 0, planes * h * w);
  for (let p = 0; p < planes; p++) for (let r = 0; r < ho; r++) for (let q = 0; q < wo; q++) dx[winner(x, p, r, q, h, w)] = dy[(p * ho + r) * wo + q];
}

/** Global average pooling: y[p] = mean of plane p. */
export function gapForward(x: Tensor, y: Tensor, planes: number, plane: number): void {
  for (let p = 0; p < planes; p++) {
    let sum = 0;
    for (let j = p * plane, end = j + plane; j < end; j++) sum += x[j];
    y[p] = sum / plane;
  }
}

export function gapBackward(dy: Tensor, dx: Tensor, planes: number, plane: number): void {
  for (let p = 0; p < planes; p++) dx.fill(dy[p] / plane, p * plane, (p + 1) * plane);
}

/** y = W x + b per image: W [co][ci] at w[at…], b [co] after it. */
export function linearForward(x: Tensor, w: Tensor, at: number, y: Tensor, n: number, ci: number, co: number): void {
  const bias = at + co * ci;
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < co; o++) {
      let sum = w[bias + o];
      for (let c = 0; c < ci; c++) sum += w[at + o * ci + c] * x[b * ci + c];
      y[b * co + o] = sum;
    }
  }
}

export function linearBackward(x: Tensor, w: Tensor, g: Tensor, at: number, dy: Tensor, dx: Tensor | null, n: number, ci: number, co: number): void {
  const bias = at + co * ci;
  if (dx) dx.fill(0, 0, n * ci);
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < co; o++) {
      const d = dy[b * co + o];
      g[bias + o] += d;
      for (let c = 0; c < ci; c++) {
        g[at + o * ci + c] += d * x[b * ci + c];
        if (dx) dx[b * ci + c] += w[at + o * ci + c] * d;
      }
    }
  }
}

/**
 * Mean negative log-likelihood of `labels` under n rows of `classes` logits (log-softmax), and its gradient
 * (softmax − one-hot) / n into dz. Returns the loss.
 */
export function nllLoss(z: Tensor, dz: Tensor, labels: ArrayLike<number>, n: number, classes: number): number {
  let loss = 0;
  for (let b = 0; b < n; b++) {
    const row = b * classes;
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, z[row + k]);
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(z[row + k] - max);
    const logSum = max + Math.log(sum);
    loss -= z[row + labels[b]] - logSum;
    for (let k = 0; k < classes; k++) dz[row + k] = (Math.exp(z[row + k] - logSum) - (k === labels[b] ? 1 : 0)) / n;
  }
  return loss / n;
}
