/**
 * The float32 CPU engine: every array of a Network lives in the memory of one instance of wasm/build/mnist.wasm, and
 * every layer's arithmetic runs there (f32x4 kernels: the 3×3 convolutions in wasm/mnist.ts, the other layers in
 * wasm/layers.ts and wasm/head.ts); TypeScript only walks the layer table and passes byte offsets. One instance per
 * network per thread.
 */
import type { ConvKernels, Tensor } from './conv';
import { lowbias32 } from '../core/random';
import type { LayerKernels } from './layer-kernels';
import { BN_EPSILON, BN_MOMENTUM } from './layers';
import type { Model } from './model';
import { Network, type Arena } from './network';

type Fn = (...args: number[]) => number;
interface MnistKernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  scratchBytes(ci: number, co: number, h: number, w: number): number;
  conv3Forward: Fn; conv3Backward: Fn; conv1Forward: Fn; conv1Backward: Fn; batchNormForward: Fn; batchNormBackward: Fn;
  reluForward: Fn; reluBackward: Fn; dropoutForward: Fn; scaleBy: Fn; maxPoolForward: Fn; maxPoolBackward: Fn;
  gapForward: Fn; gapBackward: Fn; linearForward: Fn; linearBackward: Fn; nllLoss: Fn;
}

/** Zeroed floats after every array: the convolutions read up to 8 floats past a batch (into products with zero or
 *  discarded tiles: mnist.ts, winograd.ts) and the element-wise kernels run in whole vectors of 4 (they keep it zero). */
const SLACK = 16;

/** Every kernel the engine's Network calls. */
export type EngineKernels = ConvKernels & LayerKernels;

/**
 * Builds a float32 Network whose arrays and kernels live in a fresh instance of the compiled mnist.wasm. `instrument`
 * may wrap the kernels (the benchmark times them: bench/mnist-bench.ts profileMnistCpu).
 */
export async function wasmNetwork(module: WebAssembly.Module, model: Model, batch: number, instrument = (k: EngineKernels): EngineKernels => k): Promise<Network> {
  const instance = await WebAssembly.instantiate(module, { env: { abort: () => { throw new Error('the MNIST WebAssembly kernel aborted'); } } });
  const kernel = instance.exports as unknown as MnistKernelExports;
  const scratchBytes = Math.max(0, ...model.layers.filter((l) => l.spec.kind === 'conv3').map((l) => kernel.scratchBytes(l.input.c, l.output.c, l.input.h, l.input.w)));
  // First count what the network allocates, then grow the memory once: growing detaches every view made before.
  let floats = batch + SLACK; // the labels
  const counter: Arena = { alloc: (length) => { floats += length + SLACK; return new Float32Array(0); } };
  const wasm = new WasmKernels(kernel);
  void new Network(model, batch, counter, wasm, wasm);
  const base = (kernel.heapBase() + 63) & ~63;
  const bytes = base + scratchBytes + floats * 4 + 64;
  if (bytes > kernel.memory.buffer.byteLength) kernel.memory.grow(Math.ceil((bytes - kernel.memory.buffer.byteLength) / 65536));
  const heap = new Float32Array(kernel.memory.buffer);
  wasm.scratch = base;
  let next = (base + scratchBytes + 63) >> 2;
  const arena: Arena = { alloc: (length) => { const view = heap.subarray(next, next + length); next += length + SLACK; return view; } };
  wasm.labels = arena.alloc(batch);
  const kernels = instrument(wasm);
  return new Network(model, batch, arena, kernels, kernels);
}

