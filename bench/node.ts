/**
 * The Node (Dawn) half of the benchmark, shared by `npm run bench` and the self-contained GPU-machine bundle
 * (bench/gpu-machine): the float64 reference, the device's peak rates, and the trainer at every size.
 */
import { availableParallelism } from 'node:os';
import { createNodePool } from '../src/cli/node-cpu';
import { runReference } from '../src/core/cpu-runner';
import type { GpuContext } from '../src/gpu/device';
import { GpuTrainer } from '../src/gpu/trainer';
import { measureCancel, measurePool } from './cpu-bench';
import { measurePeak, measureTrainer } from './gpu-bench';
import { benchSpec, stats, type Measurement } from './workloads';

export interface NodeBenchOptions {
  gpu: () => Promise<GpuContext>;
  trainShader: string;
  peakShader: string;
  sizes: number[];
  steps: number;
  runs: number;
  record: (m: Measurement) => void;
  /** Also measure the CPU engines: the float64 JS reference and the WebAssembly pool (skipped on GPU machines). */
  cpu?: boolean;
}

/** Networks of the CPU engine's rows: 64k (the engine's cost per network is flat, as the JS reference's is). */
export const CPU_CELLS = 65536;

export async function benchNode(o: NodeBenchOptions): Promise<{ adapter: string; peak: { flopPerSecond: number; expPerSecond: number }; cancel?: { medianMs: number; maxMs: number } }> {
  let cancel: { medianMs: number; maxMs: number } | undefined;
  if (o.cpu) {
    // Before any device exists: a live Dawn device can keep a thread busy, which would slow the CPU engines.
    const rates: number[] = [];
    for (let i = 0; i < o.runs; i++) rates.push((await runReference(benchSpec(4096, o.steps), 'f64')).networkStepsPerSecond);
    o.record({ backend: 'cpu-f64-node', cells: 4096, steps: o.steps, networkStepsPerSecond: stats(rates), note: 'float64 JS reference (the oracle); its cost per network is flat, so one size stands for all' });
    for (const threads of [1, availableParallelism()]) {
      const pool = createNodePool(threads);
      o.record(await measurePool(pool, 'wasm-f64-node', CPU_CELLS, o.steps, o.runs));
      if (threads > 1) cancel = await measureCancel(pool, 5);
      pool.close();
    }
  }
  const gpu = await o.gpu();
  const trainer = await GpuTrainer.create(gpu, o.trainShader);
  const peak = await measurePeak(gpu.device, o.peakShader);
  for (const cells of o.sizes) o.record(await measureTrainer(trainer, 'webgpu-node', cells, o.steps, o.runs, { sleepWhileWaiting: true }));
  o.record(await measureTrainer(trainer, 'webgpu-node', 262144, o.steps, o.runs, {}, 'without sleeping while Dawn waits'));
  o.record(await measureTrainer(trainer, 'webgpu-node', 262144, o.steps, o.runs, { sleepWhileWaiting: true, trackLoss: false }, 'no loss tracking (outputs meaningless)'));
  gpu.device.destroy();
  return { adapter: gpu.adapter, peak, cancel };
}
