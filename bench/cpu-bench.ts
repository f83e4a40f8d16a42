/**
 * CPU engine measurements, the same in Node (worker threads) and in Chromium (web workers): the float64 JS reference
 * and the WebAssembly kernel on pools of workers, their runs interleaved (reference, one thread, every thread, again
 * …) so that the ratios between them are not skewed by a machine that speeds up or slows down over the minutes; and
 * how long a cancel takes to come back.
 */
import { runReference } from '../src/core/cpu-runner';
import type { Arithmetic } from '../src/core/arithmetic';
import type { CpuPool } from '../src/cpu/pool';
import type { SweepSpec } from '../src/core/spec';
import { benchSpec, stats, type Measurement } from './workloads';

/** Networks of the CPU engine's rows: 64k (its cost per network is flat, as the JS reference's is). */
export const CPU_CELLS = 65536;

const threadsNote = (pool: CpuPool) => `${pool.threads} thread${pool.threads === 1 ? '' : 's'}`;

/**
 * The JS reference on 4,096 networks and `pools` on CPU_CELLS networks, `runs` rounds each, interleaved; rows named
 * `${prefix}-f64-${where}` (cpu- for the reference, wasm- for the pools).
 */
export async function measureCpuEngines(where: string, pools: CpuPool[], steps: number, runs: number): Promise<Measurement[]> {
  const spec = benchSpec(CPU_CELLS, steps), small = benchSpec(4096, steps);
  for (const pool of pools) {
    await pool.ready();
    await pool.run(benchSpec(4096, 50), 'float64'); // warm-up: every worker's kernel compiled by the optimizing tier
  }
  const rates: number[][] = [[], ...pools.map(() => [])];
  for (let i = 0; i < runs; i++) {
    rates[0].push((await runReference(small, 'float64')).networkStepsPerSecond);
    for (const [p, pool] of pools.entries()) rates[p + 1].push((await pool.run(spec, 'float64')).networkStepsPerSecond);
  }
  return [
    { backend: `cpu-f64-${where}`, cells: 4096, steps, networkStepsPerSecond: stats(rates[0]), note: 'float64 JS reference (the oracle); its cost per network is flat, so one size stands for all' },
    ...pools.map((pool, p) => ({ backend: `wasm-f64-${where}`, cells: CPU_CELLS, steps, networkStepsPerSecond: stats(rates[p + 1]), note: threadsNote(pool) })),
  ];
}

/**
 * Runs `spec` (default: the lr × initScale sweep of `cells` networks) `runs` times on the pool in `arithmetic`, after a
 * warm-up.
 */
export async function measurePool(pool: CpuPool, backend: string, cells: number, steps: number, runs: number, note?: string, spec: SweepSpec = benchSpec(cells, steps), arithmetic: Arithmetic = 'float64'): Promise<Measurement> {
  await pool.ready();
  await pool.run(benchSpec(4096, 50), arithmetic);
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) rates.push((await pool.run(spec, arithmetic)).networkStepsPerSecond);
  return { backend, cells, steps, networkStepsPerSecond: stats(rates), note: note ?? threadsNote(pool) };
}

/** Milliseconds from abort() to the pool's answer, mid-run, over `runs` tries. */
export async function measureCancel(pool: CpuPool, runs: number): Promise<{ medianMs: number; maxMs: number }> {
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const controller = new AbortController();
    let abortedAt = 0;
    await pool.run(benchSpec(262144, 1000), 'float64', {
      signal: controller.signal,
      onProgress: (p) => { if (!abortedAt && p.cellsDone >= 4096) { abortedAt = performance.now(); controller.abort(); } },
    });
    latencies.push(performance.now() - abortedAt);
  }
  const s = stats(latencies);
  return { medianMs: s.median, maxMs: s.max };
}
