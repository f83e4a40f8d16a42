/**
 * The CPU half of the benchmark in Node: the float64 JS reference (the oracle) and the WebAssembly engine on one and
 * on every worker thread, interleaved, its float32-faithful mode, and its cancel latency. Runs before any GPU device exists: a live Dawn device
 * can keep a thread busy, which would slow the CPU engines.
 */
import { availableParallelism } from 'node:os';
import { createNodePool } from '../src/cli/node-cpu';
import { measureCancel, measureCpuEngines, measurePool } from './cpu-bench';
import type { Measurement } from './workloads';

export async function benchCpuNode(steps: number, runs: number, record: (m: Measurement) => void): Promise<{ cancel: { medianMs: number; maxMs: number } }> {
  const pools = [createNodePool(1), createNodePool(availableParallelism())];
  try {
    for (const m of await measureCpuEngines('node', pools, steps, runs)) record(m);
    record(await measurePool(pools[0], 'wasm-f32-node', 16384, steps, runs, '1 thread, float32-faithful (one cell at a time, no SIMD)', undefined, 'float32'));
    return { cancel: await measureCancel(pools[1], 5) };
  } finally {
    for (const pool of pools) pool.close();
  }
}
