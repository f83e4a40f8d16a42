/**
 * MNIST training throughput: images per second (forward + backward + update) of one copy and of K copies, on the
 * float32 CPU engine and on the WGSL trainer, anywhere (Node or a page). A fixed batch of real-looking input (random
 * pixels, cycling labels) is enough: the work per image does not depend on the data.
 */
import { CLASSES, DEFAULT_MODEL, placeModel } from '../src/mnist/model';
import { DEFAULT_COPY, DEFAULT_RUN, Trainer } from '../src/mnist/training';
import { wasmNetwork, type EngineKernels } from '../src/mnist/wasm-conv';
import { MnistGpuTrainer, type MnistShaders } from '../src/gpu/mnist/trainer';
import type { GpuContext } from '../src/gpu/device';
import { uniform01 } from '../src/core/random';
import { stats, type Measurement } from './workloads';

const model = placeModel(DEFAULT_MODEL);
const randomImages = (batch: number) => Float32Array.from({ length: batch * 784 }, (_, j) => 2 * uniform01(5, 0, j) - 0.4);
const labels = (batch: number) => Uint8Array.from({ length: batch }, (_, b) => b % CLASSES);

/** One copy on the float32 WebAssembly engine (this thread): images/s over `batches` steps, `runs` times. */
export async function measureMnistCpu(kernel: WebAssembly.Module, backend: string, batch: number, batches: number, runs: number): Promise<Measurement> {
  const net = await wasmNetwork(kernel, model, batch);
  const trainer = new Trainer(net, { ...DEFAULT_RUN, batch }, DEFAULT_COPY);
  net.input.set(randomImages(batch));
  const y = labels(batch);
  trainer.trainStep(batch, y, 0.01); // warm-up: compile the hot loops
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    for (let s = 0; s < batches; s++) trainer.trainStep(batch, y, 0.01);
    rates.push((batch * batches) / ((performance.now() - start) / 1000));
  }
  return { backend, cells: 1, steps: batches * batch, networkStepsPerSecond: stats(rates), note: `images/s, batch ${batch}, one copy, one thread` };
}

/** K copies at once on the WGSL trainer: images/s of all copies together, over `batches` steps, `runs` times. */
export async function measureMnistGpu(gpu: GpuContext, shaders: MnistShaders, backend: string, copies: number, batch: number, batches: number, runs: number): Promise<Measurement> {
  const settings = Array.from({ length: copies }, (_, k) => ({ ...DEFAULT_COPY, seed: k + 1 }));
  const trainer = await MnistGpuTrainer.create(gpu, shaders, model, settings, batch, 16);
  try {
    const images = randomImages(batch), y = labels(batch), lrs = settings.map(() => 0.01);
    trainer.step(images, y, batch, lrs, 0); // warm-up: pipelines, first dispatch
    await gpu.device.queue.onSubmittedWorkDone();
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) {
      const start = performance.now();
      for (let s = 0; s < batches; s++) trainer.step(images, y, batch, lrs, s + 1);
      await gpu.device.queue.onSubmittedWorkDone();
      rates.push((copies * batch * batches) / ((performance.now() - start) / 1000));
    }
    return { backend, cells: copies, steps: batches * batch, networkStepsPerSecond: stats(rates), note: `images/s of ${copies} cop${copies === 1 ? 'y' : 'ies'} together, batch ${batch}` };
  } finally {
    trainer.destroy();
  }
}

/** Where one training step's time goes: milliseconds per kernel (WGSL: its dispatches' label less the layer number,
 *  `dispatches` of them; CPU: the engine's calls into WebAssembly, `dispatches` = calls a step). */
export interface MnistKernelTime { kernel: string; dispatches: number; ms: number; share: number }

/**
 * One step of one copy at `batch`, each dispatch submitted and waited for alone (MnistGpuTrainer.profileStep), summed
 * by kernel, largest first. Waiting after each dispatch adds a little to each, so the sum exceeds a pipelined step.
 */
export async function profileMnistGpu(gpu: GpuContext, shaders: MnistShaders, batch: number): Promise<MnistKernelTime[]> {
  const trainer = await MnistGpuTrainer.create(gpu, shaders, model, [DEFAULT_COPY], batch, 16);
  try {
    const timings = await trainer.profileStep(randomImages(batch), labels(batch), batch, [0.01], 1);
    const total = timings.reduce((a, t) => a + t.ms, 0);
    const byKernel = new Map<string, MnistKernelTime>();
    for (const t of timings) {
      const kernel = t.label.replace(/ layer \d+/, '');
      const row = byKernel.get(kernel) ?? { kernel, dispatches: 0, ms: 0, share: 0 };
      row.dispatches++;
      row.ms += t.ms;
      row.share = row.ms / total;
      byKernel.set(kernel, row);
    }
    return [...byKernel.values()].sort((a, b) => b.ms - a.ms);
  } finally {
    trainer.destroy();
  }
}

