/**
 * The WebAssembly MLP kernel's memory layout (wasm/mlp.ts is its truth; test/cpu/mlp-kernel.test.ts holds this mirror
 * to it). From the heap base, 8-byte aligned, one region after another: setups f64[count × MLP_SETUP_LENGTH],
 * starting weights f64[count × W], x f64[P × d], y f64[P × o], batches i32[steps × m] (none for full batch), the
 * outputs (src/cpu/layout.ts outputLayout), then the scratch f64[mlpWorkLength]: h [P × n], slope [P × n], res [P × o],
 * g [m × o], dz [m × n], dW [W], w [W].
 */
import type { MlpProblem } from '../mlp/problem';
import { outputLayout } from './layout';

/** f64 of the kernel's scratch for `problem` (the sizes of h, slope, res, g, dz, dW and w, in that order). */
export function mlpWorkLength(problem: MlpProblem): number {
  const { n, o, points: P, m, weightCount: W } = problem;
  return 2 * P * n + P * o + m * o + m * n + 2 * W;
}

/** Byte offsets (from the base) of a block of `count` cells' regions, and the bytes of all of them. */
export interface MlpRegions { setups: number; weights: number; x: number; y: number; batches: number; outputs: number; work: number; bytes: number }

const align8 = (bytes: number) => Math.ceil(bytes / 8) * 8;

export function mlpRegions(problem: MlpProblem, count: number, setupLength: number): MlpRegions {
  const { d, o, points: P, steps, m, weightCount: W } = problem;
  const setups = 0, weights = setups + 8 * count * setupLength, x = weights + 8 * count * W, y = x + 8 * P * d;
  const batches = y + 8 * P * o, outputs = batches + align8(problem.batches ? 4 * steps * m : 0);
  const work = outputs + outputLayout(count).bytes;
  return { setups, weights, x, y, batches, outputs, work, bytes: work + 8 * mlpWorkLength(problem) };
}