/** Every kernel of the engine on views of one instance's memory: each call passes the views' byte offsets. */
class WasmKernels implements ConvKernels, LayerKernels {
  /** Byte address of the convolutions' scratch (the largest scratchBytes of the model's 3×3 layers). */
  scratch = 0;
  labels: Tensor = new Float32Array(0);
  constructor(private readonly k: MnistKernelExports) {}
  forward(x: Tensor, k: Tensor, y: Tensor, n: number, ci: number, co: number, h: number, w: number): void {
    this.k.conv3Forward(x.byteOffset, k.byteOffset, y.byteOffset, this.scratch, n, ci, co, h, w);
  }
  backward(x: Tensor, k: Tensor, dy: Tensor, dx: Tensor | null, dk: Tensor, n: number, ci: number, co: number, h: number, w: number): void {
    this.k.conv3Backward(x.byteOffset, k.byteOffset, dy.byteOffset, at(dx), dk.byteOffset, this.scratch, n, ci, co, h, w);
  }
  conv1Forward(x: Tensor, w: Tensor, y: Tensor, n: number, ci: number, co: number, plane: number): void {
    this.k.conv1Forward(x.byteOffset, w.byteOffset, y.byteOffset, n, ci, co, plane);
  }
  conv1Backward(x: Tensor, w: Tensor, g: Tensor, dy: Tensor, dx: Tensor | null, n: number, ci: number, co: number, plane: number): void {
    this.k.conv1Backward(x.byteOffset, w.byteOffset, g.byteOffset, dy.byteOffset, at(dx), n, ci, co, plane);
  }
  batchNormForward(x: Tensor, y: Tensor, xhat: Tensor, params: Tensor, stats: Tensor, invStd: Tensor, train: boolean, n: number, c: number, plane: number): void {
    this.k.batchNormForward(x.byteOffset, y.byteOffset, xhat.byteOffset, params.byteOffset, stats.byteOffset, invStd.byteOffset, +train, n, c, plane, BN_EPSILON, BN_MOMENTUM);
  }
  batchNormBackward(dy: Tensor, xhat: Tensor, dx: Tensor | null, params: Tensor, grads: Tensor, invStd: Tensor, n: number, c: number, plane: number): void {
    this.k.batchNormBackward(dy.byteOffset, xhat.byteOffset, at(dx), params.byteOffset, grads.byteOffset, invStd.byteOffset, n, c, plane);
  }
  reluForward(x: Tensor, y: Tensor, count: number): void { this.k.reluForward(x.byteOffset, y.byteOffset, count); }
  reluBackward(y: Tensor, dy: Tensor, dx: Tensor, count: number): void { this.k.reluBackward(y.byteOffset, dy.byteOffset, dx.byteOffset, count); }
  dropoutForward(x: Tensor, y: Tensor, mask: Tensor, rate: number, seed: number, step: number, count: number): void {
    // uniform01 ≥ rate ⇔ (h + 0.5) / 2³² ≥ rate ⇔ h ≥ ⌈rate·2³² − 0.5⌉ for a whole h (every step exact in float64).
    const threshold = Math.min(0xffffffff, Math.max(0, Math.ceil(rate * 4294967296 - 0.5)));
    const base = lowbias32(lowbias32(seed >>> 0) ^ (step >>> 0));
    this.k.dropoutForward(x.byteOffset, y.byteOffset, mask.byteOffset, base | 0, threshold | 0, 1 / (1 - rate), count);
  }
  dropoutBackward(dy: Tensor, dx: Tensor, mask: Tensor, count: number): void { this.k.scaleBy(dy.byteOffset, dx.byteOffset, mask.byteOffset, count); }
  maxPoolForward(x: Tensor, y: Tensor, planes: number, h: number, w: number): void { this.k.maxPoolForward(x.byteOffset, y.byteOffset, planes, h, w); }
  maxPoolBackward(x: Tensor, dy: Tensor, dx: Tensor, planes: number, h: number, w: number): void {
    this.k.maxPoolBackward(x.byteOffset, dy.byteOffset, dx.byteOffset, planes, h, w);
  }
  gapForward(x: Tensor, y: Tensor, planes: number, plane: number): void { this.k.gapForward(x.byteOffset, y.byteOffset, planes, plane); }
  gapBackward(dy: Tensor, dx: Tensor, planes: number, plane: number): void { this.k.gapBackward(dy.byteOffset, dx.byteOffset, planes, plane); }
  linearForward(x: Tensor, w: Tensor, y: Tensor, n: number, ci: number, co: number): void {
    this.k.linearForward(x.byteOffset, w.byteOffset, y.byteOffset, n, ci, co);
  }
  linearBackward(x: Tensor, w: Tensor, g: Tensor, dy: Tensor, dx: Tensor | null, n: number, ci: number, co: number): void {
    this.k.linearBackward(x.byteOffset, w.byteOffset, g.byteOffset, dy.byteOffset, at(dx), n, ci, co);
  }
  nllLoss(z: Tensor, dz: Tensor, labels: ArrayLike<number>, n: number, classes: number): number {
    for (let b = 0; b < n; b++) this.labels[b] = labels[b];
    return this.k.nllLoss(z.byteOffset, dz.byteOffset, this.labels.byteOffset, n, classes);
  }
}

/** A view's byte offset, or 0 (the kernels' "none") for a missing one. */
const at = (t: Tensor | null): number => (t ? t.byteOffset : 0);
