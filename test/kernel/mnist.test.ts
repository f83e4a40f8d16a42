/**
 * The WGSL MNIST kernels against the float64 reference on real MNIST images: two copies with different seeds,
 * dropout and learning rates trained side by side on one device (SwiftShader in CI: no adapter is a failure).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MnistResults } from '../../src/mnist/sweep';
import { acquireNodeGpu } from '../../src/cli/node-gpu';
import { readMnist, readMnistShaders } from '../../src/cli/mnist-data';
import { referenceConv } from '../../src/mnist/conv';
import { DEFAULT_MODEL, placeModel } from '../../src/mnist/model';
import { FLOAT64_ARENA, Network } from '../../src/mnist/network';
import { DEFAULT_COPY, DEFAULT_RUN, epochOrder, evaluate, loadBatch, Trainer, writeImage } from '../../src/mnist/training';
import { MnistGpuTrainer } from '../../src/gpu/mnist/trainer';

const { train, test } = readMnist();
const model = placeModel(DEFAULT_MODEL);
const B = 6, TEST = 10;
const run = { ...DEFAULT_RUN, batch: B, testLimit: TEST };
const copies = [{ ...DEFAULT_COPY, seed: 3, dropout: 0.1, lr: 0.05 }, { ...DEFAULT_COPY, seed: 4, dropout: 0, lr: 0.2, weightDecay: 1e-3 }];
const gpu = await acquireNodeGpu();
afterAll(() => gpu.device.destroy());

function maxDiff(gpuValues: Float32Array, offset: number, reference: ArrayLike<number>): { diff: number; scale: number } {
  let diff = 0, scale = 0;
  for (let j = 0; j < reference.length; j++) {
    diff = Math.max(diff, Math.abs(gpuValues[offset + j] - reference[j]));
    scale = Math.max(scale, Math.abs(reference[j]));
  }
  return { diff, scale };
}

const trainer = await MnistGpuTrainer.create(gpu, readMnistShaders(), model, copies, B, TEST);

describe('WGSL MNIST kernels against the float64 reference', () => {
  const references = copies.map((c) => new Trainer(new Network(model, B, FLOAT64_ARENA, referenceConv), run, c));
  references.forEach((r, k) => trainer.setWeights(k, r.net.params, r.net.stats));
  const order = epochOrder(train.count, 1, 0);

  it('one batch forward and backward: logits and every gradient of both copies', async () => {
    const labels = loadBatch(references[0].net.input, run, train, order, 0, 0);
    trainer.forwardBackward(Float32Array.from(references[0].net.input), labels, B, 0);
    const [logits, grads] = [await trainer.readLogits(), await trainer.readGrads()];
    references.forEach((r, k) => {
      r.net.input.set(references[0].net.input);
      r.net.forward(B, { train: true, dropout: r.copy.dropout, maskSeed: r.copy.seed, maskStep: 0 });
      r.net.lossAndGradient(B, labels);
      r.net.backward(B);
      // float32 through 24 layers: logits observed within 2e-7 and gradients within 5e-7 of values up to 1. A wrong
      // index, mask or reduction moves them by 1e-2 or more; 1e-5 of the largest value sits between the two.
      const l = maxDiff(logits, k * B * 10, r.net.logits.subarray(0, B * 10));
      expect(l.diff).toBeLessThan(1e-5 * Math.max(1, l.scale));
      const g = maxDiff(grads, k * model.paramCount, r.net.grads);
      expect(g.diff).toBeLessThan(1e-5 * Math.max(1, g.scale));
    });
    expect(gpu.uncapturedError()).toBeUndefined();
  });

  it('three SGD steps with momentum and weight decay, then the test evaluation in running-statistics mode', async () => {
    references.forEach((r, k) => trainer.setWeights(k, r.net.params, r.net.stats)); // undo the previous test's statistics
    for (let s = 0; s < 3; s++) {
      const labels = loadBatch(references[0].net.input, run, train, order, 0, s);
      trainer.step(Float32Array.from(references[0].net.input), labels, B, copies.map((c) => c.lr), s);
      references.forEach((r) => { r.net.input.set(references[0].net.input); r.step = s; r.trainStep(B, labels, r.copy.lr); });
    }
    const [params, stats] = [await trainer.readParams(), await trainer.readStats()];
    references.forEach((r, k) => {
      const p = maxDiff(params, k * model.paramCount, r.net.params);
      expect(p.diff).toBeLessThan(1e-5 * Math.max(1, p.scale));
      const st = maxDiff(stats, k * model.statCount, r.net.stats);
      expect(st.diff).toBeLessThan(1e-5 * Math.max(1, st.scale));
    });
    trainer.resetTally();
    const images = new Float32Array(B * 784);
    for (let first = 0; first < TEST; first += B) {
      const n = Math.min(B, TEST - first);
      for (let b = 0; b < n; b++) writeImage(test, first + b, 0, images, b * 784);
      trainer.evaluate(images, test.labels.subarray(first, first + n), n, first);
    }
    const [tally, predictions] = [await trainer.readTally(), await trainer.readPredictions()];
    references.forEach((r, k) => {
      const expected = evaluate(r.net, test, TEST);
      expect(Array.from(predictions.subarray(k * TEST, (k + 1) * TEST))).toEqual(Array.from(expected.predictions));
      expect(tally[4 * k + 3]).toBe(Math.round(expected.accuracy * TEST));
      expect(tally[4 * k + 2] / TEST).toBeCloseTo(expected.loss, 4);
    });
  });
});

describe('MNIST shader errors', () => {
  it('name the file and line of the kernel (or of common.wgsl) where the error is', async () => {
    // A broken function appended to a file: its line is the file's line count + 1.
    const shaders = readMnistShaders(), broken = (text: string) => `${text}\nfn oops() { let x: f32 = ; }`, last = (text: string) => text.split('\n').length + 1;
    await expect(MnistGpuTrainer.create(gpu, { ...shaders, pool: broken(shaders.pool) }, model, copies, B, TEST)).rejects.toThrow(new RegExp(`shaders/mnist/pool\\.wgsl:${last(shaders.pool)}:\\d+: `));
    await expect(MnistGpuTrainer.create(gpu, { ...shaders, common: broken(shaders.common) }, model, copies, B, TEST)).rejects.toThrow(new RegExp(`shaders/mnist/common\\.wgsl:${last(shaders.common)}:\\d+: `));
  });
});

describe('npm run mnist -- --backend webgpu', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-gpu-'));
  const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/mnist.ts', ...args], { encoding: 'utf8' });
  it('trains the same copies on WebGPU (the WGSL kernels) to the same numbers within float32 rounding', () => {
    // 100 training and 70 test images in batches of 32: the last batch of each is partial (4 and 6 images).
    const tiny = ['--train-limit', '100', '--test-limit', '70', '--epochs', '1', '--batch', '32', '--lr', '0.05,0.2'];
    const gpu = cli([...tiny, '--backend', 'webgpu', '--out', join(dir, 'gpu')]);
    expect(gpu.stderr).toBe('');
    expect(gpu.stdout).toMatch(/engine: webgpu \(/);
    expect(cli([...tiny, '--backend', 'cpu', '--out', join(dir, 'cpu-tiny')]).status).toBe(0);
    const read = (d: string) => JSON.parse(readFileSync(join(dir, d, 'mnist.json'), 'utf8')) as MnistResults;
    const [g, c] = [read('gpu'), read('cpu-tiny')];
    g.copies.forEach((copy, k) => {
      const [a, b] = [copy.epochs[0], c.copies[k].epochs[0]];
      // Four steps of float32 on both sides, summed in different orders: losses agree to ~1e-6.
      expect(Math.abs(a.trainLoss - b.trainLoss)).toBeLessThan(1e-4);
      expect(Math.abs(a.testLoss - b.testLoss)).toBeLessThan(1e-4);
      expect(a.testAccuracy).toBe(b.testAccuracy);
    });
  });

});
