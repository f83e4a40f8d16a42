/**
 * The page's MNIST worker (comlink): trains a sweep of copies of the MNIST model on the GPU (every copy at once,
 * shaders/mnist/) or on the CPU (one web worker per copy, up to one per core), and evaluates loaded weights. The page
 * hears every finished epoch of every copy with its weights and test predictions; a stop keeps them.
 */
import * as Comlink from 'comlink';
import { acquireGpu, BROWSER_NO_ADAPTER_FIX, describeAdapter } from '../gpu/device';
import { chooseDevice, type GpuAvailability } from '../core/engine';
import { gpuSweep } from '../gpu/mnist/run';
import { MnistGpuTrainer } from '../gpu/mnist/trainer';
import { MNIST_SHADERS } from '../gpu/mnist/shaders';
import { copyJobs, type CopyJob } from '../mnist/copy-run';
import { runCopies, type SpawnCopy } from '../mnist/copy-pool';
import type { CopyEvent, CopyReport } from '../mnist/sweep';
import type { DigitSet } from '../mnist/idx';
import { placeModel, type LayerSpec } from '../mnist/model';
import { evaluate, usedCount, type CopySettings, type RunSettings } from '../mnist/training';
import { wasmNetwork } from '../mnist/wasm-conv';
import { browserThreads } from './browser-pool';
import { fetchMnist } from './mnist-data';
import { loadMnistKernel } from './mnist-kernel';

/** Where MNIST trains: the device and why it was chosen. */
export interface MnistEngine { device: 'webgpu' | 'cpu'; why: string; threads: number }

/** What the page hears during a sweep: every copy's events (src/mnist/sweep.ts CopyEvent), and the loading status. */
export type MnistEvent = CopyEvent | { type: 'status'; text: string };

let data: Promise<{ train: DigitSet; test: DigitSet }> | undefined;
let stopCurrent: (() => void) | undefined;
let gpuAvailable: Promise<GpuAvailability> | undefined;

/** What WebGPU offers here, asked once: an adapter (named as the sweeps name it) or why there is none. */
function probeGpu(): Promise<GpuAvailability> {
  gpuAvailable ??= (async (): Promise<GpuAvailability> => {
    const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) return { missing: 'this browser has no WebGPU' };
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    return adapter ? describeAdapter(adapter) : { missing: 'no WebGPU adapter' };
  })().catch((e: Error) => ({ missing: e.message }));
  return gpuAvailable;
}

const api = {
  /** The engine `choice` runs on, by chooseDevice as for the sweeps: auto takes a real GPU, else every core. */
  async engine(choice: 'auto' | 'webgpu' | 'cpu'): Promise<MnistEngine> {
    const threads = browserThreads(), gpu = choice === 'cpu' ? { missing: 'not asked for' } : await probeGpu();
    const { device, reason } = chooseDevice(choice, gpu, threads, undefined, { name: `float32 WebAssembly on ${threads} thread${threads === 1 ? '' : 's'}, a copy per thread`, float64: false });
    const fix = choice === 'webgpu' && 'missing' in gpu ? ` ${BROWSER_NO_ADAPTER_FIX}` : '';
    return { device, why: `${reason}${fix}`, threads };
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
        const trainer = await MnistGpuTrainer.create(gpu, MNIST_SHADERS, model, copies, run.batch, usedCount(run.testLimit, test));
        return await gpuSweep(trainer, run, train, test, { onEvent, keepGoing: () => !stopped });
      } catch (e) {
        // A stop destroys the device under the running epoch: that is the stop, not a failure.
        if (stopped) return 'stopped';
        throw e;
      } finally {
        gpu.device.destroy(); // frees every buffer of the trainer
      }
    }
    // CPU: one web worker per copy, at most one per core at a time (src/mnist/copy-pool.ts).
    const kernel = await loadMnistKernel();
    if (stopped) return 'stopped';
    const stop = new AbortController();
    stops.push(() => stop.abort());
    const spawn: SpawnCopy<CopyJob> = (job, onReport, onError) => {
      // One expression: Vite rewrites `new Worker(new URL(...))` only in this exact form.
      const w = new Worker(new URL('./mnist-copy.worker.ts', import.meta.url), { type: 'module' });
      w.onmessage = (e: MessageEvent<CopyReport>) => onReport(e.data);
      w.onerror = (e) => onError(new Error(e.message || 'its worker failed to start'));
      w.postMessage({ job, train, test, kernel });
      return w;
    };
    return runCopies(copyJobs(layers, run, copies, false), { spawn, threads: browserThreads(), onEvent, signal: stop.signal });
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
