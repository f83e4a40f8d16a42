/**
 * The float32 CPU engine's arrays and convolutions: every array of a Network lives in the memory of one instance of
 * wasm/build/mnist.wasm (f32x4 kernels for the 3×3 convolutions; the other layers run in TypeScript on the same
 * views). One instance per network per thread.
 */
import type { ConvKernels, Tensor } from './conv';
import type { Model } from './model';
import { Network, type Arena } from './network';

interface MnistKernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  padBytes(co: number, h: number, w: number): number;
  conv3Forward(x: number, k: number, y: number, pad: number, n: number, ci: number, co: number, h: number, w: number): void;
  conv3Backward(x: number, k: number, dy: number, dx: number, dk: number, pad: number, n: number, ci: number, co: number, h: number, w: number): void;
}

/** Zeroed floats after every array: the kernels read up to 8 floats past a batch (products with zero; see mnist.ts). */
const SLACK = 16;

/** Builds a float32 Network whose arrays and convolutions live in a fresh instance of the compiled mnist.wasm. */
export async function wasmNetwork(module: WebAssembly.Module, model: Model, batch: number): Promise<Network> {
  const instance = await WebAssembly.instantiate(module, { env: { abort: () => { throw new Error('the MNIST WebAssembly kernel aborted'); } } });
  const kernel = instance.exports as unknown as MnistKernelExports;
  const padBytes = Math.max(0, ...model.layers.filter((l) => l.spec.kind === 'conv3').map((l) => kernel.padBytes(l.output.c, l.input.h, l.input.w)));
  // First count what the network allocates, then grow the memory once: growing detaches every view made before.
  let floats = 0;
  const counter: Arena = { alloc: (length) => { floats += length + SLACK; return new Float32Array(0); } };
  const conv = new WasmConv(kernel);
  void new Network(model, batch, counter, conv);
  const base = (kernel.heapBase() + 63) & ~63;
  const bytes = base + padBytes + floats * 4 + 64;
  if (bytes > kernel.memory.buffer.byteLength) kernel.memory.grow(Math.ceil((bytes - kernel.memory.buffer.byteLength) / 65536));
  const heap = new Float32Array(kernel.memory.buffer);
  conv.pad = base;
  let next = (base + padBytes + 63) >> 2;
  const arena: Arena = { alloc: (length) => { const view = heap.subarray(next, next + length); next += length + SLACK; return view; } };
  return new Network(model, batch, arena, conv);
}

class WasmConv implements ConvKernels {
  pad = 0;
  constructor(private readonly kernel: MnistKernelExports) {}
  forward(x: Tensor, k: Tensor, y: Tensor, n: number, ci: number, co: number, h: number, w: number): void {
    this.kernel.conv3Forward(x.byteOffset, k.byteOffset, y.byteOffset, this.pad, n, ci, co, h, w);
  }
  backward(x: Tensor, k: Tensor, dy: Tensor, dx: Tensor | null, dk: Tensor, n: number, ci: number, co: number, h: number, w: number): void {
    this.kernel.conv3Backward(x.byteOffset, k.byteOffset, dy.byteOffset, dx ? dx.byteOffset : 0, dk.byteOffset, this.pad, n, ci, co, h, w);
  }
}
