/**
 * Every layer's backward pass against finite differences of the float64 reference, and the float32 WebAssembly
 * convolutions and network against the reference.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { uniform01 } from '../../src/core/random';
import { referenceConv } from '../../src/mnist/conv';
import { DEFAULT_MODEL, placeModel, type LayerSpec } from '../../src/mnist/model';
import { FLOAT64_ARENA, Network, type PassMode } from '../../src/mnist/network';
import { initialize } from '../../src/mnist/training';
import { wasmNetwork } from '../../src/mnist/wasm-conv';

const kernelModule = new WebAssembly.Module(readFileSync(new URL('../../wasm/build/mnist.wasm', import.meta.url)));

/** A reference network with random weights, non-trivial BN parameters and a random batch. */
function randomNetwork(layers: readonly LayerSpec[], batch: number, seed: number): { net: Network; labels: number[] } {
  const model = placeModel(layers);
  const net = new Network(model, batch, FLOAT64_ARENA, referenceConv);
  initialize(model, seed, net.params, net.stats);
  // γ and β away from 1 and 0, so their gradients and their use in dx are tested too.
  for (const l of model.layers) if (l.spec.kind === 'batchnorm') for (let j = 0; j < l.paramCount; j++) net.params[l.paramOffset + j] = 0.5 + uniform01(seed, 99, l.paramOffset + j);
  for (let j = 0; j < net.input.length; j++) net.input[j] = 2 * uniform01(seed, 7, j) - 0.5;
  return { net, labels: Array.from({ length: batch }, (_, b) => Math.floor(uniform01(seed, 8, b) * 10)) };
}

function checkAgainstFiniteDifferences(net: Network, labels: number[], mode: PassMode, indices: number[]): number {
  const n = labels.length;
  const loss = () => { net.forward(n, mode); return net.lossAndGradient(n, labels); };
  loss();
  net.backward(n);
  const analytic = Float64Array.from(net.grads);
  let worst = 0;
  for (const j of indices) {
    const p = net.params[j], h = 1e-6 * Math.max(1, Math.abs(p));
    net.params[j] = p + h; const up = loss();
    net.params[j] = p - h; const down = loss();
    net.params[j] = p;
    const numeric = (up - down) / (2 * h);
    // The loss (≈ 2.3) is known to ≈ 5e-16, so a central difference with h = 1e-6 carries ≈ 5e-10 of rounding:
    // the 1e-6 in the denominator keeps that noise on tiny gradients below 1e-3, and a wrong gradient scores ≈ 1.
    worst = Math.max(worst, Math.abs(numeric - analytic[j]) / (1e-6 + Math.abs(numeric) + Math.abs(analytic[j])));
  }
  return worst;
}

// Every layer kind, small enough to check every parameter: conv3, batch norm, ReLU, dropout, max-pool, conv1,
// global average pooling, linear, and the loss. The first conv's gradient runs through every later layer's dx. Odd
// channel counts and 13 × 13 planes after the pool also send the float32 kernels through their ragged-end loops.
const small: LayerSpec[] = [
  { kind: 'conv3', out: 3 }, { kind: 'batchnorm' }, { kind: 'relu' }, { kind: 'dropout' }, { kind: 'maxpool' },
  { kind: 'conv1', out: 4 }, { kind: 'conv3', out: 5 }, { kind: 'batchnorm' }, { kind: 'relu' }, { kind: 'gap' }, { kind: 'linear', out: 10 },
];

describe('backward passes against finite differences (float64 reference)', () => {
  it('every parameter of a model with every layer kind, training mode with dropout', () => {
    const { net, labels } = randomNetwork(small, 3, 5);
    const all = Array.from({ length: net.model.paramCount }, (_, j) => j);
    const worst = checkAgainstFiniteDifferences(net, labels, { train: true, dropout: 0.25, maskSeed: 3, maskStep: 1 }, all);
    expect(worst).toBeLessThan(1e-4);
  });
  it('parameters of every layer of the default model', () => {
    const { net, labels } = randomNetwork(DEFAULT_MODEL, 2, 9);
    const sample = net.model.layers.flatMap((l) => (l.paramCount ? [l.paramOffset, l.paramOffset + Math.floor(l.paramCount / 2), l.paramOffset + l.paramCount - 1] : []));
    expect(checkAgainstFiniteDifferences(net, labels, { train: true, dropout: 0.1, maskSeed: 1, maskStep: 4 }, sample)).toBeLessThan(1e-4);
  });
});

