/**
 * Replica rows of `npm run bench` (issue 21): the very same networks trained as a plain sweep and as a replica sweep —
 * a learning-rate axis of networks / R values × a seed axis of R draws, against the learning-rate axis with R
 * replicas (common draws: the same R draws) — runs interleaved (plain, replicas, plain, …) so that their ratio is not
 * skewed by a machine that speeds up or slows down. The rate counts networks in both: networks × steps per second.
 */
import { availableParallelism } from 'node:os';
import { createNodePool } from '../src/cli/node-cpu';
import { acquireNodeGpu, readFoldShader, readTrainShader } from '../src/cli/node-gpu';
import type { RunResult } from '../src/core/run';
import { GpuTrainer } from '../src/gpu/trainer';
import { parseSpec, type SweepSpec } from '../src/core/spec';
import { stats, type Measurement } from './workloads';

/** Networks in both sweeps, and replicas per cell of the replica sweep (64, as the ready-made view). */
export const REPLICA_BENCH = { networks: 65536, replicas: 64 } as const;

/**
 * The pair: `networks` / R learning rates (0.01 … 100, log) of the course network with N(0, 1) initial weights, as a
 * plain sweep over lr × seed (R draws) and as a replica sweep of R replicas per learning rate.
 */
export function replicaBenchSpecs(networks: number, steps: number, replicas: number = REPLICA_BENCH.replicas): { plain: SweepSpec; replicated: SweepSpec } {
  const base = { steps, init: { distribution: 'normal', scale: 1, seed: 0 }, x: { param: 'lr', min: 0.01, max: 100, count: networks / replicas, scale: 'log' } };
  const parse = (input: Record<string, unknown>) => { const r = parseSpec(input); if (!r.ok) throw new Error(r.errors.join('\n')); return r.spec; };
  return { plain: parse({ ...base, y: { param: 'seed', count: replicas } }), replicated: parse({ ...base, replicas: { count: replicas } }) };
}

/**
 * Rows `${backend}` (plain) and `${backend}-replicas` from `runs` interleaved runs of each on `run`, after a warm-up
 * of both.
 */
export async function measureReplicas(run: (spec: SweepSpec) => Promise<RunResult>, backend: string, steps: number, runs: number, note: string): Promise<Measurement[]> {
  const { networks, replicas } = REPLICA_BENCH;
  const { plain, replicated } = replicaBenchSpecs(networks, steps), warm = replicaBenchSpecs(4096, 20);
  await run(warm.plain);
  await run(warm.replicated);
  const rates: number[][] = [[], []];
  for (let i = 0; i < runs; i++) {
    rates[0].push((await run(plain)).networkStepsPerSecond);
    rates[1].push((await run(replicated)).networkStepsPerSecond);
  }
  return [
    { backend, cells: networks, steps, networkStepsPerSecond: stats(rates[0]), note: `${note}; plain: ${(networks / replicas).toLocaleString('en-US')} lr × ${replicas} seeds` },
    { backend: `${backend}-replicas`, cells: networks, steps, networkStepsPerSecond: stats(rates[1]), note: `${note}; ${(networks / replicas).toLocaleString('en-US')} lr × ${replicas} replicas` },
  ];
}

/** The replica rows in Node: the CPU engine on every thread, then the WGSL trainer (Dawn), each plain against replicas. */
export async function benchReplicasNode(steps: number, runs: number, record: (m: Measurement) => void): Promise<void> {
  log('Node, replicas (the same networks as a plain lr × seed sweep and as an lr sweep with replicas):');
  const threads = availableParallelism(), pool = createNodePool(threads);
  try {
    for (const m of await measureReplicas((spec) => pool.run(spec, 'float64'), 'wasm-f64-node', steps, runs, `${threads} threads`)) record(m);
  } finally {
    pool.close();
  }
  const gpu = await acquireNodeGpu(), trainer = await GpuTrainer.create(gpu, readTrainShader(), undefined, readFoldShader());
  try {
    for (const m of await measureReplicas((spec) => trainer.run(spec, { sleepWhileWaiting: true }), 'webgpu-node', steps, runs, gpu.adapter)) record(m);
  } finally {
    gpu.device.destroy();
  }
}

const log = (line: string) => process.stderr.write(`${line}\n`);
