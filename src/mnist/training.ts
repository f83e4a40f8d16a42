/**
 * Training one copy of the model: initialization, the learning-rate schedule, SGD with momentum, the augmented
 * mini-batches of an epoch and the evaluation on the test set. Pure TypeScript over a Network, so the same loop
 * drives the float64 reference and the float32 CPU engine; every random choice is a function of a seed.
 */
import { uniform01 } from '../core/random';
import type { DigitSet } from './idx';
import { CLASSES, INPUT_SHAPE, type Model } from './model';
import type { Network } from './network';
import type { Tensor } from './conv';

/** What distinguishes one copy of a sweep from another. */
export interface CopySettings {
  /** Peak learning rate (one-cycle) or starting learning rate (step). */
  lr: number;
  /** Seed of the initial weights and of the dropout masks. */
  seed: number;
  /** Probability of dropping an activation in every dropout layer. */
  dropout: number;
  momentum: number;
  /** L2 weight decay added to every gradient (PyTorch's SGD weight_decay). */
  weightDecay: number;
}

/** What every copy of a sweep shares: the data, its order and augmentation, the schedule's shape. */
export interface RunSettings {
  epochs: number;
  batch: number;
  schedule: 'onecycle' | 'step';
  /** step: the learning rate is multiplied by 0.1 after every `stepEvery` epochs. */
  stepEvery: number;
  /** Random rotation of every training image, uniform in ±rotation degrees (0: none). */
  rotation: number;
  /** Seed of the data order and the rotations, shared by all copies so that they see the same mini-batches. */
  dataSeed: number;
  /** Use the first trainLimit training and testLimit test images (0: all). */
  trainLimit: number;
  testLimit: number;
}

export const DEFAULT_RUN: RunSettings = { epochs: 15, batch: 128, schedule: 'onecycle', stepEvery: 6, rotation: 7, dataSeed: 1, trainLimit: 0, testLimit: 0 };
export const DEFAULT_COPY: CopySettings = { lr: 0.05, seed: 1, dropout: 0.05, momentum: 0.9, weightDecay: 0 };

/** Mean and standard deviation of MNIST's training pixels (in [0, 1]); inputs are (pixel / 255 − mean) / std. */
export const PIXEL_MEAN = 0.1307;
export const PIXEL_STD = 0.3081;

/** Fills params (conv and linear: uniform ±1/√fan-in, PyTorch's default; batch norm γ = 1, β = 0) and stats (mean 0, variance 1). */
export function initialize(model: Model, seed: number, params: Tensor, stats: Tensor): void {
  model.layers.forEach((layer, index) => {
    const { spec, input, paramOffset: at, paramCount } = layer;
    if (spec.kind === 'batchnorm') {
      params.fill(1, at, at + input.c);
      params.fill(0, at + input.c, at + 2 * input.c);
      stats.fill(0, layer.statOffset, layer.statOffset + input.c);
      stats.fill(1, layer.statOffset + input.c, layer.statOffset + 2 * input.c);
      return;
    }
    // Inputs per output: a 3×3 window of every channel, one pixel of every channel (1×1), or the whole input (linear).
    const fanIn = spec.kind === 'conv3' ? input.c * 9 : spec.kind === 'conv1' ? input.c : input.c * input.h * input.w;
    const bound = 1 / Math.sqrt(fanIn);
    for (let j = 0; j < paramCount; j++) params[at + j] = (2 * uniform01(seed, index, j) - 1) * bound;
  });
}

/** The learning rate at iteration `t` of `total` (one-cycle: cosine warm-up over the first 25% from lr/25 to lr,
 *  cosine decay to lr/25/10⁴; step: lr · 0.1^⌊epoch / stepEvery⌋). */
export function learningRate(run: RunSettings, lr: number, t: number, total: number, epoch: number): number {
  if (run.schedule === 'step') return lr * 0.1 ** Math.floor(epoch / run.stepEvery);
  const start = lr / 25, end = start / 1e4, warm = Math.max(1, Math.floor(0.25 * total));
  const cosine = (from: number, to: number, f: number) => to + (from - to) * (1 + Math.cos(Math.PI * f)) / 2;
  return t < warm ? cosine(start, lr, t / warm) : cosine(lr, end, (t - warm) / Math.max(1, total - warm));
}

