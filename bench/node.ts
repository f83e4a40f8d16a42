/**
 * The Node (Dawn) half of the benchmark, shared by `npm run bench` and the self-contained GPU-machine bundle
 * (bench/gpu-machine): the device's peak rates, and the trainer at every size (the CPU half: bench/node-cpu.ts).
 */
import type { GpuContext } from '../src/gpu/device';
import { GpuTrainer } from '../src/gpu/trainer';
import { measureBare, measureMlpTrainer, measurePeak, measureTrainer } from './gpu-bench';
import type { Measurement } from './workloads';

export interface NodeBenchOptions {
  gpu: () => Promise<GpuContext>;
  trainShader: string;
  /** shaders/mlp.wgsl: the MLP rows. */
  mlpShader: string;
  /** shaders/replicas.wgsl: replica sweeps folded on the device. */
  foldShader: string;
  peakShader: string;
  /** shaders/bare.wgsl: the textbook loop the trainer is measured against. */
  bareShader: string;
  sizes: number[];
  steps: number;
  runs: number;
  record: (m: Measurement) => void;
}

export async function benchNode(o: NodeBenchOptions): Promise<{ adapter: string; peak: { flopPerSecond: number; expPerSecond: number } }> {
  const gpu = await o.gpu();
  const trainer = await GpuTrainer.create(gpu, o.trainShader, o.mlpShader, o.foldShader);
  const peak = await measurePeak(gpu.device, o.peakShader);
  for (const cells of o.sizes) o.record(await measureTrainer(trainer, 'webgpu-node', cells, o.steps, o.runs, { sleepWhileWaiting: true }));
  o.record(await measureBare(gpu.device, o.bareShader, 'bare-node', 262144, o.steps, o.runs));
  o.record(await measureTrainer(trainer, 'webgpu-node', 262144, o.steps, o.runs, {}, 'without sleeping while Dawn waits'));
  o.record(await measureTrainer(trainer, 'webgpu-node', 262144, o.steps, o.runs, { sleepWhileWaiting: true, trackLoss: false }, 'no loss tracking (outputs meaningless)'));
  o.record(await measureMlpTrainer(trainer, 'mlp-webgpu-node', o.runs, { sleepWhileWaiting: true }));
  gpu.device.destroy();
  return { adapter: gpu.adapter, peak };
}