describe('float32 WebAssembly engine against the float64 reference', () => {
  it('convolution passes for odd shapes (register tiles) and even ones (Winograd: one channel; 16 → 32; 21 images in chunks with a ragged last one; planes of one tile, and not square)', async () => {
    for (const [n, ci, co, h, w] of [[2, 1, 3, 28, 28], [3, 5, 7, 9, 13], [1, 16, 32, 8, 8], [2, 3, 2, 5, 6], [21, 3, 6, 12, 14], [3, 2, 5, 4, 4], [2, 3, 1, 6, 6], [2, 2, 3, 4, 10]]) {
      const x = Float64Array.from({ length: n * ci * h * w }, (_, j) => uniform01(1, n, j) - 0.5);
      const k = Float64Array.from({ length: co * ci * 9 }, (_, j) => uniform01(2, ci, j) - 0.5);
      const dy = Float64Array.from({ length: n * co * (h - 2) * (w - 2) }, (_, j) => uniform01(3, co, j) - 0.5);
      const y = new Float64Array(dy.length), dx = new Float64Array(x.length), dk = new Float64Array(k.length);
      referenceConv.forward(x, k, y, n, ci, co, h, w);
      referenceConv.backward(x, k, dy, dx, dk, n, ci, co, h, w);
      const got = await wasmConvPasses(x, k, dy, n, ci, co, h, w);
      // float32 sums of at most 9·ci (forward), 9·co (dx) and n·(h−2)·(w−2) (dk) products of values below 1/2.
      const close = (a: ArrayLike<number>, b: Float64Array, terms: number) => {
        for (let j = 0; j < b.length; j++) expect(Math.abs(a[j] - b[j])).toBeLessThan(terms * 2 ** -24);
      };
      close(got.y, y, 9 * ci);
      close(got.dx, dx, 9 * co);
      close(got.dk, dk, n * (h - 2) * (w - 2));
    }
  });
  /** The reference and the float32 engine from the same random weights and images, after one training step each. */
  async function bothAfterStep(model: readonly LayerSpec[], batch: number, seed: number, mode: PassMode) {
    const { net, labels } = randomNetwork(model, batch, seed);
    const fast = await wasmNetwork(kernelModule, net.model, batch);
    fast.params.set(net.params); fast.stats.set(net.stats); fast.input.set(net.input);
    net.forward(batch, mode); const loss = net.lossAndGradient(batch, labels); net.backward(batch);
    fast.forward(batch, mode); const fastLoss = fast.lossAndGradient(batch, labels); fast.backward(batch);
    return { net, fast, lossError: Math.abs(fastLoss - loss) };
  }
  /** The largest difference of `a` from `b` over the largest |b|. */
  const worst = (a: ArrayLike<number>, b: ArrayLike<number>) => { let m = 0, s = 0; for (let j = 0; j < b.length; j++) { s = Math.max(s, Math.abs(b[j])); m = Math.max(m, Math.abs(a[j] - b[j])); } return m / s; };
  /**
   * Each layer's gradients against that layer's largest, so that a wrong kernel in a layer of small gradients cannot
   * hide under the model's largest. A wrong kernel gives ≈ 1.
   */
  const layerErrors = (net: Network, fast: Network) => net.model.layers.flatMap((l, i) => (l.paramCount > 0 ? [l] : []).map(() => {
    const range = [l.paramOffset, l.paramOffset + l.paramCount] as const;
    return [`${l.spec.kind} (layer ${i})`, worst(fast.grads.subarray(...range), net.grads.subarray(...range))] as const;
  }));

  it('every layer kind with ragged shapes: training loss, gradients and running statistics, then evaluation', async () => {
    const { net, fast, lossError } = await bothAfterStep(small, 3, 6, { train: true, dropout: 0.25, maskSeed: 4, maskStep: 2 });
    expect(lossError).toBeLessThan(1e-5);
    // Observed 1e-7 … 5.8e-6 per layer (the 1×1 convolution's, whose sums cancel most); statistics 2.7e-8 and
    // evaluation logits 7e-8 of the largest.
    const errors = layerErrors(net, fast);
    expect(errors.length).toBeGreaterThan(5);
    for (const [layer, error] of errors) expect(error, layer).toBeLessThan(5e-5);
    expect(worst(fast.stats, net.stats)).toBeLessThan(1e-6);
    const evaluation = { train: false, dropout: 0, maskSeed: 0, maskStep: 0 };
    expect(worst(fast.forward(3, evaluation), net.forward(3, evaluation))).toBeLessThan(1e-5);
  });
  it('a training step of the default model: loss and every layer\'s gradients', async () => {
    const { net, fast, lossError } = await bothAfterStep(DEFAULT_MODEL, 4, 3, { train: true, dropout: 0.1, maskSeed: 2, maskStep: 7 });
    expect(lossError).toBeLessThan(1e-5);
    // float32 rounding through 24 layers: observed 1.4e-7 … 2.1e-6 per layer (12 layers with parameters).
    const errors = layerErrors(net, fast);
    expect(errors.length).toBe(12);
    for (const [layer, error] of errors) expect(error, layer).toBeLessThan(1e-5);
  });
});

/** Runs the three passes of wasm/mnist.ts on copies of the arrays in a fresh instance's memory. */
async function wasmConvPasses(x: Float64Array, k: Float64Array, dy: Float64Array, n: number, ci: number, co: number, h: number, w: number) {
  const instance = await WebAssembly.instantiate(kernelModule, { env: { abort: () => { throw new Error('abort'); } } });
  const e = instance.exports as unknown as { memory: WebAssembly.Memory; heapBase(): number; scratchBytes(ci: number, co: number, h: number, w: number): number; conv3Forward(...a: number[]): void; conv3Backward(...a: number[]): void };
  const floats = [x.length, k.length, dy.length, dy.length, x.length, k.length];
  const pad = e.scratchBytes(ci, co, h, w);
  const base = (e.heapBase() + 63) & ~63;
  const total = base + pad + floats.reduce((a, b) => a + b + 16, 0) * 4;
  e.memory.grow(Math.ceil(Math.max(0, total - e.memory.buffer.byteLength) / 65536));
  const heap = new Float32Array(e.memory.buffer);
  let at = (base + pad) / 4;
  const views = floats.map((f) => { const v = heap.subarray(at, at + f); at += f + 16; return v; });
  const [vx, vk, vdy, vy, vdx, vdk] = views;
  vx.set(x); vk.set(k); vdy.set(dy);
  e.conv3Forward(vx.byteOffset, vk.byteOffset, vy.byteOffset, base, n, ci, co, h, w);
  e.conv3Backward(vx.byteOffset, vk.byteOffset, vdy.byteOffset, vdx.byteOffset, vdk.byteOffset, base, n, ci, co, h, w);
  return { y: vy, dx: vdx, dk: vdk };
}
