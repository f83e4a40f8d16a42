/**
 * CPU engine measurements, the same in Node (worker threads) and in Chromium (web workers): the WebAssembly kernel on
 * a pool of `threads` workers, over repeated runs, and how long a cancel takes to come back.
 */
import type { CpuPool } from '../src/cpu/pool';
import type { SweepSpec } from '../src/core/spec';
import { benchSpec, stats, type Measurement } from './workloads';

/** Runs `spec` (default: the lr × initScale sweep of `cells` networks) `runs` times on the pool, after a warm-up. */
export async function measurePool(pool: CpuPool, backend: string, cells: number, steps: number, runs: number, note?: string, spec: SweepSpec = benchSpec(cells, steps)): Promise<Measurement> {
  await pool.ready();
  await pool.run(benchSpec(4096, 50), 'f64'); // warm-up: every worker's kernel compiled by the optimizing tier
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) rates.push((await pool.run(spec, 'f64')).networkStepsPerSecond);
  return { backend, cells, steps, networkStepsPerSecond: stats(rates), note: note ?? `${pool.threads} thread${pool.threads === 1 ? '' : 's'}` };
}

/** Milliseconds from abort() to the pool's answer, mid-run, over `runs` tries (median, min, max). */
export async function measureCancel(pool: CpuPool, runs: number): Promise<{ medianMs: number; maxMs: number }> {
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const controller = new AbortController();
    let abortedAt = 0;
    await pool.run(benchSpec(262144, 1000), 'f64', {
      signal: controller.signal,
      onProgress: (p) => { if (!abortedAt && p.cellsDone >= 4096) { abortedAt = performance.now(); controller.abort(); } },
    });
    latencies.push(performance.now() - abortedAt);
  }
  const s = stats(latencies);
  return { medianMs: s.median, maxMs: s.max };
}
