/**
 * The MNIST part of `npm run bench` (alone: `npm run bench -- --mnist`): images per second of the default model
 * (forward + backward + SGD update) on the float32 CPU engine (one copy; one copy per thread) and on the WGSL trainer
 * (one copy; K copies at once), in Node and in Chromium, beside TensorFlow.js training the same model (WebGPU, WASM
 * and plain-JavaScript CPU backends) in the same run, and beside the PyTorch CPU twin (bench/mnist-torch.ts) in Node.
 */
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Browser } from 'playwright-core';
import { acquireNodeGpu } from '../src/cli/node-gpu';
import { readMnistShaders } from '../src/cli/mnist-data';
import { measureMnistCpu, measureMnistGpu, MNIST_TRAIN_FLOP_PER_IMAGE, profileMnistCpu, profileMnistGpu, type MnistCpuProfile, type MnistWgslProfile } from './mnist-bench';
import { measurePeak } from './gpu-bench';
import { torchAvailable, torchRate, torchRows, type Round } from './mnist-torch';
import { stats, type Measurement } from './workloads';

/** Sizes: the CPU at the training batch; the GPU at a small batch (SwiftShader runs it at tens of images per second). */
export interface MnistBenchSizes { cpuBatches: number; gpuBatch: number; gpuBatches: number; copies: number; tfjsSteps: number; runs: number }

export function mnistSizes(quick: boolean): MnistBenchSizes {
  return quick ? { cpuBatches: 2, gpuBatch: 16, gpuBatches: 1, copies: 4, tfjsSteps: 2, runs: 1 } : { cpuBatches: 6, gpuBatch: 32, gpuBatches: 2, copies: 4, tfjsSteps: 2, runs: 3 };
}

async function cpuThreads(threads: number, s: MnistBenchSizes): Promise<Measurement> {
  const results = await Promise.all(Array.from({ length: threads }, () => new Promise<Measurement>((resolve, reject) => {
    const worker = new Worker(new URL('../src/cli/ts-worker.mjs', import.meta.url), { workerData: { entry: new URL('./mnist-cpu-worker.ts', import.meta.url).href, batch: 128, batches: s.cpuBatches, runs: s.runs } });
    worker.once('message', (m: Measurement) => { resolve(m); void worker.terminate(); });
    worker.once('error', reject);
  })));
  const total = results.reduce((a, m) => a + m.networkStepsPerSecond.median, 0);
  return { backend: 'mnist-cpu-node', cells: threads, steps: results[0].steps, networkStepsPerSecond: stats([total]), note: `images/s of ${threads} copies together, one per thread (sum of medians)` };
}

/** Copies (engine threads, PyTorch processes) of the two-copy comparison with the PyTorch twin. */
const TWIN_COPIES = 2;

/**
 * Node: the CPU engine (one thread, every thread) and the WGSL trainer on Dawn; where PyTorch imports, the engine and
 * its twin in interleaved rounds (one thread each, then TWIN_COPIES of each). Returns the twin's same-round ratios
 * (empty without PyTorch).
 */
export async function mnistInNode(s: MnistBenchSizes, record: (m: Measurement) => Measurement): Promise<{ twin: Record<string, number>; wgsl: MnistWgslProfile; cpu: MnistCpuProfile }> {
  const kernel = new WebAssembly.Module(readFileSync(new URL('../wasm/build/mnist.wasm', import.meta.url)));
  let twin: Record<string, number> = {};
  if (torchAvailable()) {
    const rounds: Round[] = [], one = { ...s, runs: 1 };
    for (let r = 0; r < s.runs; r++) {
      const engine1 = (await measureMnistCpu(kernel, 'mnist-cpu-node', 128, s.cpuBatches, 1)).networkStepsPerSecond.median;
      const torch1 = await torchRate(1, s.cpuBatches, 1);
      const engineK = (await cpuThreads(TWIN_COPIES, one)).networkStepsPerSecond.median;
      rounds.push({ engine1, torch1, engineK, torchK: await torchRate(TWIN_COPIES, s.cpuBatches, 1) });
    }
    const note = 'images/s, batch 128, interleaved with the PyTorch twin';
    record({ backend: 'mnist-cpu-node', cells: 1, steps: 128 * s.cpuBatches, networkStepsPerSecond: stats(rounds.map((r) => r.engine1)), note: `${note}, one copy, one thread` });
    record({ backend: 'mnist-cpu-node', cells: TWIN_COPIES, steps: 128 * s.cpuBatches, networkStepsPerSecond: stats(rounds.map((r) => r.engineK)), note: `${note}, ${TWIN_COPIES} copies, one per thread` });
    const { rows, ratios } = torchRows(rounds, TWIN_COPIES, 128 * s.cpuBatches);
    rows.forEach(record);
    twin = ratios;
    process.stderr.write(`  CPU engine ÷ PyTorch: ${ratios.mnistCpuOneThreadVsTorch.toFixed(3)} on one thread, ${ratios.mnistCpuThreadsVsTorchProcesses.toFixed(3)} at ${TWIN_COPIES} copies (medians of ${s.runs} rounds)\n`);
  } else {
    process.stderr.write(`  PyTorch twin skipped: /usr/bin/python3 cannot import torch (apt-get install python3-torch)\n`);
    record(await measureMnistCpu(kernel, 'mnist-cpu-node', 128, s.cpuBatches, s.runs));
  }
  if (availableParallelism() !== TWIN_COPIES || !twin.mnistCpuOneThreadVsTorch) record(await cpuThreads(availableParallelism(), s));
  const cpu = await profileMnistCpu(kernel, 128, s.cpuBatches);
  const gpu = await acquireNodeGpu();
  try {
    const shaders = readMnistShaders();
    let oneCopy = NaN;
    for (const copies of [1, s.copies]) {
      const m = record(await measureMnistGpu(gpu, shaders, 'mnist-webgpu-node', copies, s.gpuBatch, s.gpuBatches, s.runs));
      if (copies === 1) oneCopy = m.networkStepsPerSecond.median;
    }
    const peak = await measurePeak(gpu.device, readFileSync(new URL('../shaders/peak.wgsl', import.meta.url), 'utf8'));
    const kernels = await profileMnistGpu(gpu, shaders, s.gpuBatch);
    return { twin, cpu, wgsl: { adapter: gpu.adapter, batch: s.gpuBatch, gflopPerSecond: (oneCopy * MNIST_TRAIN_FLOP_PER_IMAGE) / 1e9, peakGflopPerSecond: peak.flopPerSecond / 1e9, kernels } };
  } finally {
    gpu.device.destroy();
  }
}


