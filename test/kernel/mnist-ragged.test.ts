/**
 * The WGSL MNIST kernels on a model of ragged shapes against the float64 reference: odd channel counts and odd planes
 * (13 × 13 after the pool, 11 × 11 after the last convolution), so that the convolutions' tiles of 4 pixels × 4
 * channels hang over their rows and channel groups, and only 3 of the batch's 5 images are in use; the element-wise
 * layers both fused and alone (src/gpu/mnist/fusion.ts). SwiftShader in CI: no adapter is a failure.
 */
import { afterAll, expect, it } from 'vitest';
import { acquireNodeGpu } from '../../src/cli/node-gpu';
import { readMnistShaders } from '../../src/cli/mnist-data';
import { uniform01 } from '../../src/core/random';
import { referenceConv } from '../../src/mnist/conv';
import { CLASSES, placeModel, type LayerSpec } from '../../src/mnist/model';
import { FLOAT64_ARENA, Network } from '../../src/mnist/network';
import { DEFAULT_COPY, DEFAULT_RUN, Trainer } from '../../src/mnist/training';
import { MnistGpuTrainer } from '../../src/gpu/mnist/trainer';

// A fused block (batch norm, ReLU, dropout: block.wgsl), a dropout alone, and a batch norm and a ReLU alone.
const ragged: LayerSpec[] = [
  { kind: 'conv3', out: 3 }, { kind: 'batchnorm' }, { kind: 'relu' }, { kind: 'dropout' }, { kind: 'maxpool' },
  { kind: 'conv1', out: 5 }, { kind: 'dropout' }, { kind: 'conv3', out: 7 }, { kind: 'batchnorm' }, { kind: 'relu' },
  { kind: 'gap' }, { kind: 'linear', out: CLASSES },
];
const B = 5, n = 3;
const copies = [{ ...DEFAULT_COPY, seed: 3, dropout: 0.25 }, { ...DEFAULT_COPY, seed: 4, dropout: 0.1 }];
const gpu = await acquireNodeGpu();
afterAll(() => gpu.device.destroy());

/** One forward and backward pass of two copies of `layers` on the GPU and in float64: logits and every gradient. */
async function compare(layers: LayerSpec[]): Promise<void> {
  const model = placeModel(layers);
  const trainer = await MnistGpuTrainer.create(gpu, readMnistShaders(), model, copies, B, 4);
  const references = copies.map((c) => new Trainer(new Network(model, B, FLOAT64_ARENA, referenceConv), DEFAULT_RUN, c));
  references.forEach((r, k) => trainer.setWeights(k, r.net.params, r.net.stats));
  const images = Float32Array.from({ length: B * 784 }, (_, j) => 2 * uniform01(11, 0, j) - 0.4);
  const labels = Array.from({ length: n }, (_, b) => (3 * b + 1) % CLASSES);
  trainer.forwardBackward(images, labels, n, 5);
  const [logits, grads] = [await trainer.readLogits(), await trainer.readGrads()];
  references.forEach((r, k) => {
    r.net.input.set(images);
    r.net.forward(n, { train: true, dropout: r.copy.dropout, maskSeed: r.copy.seed, maskStep: 5 });
    r.net.lossAndGradient(n, labels);
    r.net.backward(n);
    // As test/kernel/mnist.test.ts: float32 rounding stays near 1e-7 of the largest value; a wrong index, mask or
    // reduction moves values by 1e-2 or more.
    let diff = 0, scale = 0;
    for (let j = 0; j < n * CLASSES; j++) { diff = Math.max(diff, Math.abs(logits[k * B * CLASSES + j] - r.net.logits[j])); scale = Math.max(scale, Math.abs(r.net.logits[j])); }
    expect(diff, `copy ${k} logits`).toBeLessThan(1e-5 * Math.max(1, scale));
    for (const l of model.layers) {
      if (l.paramCount === 0) continue;
      let d = 0, s = 0;
      for (let j = l.paramOffset; j < l.paramOffset + l.paramCount; j++) { d = Math.max(d, Math.abs(grads[k * model.paramCount + j] - r.net.grads[j])); s = Math.max(s, Math.abs(r.net.grads[j])); }
      expect(d, `copy ${k} ${l.spec.kind} gradients (largest ${s})`).toBeLessThan(1e-5 * Math.max(1e-3, s));
    }
  });
  expect(gpu.uncapturedError()).toBeUndefined();
  trainer.destroy();
}

it('one forward and backward pass of two copies: logits and every gradient', () => compare(ragged));
// A batch norm (fused with its ReLU and dropout) as the first layer: no input gradient to compute.
it('the same with batch norm as the first layer', () => compare([{ kind: 'batchnorm' }, { kind: 'relu' }, { kind: 'dropout' }, { kind: 'gap' }, { kind: 'linear', out: CLASSES }]));
