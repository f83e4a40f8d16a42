/**
 * The epochs of a GPU sweep: the host side of MnistGpuTrainer's training loop. Builds each mini-batch once (order,
 * rotation, normalization: src/mnist/training.ts, the same as the CPU engine's), hands every copy its learning rate,
 * evaluates the test set, and turns the GPU's running sums into each copy's EpochMetrics.
 */
import type { DigitSet } from '../../mnist/idx';
import { INPUT_SHAPE } from '../../mnist/model';
import { epochOrder, initialize, learningRate, loadBatch, Trainer, usedCount, writeImage, type EpochMetrics, type RunSettings } from '../../mnist/training';
import type { MnistGpuTrainer } from './trainer';
import { progressGate } from '../../core/progress';

/** Gives every copy of `trainer` its initial weights (src/mnist/training.ts initialize, from the copy's seed). */
export function initializeCopies(trainer: MnistGpuTrainer): void {
  const { model } = trainer;
  trainer.copies.forEach((c, k) => {
    const params = new Float64Array(model.paramCount), stats = new Float64Array(model.statCount);
    initialize(model, c.seed, params, stats);
    trainer.setWeights(k, params, stats);
  });
}

/** Steps submitted before the host waits for the GPU: keeps the queue short so that a stop is quick. */
const STEPS_IN_FLIGHT = 4;

export interface EpochHooks {
  /** Called every few steps; return false to stop (the epoch then returns null). */
  onProgress?(iteration: number, iterations: number): boolean;
}

/** Trains every copy for epoch `epoch` (0-based) and evaluates it; null when stopped. */
export async function gpuEpoch(trainer: MnistGpuTrainer, run: RunSettings, train: DigitSet, test: DigitSet, epoch: number, hooks: EpochHooks = {}): Promise<{ metrics: EpochMetrics[]; predictions: Uint32Array } | null> {
  const started = performance.now();
  const trainCount = usedCount(run.trainLimit, train), testCount = usedCount(run.testLimit, test);
  const order = epochOrder(trainCount, run.dataSeed, epoch);
  const iterations = Trainer.iterations(run, trainCount), total = iterations * run.epochs;
  const images = new Float32Array(run.batch * INPUT_SHAPE.h * INPUT_SHAPE.w);
  const queue = trainer.gpu.device.queue;
  trainer.resetTally();
  let lrs: number[] = [];
  for (let it = 0; it < iterations; it++) {
    const labels = loadBatch(images, run, train, order, epoch, it);
    lrs = trainer.copies.map((c) => learningRate(run, c.lr, epoch * iterations + it, total, epoch));
    trainer.step(images, labels, labels.length, lrs, epoch * iterations + it);
    if ((it + 1) % STEPS_IN_FLIGHT === 0 || it === iterations - 1) {
      await queue.onSubmittedWorkDone();
      if (hooks.onProgress && !hooks.onProgress(it + 1, iterations)) return null;
    }
  }
  const pixels = INPUT_SHAPE.h * INPUT_SHAPE.w;
  for (let first = 0; first < testCount; first += run.batch) {
    const n = Math.min(run.batch, testCount - first);
    for (let b = 0; b < n; b++) writeImage(test, first + b, 0, images, b * pixels);
    trainer.evaluate(images, test.labels.subarray(first, first + n), n, first);
    if ((first / run.batch + 1) % STEPS_IN_FLIGHT === 0) await queue.onSubmittedWorkDone();
  }
  trainer.checkHealth();
  const tally = await trainer.readTally();
  const predictions = await trainer.readPredictions();
  const seconds = (performance.now() - started) / 1000;
  const metrics = trainer.copies.map((_, k) => ({
    epoch: epoch + 1,
    trainLoss: tally[4 * k] / trainCount, trainAccuracy: tally[4 * k + 1] / trainCount,
    testLoss: tally[4 * k + 2] / testCount, testAccuracy: tally[4 * k + 3] / testCount,
    lr: lrs[k], seconds,
  }));
  return { metrics, predictions };
}

/** One copy's finished epoch: its metrics, and its weights and test predictions after it. */
export interface CopyEpoch { metrics: EpochMetrics; params: Float32Array; stats: Float32Array; predictions: Uint8Array }

/** What a whole GPU sweep tells its caller (the command line, the page's MNIST worker). */
export interface SweepHooks {
  /** Each copy's finished epoch, copies in order, after every epoch. */
  onEpoch(copy: number, epoch: CopyEpoch): void;
  /** After every copy's epoch was heard (the command line writes its files then). */
  afterEpoch?(): void;
  /** Progress within an epoch (1-based epoch count done so far: `epoch` is 0-based), at the one progress cadence. */
  onProgress?(epoch: number, iteration: number, iterations: number): void;
  /** Checked every few steps and after each epoch: false stops the sweep. */
  keepGoing(): boolean;
}

/**
 * Every epoch of every copy of `trainer` on the GPU, from each copy's initial weights: the one loop of a GPU sweep.
 * Resolves 'stopped' when `hooks.keepGoing()` turns false (the epochs heard so far are complete), 'finished' after
 * run.epochs epochs.
 */
export async function gpuSweep(trainer: MnistGpuTrainer, run: RunSettings, train: DigitSet, test: DigitSet, hooks: SweepHooks): Promise<'finished' | 'stopped'> {
  initializeCopies(trainer);
  const { paramCount: P, statCount: S } = trainer.model, T = usedCount(run.testLimit, test), due = progressGate();
  for (let epoch = 0; epoch < run.epochs; epoch++) {
    const done = await gpuEpoch(trainer, run, train, test, epoch, {
      onProgress: (iteration, iterations) => {
        if (hooks.onProgress && due()) hooks.onProgress(epoch, iteration, iterations);
        return hooks.keepGoing();
      },
    });
    if (!done || !hooks.keepGoing()) return 'stopped';
    const params = await trainer.readParams(), stats = await trainer.readStats();
    done.metrics.forEach((metrics, k) => hooks.onEpoch(k, {
      metrics, params: params.slice(k * P, (k + 1) * P), stats: stats.slice(k * S, (k + 1) * S),
      predictions: Uint8Array.from(done.predictions.subarray(k * T, (k + 1) * T)),
    }));
    hooks.afterEpoch?.();
  }
  return 'finished';
}
