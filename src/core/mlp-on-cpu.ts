/**
 * TEMPORARY, until the WGSL MLP trainer lands (src/gpu/mlp-*.ts, shaders/mlp.wgsl): GpuTrainer.run refuses MLP specs,
 * so the page runs an MLP sweep in float64 on the CPU engine (the WebAssembly MLP kernel, every core), whatever
 * arithmetic was asked, and says why in one line. To remove: delete this file and its uses (grep mlpOnCpu): the
 * arithmetic a view resolves to (src/ui/state.ts resolveArithmetic), the worker's engine (src/worker/sweep.worker.ts
 * run), and the notice over the map (src/ui/panels/explorer.ts).
 */
import { isMlp, type SweepSpec } from './spec';

/** Why `spec` runs on the CPU engine rather than WebGPU (an MLP spec), or undefined (the usual choice applies). */
export function mlpOnCpu(spec: SweepSpec): string | undefined {
  return isMlp(spec) ? 'MLP sweeps run in float64 on the CPU engine for now: the WebGPU trainer has no MLP kernel yet.' : undefined;
}
