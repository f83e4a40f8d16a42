/**
 * The Node (Dawn) half of the benchmark, shared by `npm run bench` and the self-contained GPU-machine bundle
 * (bench/gpu-machine): the float64 reference, the device's peak rates, and the trainer at every size.
 */
import { runReference } from '../src/core/cpu-runner';
import type { GpuContext } from '../src/gpu/device';
import { GpuTrainer } from '../src/gpu/trainer';
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
  /** Also measure the float64 CPU reference (skipped on GPU machines, where it says nothing new). */
  cpu?: boolean;
}

export async function benchNode(o: NodeBenchOptions): Promise<{ adapter: string; peak: { flopPerSecond: number; expPerSecond: number } }> {
  if (o.cpu) {
    // Before any device exists: a live Dawn device can keep a thread busy, which would slow the CPU reference.
    const rates: number[] = [];
    for (let i = 0; i < o.runs; i++) rates.push((await runReference(benchSpec(4096, o.steps), 'f64')).networkStepsPerSecond);
    o.record({ backend: 'cpu-f64-node', cells: 4096, steps: o.steps, networkStepsPerSecond: stats(rates), note: 'float64 reference; its cost per network is flat, so one size stands for all' });
  }
  const gpu = await o.gpu();
  const trainer = await GpuTrainer.create(gpu, o.trainShader);
  const peak = await measurePeak(gpu.device, o.peakShader);
  for (const cells of o.sizes) o.record(await measureTrainer(trainer, 'webgpu-node', cells, o.steps, o.runs, { sleepWhileWaiting: true }));
  o.record(await measureTrainer(trainer, 'webgpu-node', 262144, o.steps, o.runs, {}, 'without sleeping while Dawn waits'));
  o.record(await measureTrainer(trainer, 'webgpu-node', 262144, o.steps, o.runs, { sleepWhileWaiting: true, trackLoss: false }, 'no loss tracking (outputs meaningless)'));
  gpu.device.destroy();
  return { adapter: gpu.adapter, peak };
}
