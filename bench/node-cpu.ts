/**
 * The CPU half of the benchmark in Node: the float64 JS reference (the oracle) and the WebAssembly engine on one and
 * on every worker thread, and its cancel latency. Runs before any GPU device exists: a live Dawn device can keep a
 * thread busy, which would slow the CPU engines.
 */
import { availableParallelism } from 'node:os';
import { createNodePool } from '../src/cli/node-cpu';
import { runReference } from '../src/core/cpu-runner';
import { measureCancel, measurePool } from './cpu-bench';
import { benchSpec, stats, type Measurement } from './workloads';

/** Networks of the CPU engine's rows: 64k (its cost per network is flat, as the JS reference's is). */
export const CPU_CELLS = 65536;

export async function benchCpuNode(steps: number, runs: number, record: (m: Measurement) => void): Promise<{ cancel: { medianMs: number; maxMs: number } }> {
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) rates.push((await runReference(benchSpec(4096, steps), 'f64')).networkStepsPerSecond);
  record({ backend: 'cpu-f64-node', cells: 4096, steps, networkStepsPerSecond: stats(rates), note: 'float64 JS reference (the oracle); its cost per network is flat, so one size stands for all' });
  let cancel = { medianMs: NaN, maxMs: NaN };
  for (const threads of [1, availableParallelism()]) {
    const pool = createNodePool(threads);
    record(await measurePool(pool, 'wasm-f64-node', CPU_CELLS, steps, runs));
    if (threads > 1) cancel = await measureCancel(pool, 5);
    pool.close();
  }
  return { cancel };
}