/** Chromium (the bench page at `url`): the CPU engine, the WGSL trainer, TF.js WebGPU and WASM. */
export async function mnistInChromium(browser: Browser, url: string, s: MnistBenchSizes, record: (m: Measurement) => Measurement): Promise<void> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.title === 'bench ready');
  record(await page.evaluate(([b, r]) => window.bench.mnistCpu(128, b, r), [s.cpuBatches, s.runs]));
  for (const copies of [1, s.copies]) record(await page.evaluate(([k, b, n, r]) => window.bench.mnistGpu(k, b, n, r), [copies, s.gpuBatch, s.gpuBatches, s.runs]));
  record(await page.evaluate(([b, n, r]) => window.bench.mnistTfjs('webgpu', b, n, r), [s.gpuBatch, s.tfjsSteps, s.runs]));
  const wasm = await browser.newPage();
  await wasm.goto(url);
  await wasm.waitForFunction(() => document.title === 'bench ready');
  record(await wasm.evaluate(([n, r]) => window.bench.mnistTfjs('wasm', 128, n, r), [s.tfjsSteps, s.runs]));
  const cpu = await browser.newPage();
  await cpu.goto(url);
  await cpu.waitForFunction(() => document.title === 'bench ready');
  record(await cpu.evaluate(([n, r]) => window.bench.mnistTfjs('cpu', 128, n, r), [s.tfjsSteps, s.runs]));
  for (const p of [page, wasm, cpu]) await p.close();
}

/** The MNIST ratios of one run. */
export function mnistRatios(measurements: Measurement[], s: MnistBenchSizes) {
  const rate = (backend: string, cells: number, note?: RegExp) => measurements.find((m) => m.backend === backend && m.cells === cells && (!note || note.test(m.note ?? '')))?.networkStepsPerSecond.median ?? NaN;
  const threads = Math.max(...measurements.filter((m) => m.backend === 'mnist-cpu-node').map((m) => m.cells));
  return {
    mnistCpuAllThreadsVsOneNode: rate('mnist-cpu-node', threads) / rate('mnist-cpu-node', 1),
    mnistGpuCopiesVsOneNode: rate('mnist-webgpu-node', s.copies) / rate('mnist-webgpu-node', 1),
    /** Batches differ (the CPU at 128, the GPU at gpuBatch): images/s of one copy, each engine at its own size. */
    mnistWgslVsCpuEngineOneCopyNode: rate('mnist-webgpu-node', 1) / rate('mnist-cpu-node', 1),
    mnistGpuCopiesVsOneChromium: rate('mnist-webgpu-chromium', s.copies) / rate('mnist-webgpu-chromium', 1),
    mnistGpuOneCopyVsTfjsWebgpuChromium: rate('mnist-webgpu-chromium', 1) / rate('mnist-tfjs-webgpu', 1),
    mnistCpuOneCopyVsTfjsWasmChromium: rate('mnist-cpu-chromium', 1) / rate('mnist-tfjs-wasm', 1),
    mnistCpuOneCopyVsTfjsCpuChromium: rate('mnist-cpu-chromium', 1) / rate('mnist-tfjs-cpu', 1),
    /** Batches differ (the CPU at 128, the GPU at gpuBatch): images/s per copy, each engine at its own size. */
    mnistCpuVsGpuOneCopyChromium: rate('mnist-cpu-chromium', 1) / rate('mnist-webgpu-chromium', 1),
  };
}