/** The training images' order in epoch `epoch`: a Fisher–Yates shuffle driven by (dataSeed, epoch). */
export function epochOrder(count: number, dataSeed: number, epoch: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(uniform01(dataSeed ^ 0x5bd1e995, epoch, i) * (i + 1));
    const t = order[i]; order[i] = order[j]; order[j] = t;
  }
  return order;
}

/**
 * Writes image `index` of `set`, rotated by `degrees` about its centre (bilinear; background outside), normalized,
 * into `out` at `offset` (28 × 28 numbers).
 */
export function writeImage(set: DigitSet, index: number, degrees: number, out: Tensor, offset: number): void {
  const side = set.side, pixels = set.images, base = index * side * side;
  if (degrees === 0) {
    for (let j = 0; j < side * side; j++) out[offset + j] = (pixels[base + j] / 255 - PIXEL_MEAN) / PIXEL_STD;
    return;
  }
  const angle = (degrees * Math.PI) / 180, cos = Math.cos(angle), sin = Math.sin(angle), centre = (side - 1) / 2;
  for (let r = 0; r < side; r++) {
    const dy = r - centre, sinDy = sin * dy, cosDy = cos * dy;
    for (let c = 0; c < side; c++) {
      // The source of output pixel (r, c): rotate back by the angle.
      const dx = c - centre;
      const sx = cos * dx + sinDy + centre, sy = -sin * dx + cosDy + centre;
      const x0 = Math.floor(sx), y0 = Math.floor(sy), fx = sx - x0, fy = sy - y0;
      const value = (1 - fy) * ((1 - fx) * pixelAt(pixels, base, side, y0, x0) + fx * pixelAt(pixels, base, side, y0, x0 + 1))
        + fy * ((1 - fx) * pixelAt(pixels, base, side, y0 + 1, x0) + fx * pixelAt(pixels, base, side, y0 + 1, x0 + 1));
      out[offset + r * side + c] = (value / 255 - PIXEL_MEAN) / PIXEL_STD;
    }
  }
}

/** Pixel (y, x) of the side × side image at `base`, or 0 (background) outside it. */
function pixelAt(pixels: Uint8Array, base: number, side: number, y: number, x: number): number {
  return y >= 0 && y < side && x >= 0 && x < side ? pixels[base + y * side + x] : 0;
}

/** The rotation of training image `index` in epoch `epoch`, in degrees. */
export function rotationOf(run: RunSettings, epoch: number, index: number): number {
  return run.rotation === 0 ? 0 : (2 * uniform01(run.dataSeed ^ 0x27d4eb2f, epoch, index) - 1) * run.rotation;
}

/** One epoch's numbers for one copy. */
export interface EpochMetrics {
  epoch: number;
  /** Mean training loss over the epoch's mini-batches (augmented, dropout on). */
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** Learning rate of the epoch's last step. */
  lr: number;
  seconds: number;
}

/** A copy under training: its network, optimizer state and step counter. */
export class Trainer {
  readonly velocity: Float64Array;
  step = 0;

  constructor(readonly net: Network, readonly run: RunSettings, readonly copy: CopySettings) {
    this.velocity = new Float64Array(net.model.paramCount);
    initialize(net.model, copy.seed, net.params, net.stats);
  }

  /** Iterations per epoch over `trainCount` images. */
  static iterations(run: RunSettings, trainCount: number): number {
    return Math.ceil(trainCount / run.batch);
  }

  /** One SGD step on the n images already in net.input with `labels`; returns the batch's loss and correct count. */
  trainStep(n: number, labels: ArrayLike<number>, lr: number): { loss: number; correct: number } {
    const { net, copy } = this;
    net.forward(n, { train: true, dropout: copy.dropout, maskSeed: copy.seed, maskStep: this.step });
    const correct = countCorrect(net.logits, n, labels);
    const loss = net.lossAndGradient(n, labels);
    net.backward(n);
    const p = net.params, g = net.grads, v = this.velocity, mu = copy.momentum, wd = copy.weightDecay;
    for (let j = 0; j < p.length; j++) {
      v[j] = mu * v[j] + g[j] + wd * p[j];
      p[j] -= lr * v[j];
    }
    this.step++;
    return { loss, correct };
  }
}

