/**
 * The page's MNIST worker (comlink): trains a sweep of copies of the MNIST model on the GPU (every copy at once,
 * shaders/mnist/) or on the CPU (one web worker per copy, up to one per core), and evaluates loaded weights. The page
 * hears every finished epoch of every copy with its weights and test predictions; a stop keeps them.
 */
import * as Comlink from 'comlink';
import { acquireGpu, BROWSER_NO_ADAPTER_FIX } from '../gpu/device';
import { gpuEpoch, initializeCopies } from '../gpu/mnist/run';
import { MnistGpuTrainer } from '../gpu/mnist/trainer';
import { MNIST_SHADERS } from '../gpu/mnist/shaders';
import type { CopyEvent, CopyJob } from '../mnist/copy-run';
import type { DigitSet } from '../mnist/idx';
import { placeModel, type LayerSpec } from '../mnist/model';
import { evaluate, usedCount, type CopySettings, type EpochMetrics, type RunSettings } from '../mnist/training';
import { wasmNetwork } from '../mnist/wasm-conv';
import { browserThreads } from './browser-pool';
import { fetchMnist } from './mnist-data';
import { loadMnistKernel } from './mnist-kernel';
import { progressGate } from '../core/progress';

/** Where MNIST trains: the device and why it was chosen. */
export interface MnistEngine { device: 'webgpu' | 'cpu'; why: string; threads: number }

/** What the page hears during a sweep. */
export type MnistEvent =
  | { type: 'status'; text: string }
  | { type: 'progress'; copy: number; epoch: number; iteration: number; iterations: number }
  | { type: 'epoch'; copy: number; metrics: EpochMetrics; params: Float32Array | Float64Array; stats: Float32Array | Float64Array; predictions: Uint8Array }
  | { type: 'copy-done'; copy: number }
  | { type: 'copy-failed'; copy: number; message: string };

let data: Promise<{ train: DigitSet; test: DigitSet }> | undefined;
let stopCurrent: (() => void) | undefined;
let gpuAvailable: Promise<{ adapter?: string; fallback?: boolean; missing?: string }> | undefined;

function probeGpu() {
  gpuAvailable ??= (async () => {
    const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) return { missing: 'this browser has no WebGPU' };
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { missing: 'no WebGPU adapter' };
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    return { adapter: [info.vendor, info.architecture].filter(Boolean).join(' / ') || 'unknown adapter', fallback: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) };
  })().catch((e: Error) => ({ missing: e.message }));
  return gpuAvailable;
}