/**
 * Where one step of the float32 CPU engine goes (one copy, this thread, `steps` steps after a warm-up): milliseconds
 * per step by kernel (the Network's calls into WebAssembly, timed around each; "forward"/"backward" are the 3×3
 * convolutions'); the rest of a step (the SGD update, the loss's bookkeeping) is "other".
 */
export async function profileMnistCpu(kernel: WebAssembly.Module, batch: number, steps: number): Promise<MnistCpuProfile> {
  const ms = new Map<string, { calls: number; ms: number }>();
  const timed = (k: EngineKernels): EngineKernels => new Proxy(k, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      const label = name === 'forward' || name === 'backward' ? `conv3 ${name}` : String(name);
      return (...args: unknown[]) => {
        const start = performance.now();
        const result = value.apply(target, args);
        const row = ms.get(label) ?? { calls: 0, ms: 0 };
        row.calls++;
        row.ms += performance.now() - start;
        ms.set(label, row);
        return result;
      };
    },
  });
  const net = await wasmNetwork(kernel, model, batch, timed);
  const trainer = new Trainer(net, { ...DEFAULT_RUN, batch }, DEFAULT_COPY);
  net.input.set(randomImages(batch));
  const y = labels(batch);
  trainer.trainStep(batch, y, 0.01);
  ms.clear();
  const start = performance.now();
  for (let s = 0; s < steps; s++) trainer.trainStep(batch, y, 0.01);
  const total = (performance.now() - start) / steps;
  const rows = [...ms].map(([kernel, r]) => ({ kernel, dispatches: r.calls / steps, ms: r.ms / steps, share: r.ms / steps / total }));
  const other = total - rows.reduce((a, r) => a + r.ms, 0);
  return { batch, kernels: [...rows, { kernel: 'other', dispatches: 0, ms: other, share: other / total }].sort((a, b) => b.ms - a.ms) };
}

/** The CPU engine's step by kernel, at `batch` (one copy, one thread). */
export interface MnistCpuProfile { batch: number; kernels: MnistKernelTime[] }

/** The CPU profile's lines for the console. */
export function formatCpuProfile({ batch, kernels }: MnistCpuProfile): string {
  const step = kernels.reduce((a, k) => a + k.ms, 0);
  return [`CPU engine, one copy, one thread, batch ${batch}: ${step.toFixed(1)} ms a step; by kernel:`,
    ...kernels.map((k) => `  ${k.kernel.padEnd(34)}${k.ms.toFixed(1).padStart(8)} ms ${(100 * k.share).toFixed(1).padStart(5)}%${k.dispatches ? `  (${k.dispatches} call${k.dispatches === 1 ? '' : 's'})` : ''}`)].join('\n');
}

/**
 * Floating-point operations to train on one image: 2 per multiply-add, and a training step taken as three forward
 * passes' multiply-adds (forward, input gradient, weight gradient), the usual count; the pointwise layers are left out.
 */
export const MNIST_TRAIN_FLOP_PER_IMAGE = 2 * 3 * model.forwardMacs;

/** The WGSL trainer: one copy's arithmetic rate against the adapter's multiply-add peak, and its step by kernel. */
export interface MnistWgslProfile { adapter: string; batch: number; gflopPerSecond: number; peakGflopPerSecond: number; kernels: MnistKernelTime[] }

/** The profile's lines for the console: the rate against the peak, then each kernel's share of a step. */
export function formatWgslProfile(p: MnistWgslProfile): string {
  const head = `WGSL trainer on ${p.adapter}, one copy, batch ${p.batch}: ${p.gflopPerSecond.toFixed(2)} GFLOP/s of the adapter's ${p.peakGflopPerSecond.toFixed(1)} GFLOP/s multiply-add peak (${(100 * p.gflopPerSecond / p.peakGflopPerSecond).toFixed(1)}%); one step by kernel, each dispatch alone:`;
  return [head, ...p.kernels.map((k) => `  ${k.kernel.padEnd(34)}${k.ms.toFixed(1).padStart(8)} ms ${(100 * k.share).toFixed(1).padStart(5)}%  (${k.dispatches} dispatch${k.dispatches === 1 ? '' : 'es'})`)].join('\n');
}