/** How many of the first n rows of logits put their largest score on the label. */
export function countCorrect(logits: Tensor, n: number, labels: ArrayLike<number>): number {
  let correct = 0;
  for (let b = 0; b < n; b++) if (argmax(logits, b * CLASSES) === labels[b]) correct++;
  return correct;
}

/** Index (0–9) of the largest of the ten scores at `offset`. */
export function argmax(scores: ArrayLike<number>, offset: number): number {
  let best = 0;
  for (let k = 1; k < CLASSES; k++) if (scores[offset + k] > scores[offset + best]) best = k;
  return best;
}

/** How many images of `set` a run uses: the first `limit` (0: all). */
export function usedCount(limit: number, set: DigitSet): number {
  return limit > 0 ? Math.min(limit, set.count) : set.count;
}

/** Test-set evaluation: mean loss, accuracy, and each image's predicted digit. */
export function evaluate(net: Network, test: DigitSet, limit: number): { loss: number; accuracy: number; predictions: Uint8Array } {
  const count = usedCount(limit, test);
  const predictions = new Uint8Array(count);
  let loss = 0, correct = 0;
  const pixels = INPUT_SHAPE.h * INPUT_SHAPE.w;
  for (let start = 0; start < count; start += net.batch) {
    const n = Math.min(net.batch, count - start);
    for (let b = 0; b < n; b++) writeImage(test, start + b, 0, net.input, b * pixels);
    const labels = test.labels.subarray(start, start + n);
    net.forward(n, { train: false, dropout: 0, maskSeed: 0, maskStep: 0 });
    for (let b = 0; b < n; b++) predictions[start + b] = argmax(net.logits, b * CLASSES);
    correct += countCorrect(net.logits, n, labels);
    loss += net.lossAndGradient(n, labels) * n;
  }
  return { loss: loss / count, accuracy: correct / count, predictions };
}

/** Fills `input` (batch × 28 × 28) with mini-batch `iteration` of an epoch (augmented); returns its labels. */
export function loadBatch(input: Tensor, run: RunSettings, train: DigitSet, order: Uint32Array, epoch: number, iteration: number): Uint8Array {
  const start = iteration * run.batch, n = Math.min(run.batch, order.length - start);
  const labels = new Uint8Array(n), pixels = INPUT_SHAPE.h * INPUT_SHAPE.w;
  for (let b = 0; b < n; b++) {
    const index = order[start + b];
    writeImage(train, index, rotationOf(run, epoch, index), input, b * pixels);
    labels[b] = train.labels[index];
  }
  return labels;
}

/**
 * Trains one epoch and evaluates the test set; returns the epoch's metrics and each test image's predicted digit.
 * `onBatch` hears after every step (for progress and cancellation: return false to stop, and get null).
 */
export function trainEpoch(trainer: Trainer, train: DigitSet, test: DigitSet, epoch: number, onBatch?: (iteration: number, iterations: number) => boolean): { metrics: EpochMetrics; predictions: Uint8Array } | null {
  const { run, net, copy } = trainer;
  const started = performance.now();
  const trainCount = usedCount(run.trainLimit, train);
  const order = epochOrder(trainCount, run.dataSeed, epoch);
  const iterations = Trainer.iterations(run, trainCount), total = iterations * run.epochs;
  let lossSum = 0, correct = 0, lr = 0;
  for (let it = 0; it < iterations; it++) {
    const labels = loadBatch(net.input, run, train, order, epoch, it);
    lr = learningRate(run, copy.lr, epoch * iterations + it, total, epoch);
    const result = trainer.trainStep(labels.length, labels, lr);
    lossSum += result.loss * labels.length;
    correct += result.correct;
    if (onBatch && !onBatch(it + 1, iterations)) return null;
  }
  const tested = evaluate(net, test, run.testLimit);
  const metrics = {
    epoch: epoch + 1, trainLoss: lossSum / trainCount, trainAccuracy: correct / trainCount,
    testLoss: tested.loss, testAccuracy: tested.accuracy, lr, seconds: (performance.now() - started) / 1000,
  };
  return { metrics, predictions: tested.predictions };
}