const api = {
  /** The engine `choice` runs on: auto takes a real GPU, else every core. */
  async engine(choice: 'auto' | 'webgpu' | 'cpu'): Promise<MnistEngine> {
    const threads = browserThreads();
    if (choice === 'cpu') return { device: 'cpu', why: 'chosen', threads };
    const gpu = await probeGpu();
    if (choice === 'webgpu') return gpu.missing ? { device: 'cpu', why: `WebGPU asked for, but ${gpu.missing}; ${BROWSER_NO_ADAPTER_FIX}`, threads } : { device: 'webgpu', why: `chosen (${gpu.adapter})`, threads };
    if (gpu.missing) return { device: 'cpu', why: gpu.missing, threads };
    if (gpu.fallback) return { device: 'cpu', why: `the WebGPU adapter (${gpu.adapter}) is a CPU emulation, slower than WebAssembly on ${threads} cores`, threads };
    return { device: 'webgpu', why: gpu.adapter!, threads };
  },

  /** Trains every copy; resolves when all finished or the sweep was stopped. */
  async train(layers: LayerSpec[], run: RunSettings, copies: CopySettings[], device: 'webgpu' | 'cpu', onEvent: (event: MnistEvent) => void): Promise<'finished' | 'stopped'> {
    stopCurrent?.();
    let stopped = false;
    const stops: (() => void)[] = [];
    stopCurrent = () => { stopped = true; for (const s of stops) s(); };
    onEvent({ type: 'status', text: 'loading MNIST (55 MB)…' });
    data ??= fetchMnist();
    const { train, test } = await data.catch((e) => { data = undefined; throw e; });
    if (stopped) return 'stopped';
    const model = placeModel(layers);
    if (device === 'webgpu') {
      const gpu = await acquireGpu((navigator as Navigator & { gpu?: GPU }).gpu, BROWSER_NO_ADAPTER_FIX);
      stops.push(() => gpu.device.destroy());
      if (stopped) { gpu.device.destroy(); return 'stopped'; }
      try {
        const trainer = new MnistGpuTrainer(gpu, MNIST_SHADERS, model, copies, run.batch, usedCount(run.testLimit, test));
        initializeCopies(trainer);
        const due = progressGate();
        for (let epoch = 0; epoch < run.epochs; epoch++) {
          const done = await gpuEpoch(trainer, run, train, test, epoch, {
            onProgress: (iteration, iterations) => {
              if (due()) copies.forEach((_, copy) => onEvent({ type: 'progress', copy, epoch, iteration, iterations }));
              return !stopped;
            },
          });
          if (!done || stopped) return 'stopped';
          const [params, stats] = [await trainer.readParams(), await trainer.readStats()];
          const P = model.paramCount, S = model.statCount, T = usedCount(run.testLimit, test);
          done.metrics.forEach((metrics, copy) => onEvent({
            type: 'epoch', copy, metrics, params: params.slice(copy * P, (copy + 1) * P), stats: stats.slice(copy * S, (copy + 1) * S),
            predictions: Uint8Array.from(done.predictions.subarray(copy * T, (copy + 1) * T)),
          }));
        }
        copies.forEach((_, copy) => onEvent({ type: 'copy-done', copy }));
        return 'finished';
      } catch (e) {
        // A stop destroys the device under the running epoch: that is the stop, not a failure.
        if (stopped) return 'stopped';
        throw e;
      } finally {
        gpu.device.destroy(); // frees every buffer of the trainer
      }
    }
    // CPU: one web worker per copy, at most one per core at a time.
    const kernel = await loadMnistKernel();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!stopped && next < copies.length) {
        const copy = next++;
        await new Promise<void>((resolve) => {
          // One expression: Vite rewrites `new Worker(new URL(...))` only in this exact form.
          const w = new Worker(new URL('./mnist-copy.worker.ts', import.meta.url), { type: 'module' });
          const end = () => { w.terminate(); resolve(); };
          stops.push(end);
          w.onmessage = (e: MessageEvent<CopyEvent>) => {
            const m = e.data;
            if (m.type === 'epoch') onEvent({ type: 'epoch', copy, metrics: m.metrics, params: m.params, stats: m.stats, predictions: m.predictions });
            else if (m.type === 'progress') onEvent({ type: 'progress', copy, epoch: m.epoch, iteration: m.iteration, iterations: m.iterations });
            else if (m.type === 'done') { onEvent({ type: 'copy-done', copy }); end(); }
            else { onEvent({ type: 'copy-failed', copy, message: m.message }); end(); }
          };
          w.onerror = (e) => { onEvent({ type: 'copy-failed', copy, message: e.message || 'its worker failed to start' }); end(); };
          const job: CopyJob = { layers, run, copy: copies[copy], float64: false };
          w.postMessage({ job, train, test, kernel });
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(browserThreads(), copies.length) }, worker));
    return stopped ? 'stopped' : 'finished';
  },

  /** Stops the sweep in progress; every finished epoch has been reported. */
  stop(): void { stopCurrent?.(); },

  /** Test accuracy and predictions of loaded weights (float32 WebAssembly, in this worker). */
  async evaluate(layers: LayerSpec[], params: number[], stats: number[]): Promise<{ loss: number; accuracy: number; predictions: Uint8Array }> {
    data ??= fetchMnist();
    const { test } = await data;
    const net = await wasmNetwork(await loadMnistKernel(), placeModel(layers), 256);
    net.params.set(params);
    net.stats.set(stats);
    return evaluate(net, test, 0);
  },
};

export type MnistWorkerApi = typeof api;
Comlink.expose(api);
