/**
 * The engine `npm run paper` sweeps with: the CPU pool `npm run sweep` uses (float64, or float32-faithful with
 * cpu-f32), or with --backend webgpu the WGSL trainer, so that the paper's figure moves to the GPU once it trains MLP
 * networks (until then its refusal is the message). auto runs MLP sweeps on the CPU, as the sweep command does.
 */
import { cpuAdapter, cpuEngineName } from '../core/engine';
import type { RunOptions, RunResult } from '../core/run';
import type { SweepSpec } from '../core/spec';
import type { CpuPool } from '../cpu/pool';
import { SweepInterruptedError, type GpuTrainer } from '../gpu/trainer';
import type { BackendFlag } from './args';
import { createNodePool } from './node-cpu';
import { createNodeTrainer } from './node-gpu';

/** A started engine: its results-file backend and adapter, a line naming it, a sweep runner and a close. */
export interface PaperEngine {
  backend: 'cpu' | 'cpu-f32' | 'webgpu';
  adapter: string;
  name: string;
  run(spec: SweepSpec, options: RunOptions): Promise<RunResult>;
  close(): void;
}

/** Starts the engine for `flag` (workers started before it returns: their start-up is not in any sweep's time). */
export async function startPaperEngine(flag: BackendFlag, threads: number): Promise<PaperEngine> {
  if (flag === 'webgpu') {
    const trainer: GpuTrainer = await createNodeTrainer();
    return {
      backend: 'webgpu', adapter: trainer.gpu.adapter, name: `WebGPU (${trainer.gpu.adapter})`,
      async run(spec, options) {
        try {
          return await trainer.run(spec, { ...options, sleepWhileWaiting: true });
        } catch (e) {
          if (e instanceof SweepInterruptedError) return e.partial;
          throw new Error(`--backend webgpu: ${(e as Error).message}; or run on the CPU engine with --backend cpu (or leave --backend out)`);
        }
      },
      close: () => trainer.gpu.device.destroy(),
    };
  }
  const arithmetic = flag === 'cpu-f32' ? 'float32' : 'float64';
  const pool: CpuPool = createNodePool(threads);
  await pool.ready();
  return {
    backend: arithmetic === 'float32' ? 'cpu-f32' : 'cpu', adapter: cpuAdapter(arithmetic, threads), name: cpuEngineName(arithmetic, threads),
    run: (spec, options) => pool.run(spec, arithmetic, options),
    close: () => pool.close(),
  };
}
