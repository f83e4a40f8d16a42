/**
 * The MLP family's rows of `npm run bench` (issue 20): the float64 CPU engine (the WebAssembly MLP kernel on every
 * worker thread) and its numpy float64 twin (bench/mlp-numpy.py: the same training batched over networks with matmul,
 * OpenBLAS on the same cores), on the paper's tanh condition (16-16-1 mean-field, P = 272, 100 steps, a 32 × 32
 * lrHidden × lrOutput grid over 0.01 … 10 where no cell diverges, so both do every step). The twin is skipped with a
 * note where python3 with numpy is missing.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createNodePool } from '../src/cli/node-cpu';
import { parseSpec } from '../src/core/spec';
import { measurePool } from './cpu-bench';
import { stats, type Measurement } from './workloads';

const SIDE = 32, STEPS = 100, POINTS = 272;

/** The tanh condition's spec at the bench's size. */
export function mlpBenchSpec() {
  const parsed = parseSpec({
    network: { kind: 'mlp', inputs: 16, width: 16, outputs: 1, activation: 'tanh', scaling: 'mean-field' }, data: { points: POINTS, seed: 1 }, steps: STEPS,
    x: { param: 'lrHidden', min: 0.01, max: 10, count: SIDE, scale: 'log' }, y: { param: 'lrOutput', min: 0.01, max: 10, count: SIDE, scale: 'log' },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.spec;
}

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
