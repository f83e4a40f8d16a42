/**
 * The browser side of `npm run bench`: exposes the measurements on `window.bench` for the harness (bench/run.ts) to
 * call through playwright. Everything runs on this page's main thread; the GPU work is asynchronous.
 */
import trainShader from '../../shaders/train.wgsl?raw';
import mlpShader from '../../shaders/mlp.wgsl?raw';
import foldShader from '../../shaders/replicas.wgsl?raw';
import peakShader from '../../shaders/peak.wgsl?raw';
import bareShader from '../../shaders/bare.wgsl?raw';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { browserThreads, createBrowserPool } from '../../src/worker/browser-pool';
import { measureCpuEngines, measurePool } from '../cpu-bench';
import { acquireGpu } from '../../src/gpu/device';
import { GpuTrainer, type GpuRunOptions } from '../../src/gpu/trainer';
import { measureBare, measureMlpTrainer, measurePeak, measureTrainer } from '../gpu-bench';
import { trainWithTfjs } from '../tfjs-train';
import { trainMnistWithTfjs } from '../tfjs-mnist';
import { measureMnistCpu, measureMnistGpu } from '../mnist-bench';
import { loadMnistKernel } from '../../src/worker/mnist-kernel';
import { MNIST_SHADERS } from '../../src/gpu/mnist/shaders';
import { deepZoomSpec, stats, type Measurement } from '../workloads';

let trainer: Promise<GpuTrainer> | undefined;
const getTrainer = () => (trainer ??= acquireGpu(navigator.gpu, 'enable WebGPU').then((gpu) => GpuTrainer.create(gpu, trainShader, mlpShader, foldShader)));

const api = {
  async info() {
    const t = await getTrainer();
    return { adapter: t.gpu.adapter, userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency };
  },
  async trainer(cells: number, steps: number, runs: number, options: GpuRunOptions = {}, note?: string): Promise<Measurement> {
    return measureTrainer(await getTrainer(), 'webgpu-chromium', cells, steps, runs, options, note);
  },
  /** The WGSL MLP trainer on the MLP bench's workload (the paper's tanh condition). */
  async mlp(runs: number): Promise<Measurement> {
    return measureMlpTrainer(await getTrainer(), 'mlp-webgpu-chromium', runs);
  },
  /** The textbook loop on the trainer's workload (shaders/bare.wgsl), the reference for trainer ÷ bare loop. */
  async bare(cells: number, steps: number, runs: number): Promise<Measurement> {
    return measureBare((await getTrainer()).gpu.device, bareShader, 'bare-chromium', cells, steps, runs);
  },
  async peak() {
    return measurePeak((await getTrainer()).gpu.device, peakShader);
  },
  /** The float64 JS reference on the page's main thread and the WebAssembly engine on one and on every web worker, interleaved. */
  async cpuEngines(steps: number, runs: number): Promise<Measurement[]> {
    const pools = [await createBrowserPool(1), await createBrowserPool(browserThreads())];
    try {
      return await measureCpuEngines('chromium', pools, steps, runs);
    } finally {
      for (const pool of pools) pool.close();
    }
  },
  /** The WebAssembly CPU engine on a pool of `threads` web workers (all cores by default); `deepZoom`: issue 9's tanh view. */
  async wasm(cells: number, steps: number, runs: number, threads = browserThreads(), deepZoom = false): Promise<Measurement> {
    const pool = await createBrowserPool(threads);
    try {
      const note = `${threads} thread${threads === 1 ? '' : 's'}${deepZoom ? ', the float64 deep-zoom view (tanh, eva)' : ''}`;
      return await measurePool(pool, 'wasm-f64-chromium', cells, steps, runs, note, deepZoom ? deepZoomSpec() : undefined);
    } finally {
      pool.close();
    }
  },
  async tfjs(backend: 'webgpu' | 'wasm', cells: number, steps: number, runs: number): Promise<Measurement> {
    const tf = await tfjsWith(backend);
    await trainWithTfjs(tf, cells, 2); // warm-up at full size: kernels compiled, WASM memory grown
    const rates: number[] = [];
    for (let i = 0; i < runs; i++) rates.push((cells * steps) / ((await trainWithTfjs(tf, cells, steps)) / 1000));
    return { backend: `tfjs-${backend}`, cells, steps, networkStepsPerSecond: stats(rates), note: backend === 'wasm' ? 'SIMD, one thread' : undefined };
  },
  /** The MNIST model: one copy on the float32 WebAssembly engine (this thread). */
  async mnistCpu(batch: number, batches: number, runs: number): Promise<Measurement> {
    return measureMnistCpu(await loadMnistKernel(), 'mnist-cpu-chromium', batch, batches, runs);
  },
  /** The MNIST model: K copies at once on the WGSL trainer. */
  async mnistGpu(copies: number, batch: number, batches: number, runs: number): Promise<Measurement> {
    return measureMnistGpu((await getTrainer()).gpu, MNIST_SHADERS, 'mnist-webgpu-chromium', copies, batch, batches, runs);
  },
  /**
   * The same MNIST model in TensorFlow.js ops (bench/tfjs-mnist.ts). A backend that cannot train it (tfjs-backend-wasm
   * has no Conv2DBackpropFilter kernel) gives a row with rate NaN and the error as its note.
   */
  async mnistTfjs(backend: 'webgpu' | 'wasm' | 'cpu', batch: number, steps: number, runs: number): Promise<Measurement> {
    const tf = await tfjsWith(backend);
    const rates: number[] = [];
    try {
      for (let i = 0; i < runs; i++) rates.push((batch * steps) / ((await trainMnistWithTfjs(tf, batch, steps)) / 1000));
    } catch (e) {
      return { backend: `mnist-tfjs-${backend}`, cells: 1, steps: batch * steps, networkStepsPerSecond: stats([NaN]), note: `cannot train this model: ${(e as Error).message}` };
    }
    return { backend: `mnist-tfjs-${backend}`, cells: 1, steps: batch * steps, networkStepsPerSecond: stats(rates), note: `images/s, batch ${batch}${backend === 'wasm' ? ', SIMD, one thread' : backend === 'cpu' ? ', plain JavaScript' : ''}` };
  },
};

/** TF.js on `backend`, set up once per page. */
async function tfjsWith(backend: 'webgpu' | 'wasm' | 'cpu') {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-core/dist/register_all_gradients'); // training needs them; the core alone has none
    if (backend === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
    else if (backend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
    else {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
      // The threaded build's blob worker breaks once bundled ("e is not defined"), and it needs cross-origin isolation,
      // which most pages lack: measure the single-threaded SIMD build, what users get.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    }
    if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} did not initialize`);
    await tf.ready();
    return tf;
}

declare global { interface Window { bench: typeof api } }
window.bench = api;
document.title = 'bench ready';
