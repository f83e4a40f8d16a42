/**
 * MNIST training throughput: images per second (forward + backward + update) of one copy and of K copies, on the
 * float32 CPU engine and on the WGSL trainer, anywhere (Node or a page). A fixed batch of real-looking input (random
 * pixels, cycling labels) is enough: the work per image does not depend on the data.
 */
import { CLASSES, DEFAULT_MODEL, placeModel } from '../src/mnist/model';
import { DEFAULT_COPY, DEFAULT_RUN, Trainer } from '../src/mnist/training';
import { wasmNetwork } from '../src/mnist/wasm-conv';
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
