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
import type { CopyEvent } from '../../mnist/sweep';

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

/** What a whole GPU sweep tells its caller (the command line, the page's MNIST worker). */
export interface SweepHooks {
  /**
   * Every copy's events (src/mnist/sweep.ts CopyEvent, the CPU pool's vocabulary): progress within an epoch for every
   * copy at the one progress cadence, each copy's finished epoch (copies in order, after every epoch) and, at the end,
   * each copy's 'copy-done'. A failure of the GPU is thrown, for every copy at once.
   */
  onEvent(event: CopyEvent): void;
  /** After every copy's epoch was heard (the command line writes its files then). */
  afterEpoch?(): void;
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
  const copies = trainer.copies.map((_, copy) => copy);
  for (let epoch = 0; epoch < run.epochs; epoch++) {
    const done = await gpuEpoch(trainer, run, train, test, epoch, {
      onProgress: (iteration, iterations) => {
        if (due()) for (const copy of copies) hooks.onEvent({ type: 'progress', copy, epoch, iteration, iterations });
        return hooks.keepGoing();
      },
    });
    if (!done || !hooks.keepGoing()) return 'stopped';
    const params = await trainer.readParams(), stats = await trainer.readStats();
    done.metrics.forEach((metrics, copy) => hooks.onEvent({
      type: 'epoch', copy, metrics, params: params.slice(copy * P, (copy + 1) * P), stats: stats.slice(copy * S, (copy + 1) * S),
      predictions: Uint8Array.from(done.predictions.subarray(copy * T, (copy + 1) * T)),
    }));
    hooks.afterEpoch?.();
  }
  for (const copy of copies) hooks.onEvent({ type: 'copy-done', copy });
  return 'finished';
}
