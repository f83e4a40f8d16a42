/**
 * The MLP family's CPU rows of `npm run bench` (issue 20; the WGSL rows: bench/gpu-bench.ts measureMlpTrainer): the float64 CPU engine (the WebAssembly MLP kernel on every
 * worker thread) and its numpy float64 twin (bench/mlp-numpy.py: the same training batched over networks with matmul,
 * OpenBLAS on the same cores), on the paper's tanh condition (16-16-1 mean-field, P = 272, 100 steps, a 32 × 32
 * lrHidden × lrOutput grid over 0.01 … 10 where no cell diverges, so both do every step). The twin is skipped with a
 * note where python3 with numpy is missing.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createNodePool } from '../src/cli/node-cpu';
import { measurePool } from './cpu-bench';
import { MLP_BENCH, mlpBenchSpec, stats, type Measurement } from './workloads';

const { side: SIDE, steps: STEPS, points: POINTS } = MLP_BENCH;

/** Records `mlp-wasm-f64-node` (every thread) and `mlp-numpy` (or prints why the twin did not run). */
export async function benchMlpNode(runs: number, record: (m: Measurement) => void): Promise<void> {
  const threads = availableParallelism(), pool = createNodePool(threads);
  try {
    record(await measurePool(pool, 'mlp-wasm-f64-node', SIDE * SIDE, STEPS, runs, `16-16-1 tanh, P = ${POINTS}, ${threads} threads`, mlpBenchSpec()));
  } finally {
    pool.close();
  }
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) {
    const twin = spawnSync('python3', [new URL('./mlp-numpy.py', import.meta.url).pathname, String(SIDE * SIDE), String(STEPS), String(POINTS)], { encoding: 'utf8' });
    if (twin.status !== 0) { console.log(`  mlp-numpy: skipped (python3 with numpy is missing here: ${(twin.stderr || String(twin.error)).trim().split('\n').pop()})`); return; }
    rates.push(JSON.parse(twin.stdout).networkStepsPerSecond);
  }
  record({ backend: 'mlp-numpy', cells: SIDE * SIDE, steps: STEPS, networkStepsPerSecond: stats(rates), note: `numpy float64 twin, batched matmul, OpenBLAS on ${threads} cores` });
}
