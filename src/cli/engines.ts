/** The engine of a sweep in Node, shared by the command line (main.ts) and the library (../index.ts). */
import { chooseDevice, type DeviceChoice, type GpuAvailability } from '../core/engine';
import type { RunOptions, RunResult } from '../core/run';
import { isMlp, type SweepSpec } from '../core/spec';
import { NoAdapterError } from '../gpu/device';
import { SweepInterruptedError, type GpuTrainer } from '../gpu/trainer';
import type { BackendFlag } from './args';
import { createNodeTrainer } from './node-gpu';

/** The engine for the backend asked for: a GPU trainer (kept for the run) or the CPU pool, and why. */
export async function pickEngine(backend: BackendFlag, threads: number): Promise<{ choice: DeviceChoice; trainer?: GpuTrainer }> {
  if (backend === 'cpu' || backend === 'cpu-f32') return { choice: chooseDevice('cpu', { missing: 'not asked for' }, threads) };
  let trainer: GpuTrainer | undefined, gpu: GpuAvailability;
  try {
    trainer = await createNodeTrainer();
    gpu = { adapter: trainer.gpu.adapter, isFallback: trainer.gpu.isFallback };
  } catch (e) {
    // auto falls back to the CPU on any GPU start-up failure (no adapter, no Dawn or Vulkan on this node), and says why.
    if (backend === 'webgpu') throw e;
    gpu = { missing: e instanceof NoAdapterError ? e.message : `WebGPU failed to start: ${(e as Error).message}` };
  }
  const choice = chooseDevice(backend === 'auto' ? 'auto' : 'webgpu', gpu, threads);
  if (choice.device === 'webgpu') return { choice, trainer };
  trainer?.gpu.device.destroy();
  return { choice };
}

/** Runs `spec` on the trainer (compiling first), then destroys its device; a lost device gives back what it finished and why. */
export async function runOnGpu(trainer: GpuTrainer, spec: SweepSpec, options: RunOptions): Promise<{ run: RunResult; error?: string }> {
  try {
    if (!isMlp(spec)) await trainer.pipeline(spec.activation); // compile before the clock starts (an MLP's compiles in run)
    return { run: await trainer.run(spec, { ...options, sleepWhileWaiting: true }) };
  } catch (e) {
    if (e instanceof SweepInterruptedError) return { run: e.partial, error: e.message };
    throw e;
  } finally {
    trainer.gpu.device.destroy();
  }
}
