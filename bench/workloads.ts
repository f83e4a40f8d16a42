/**
 * What the benchmark measures, shared by the Node and browser sides: the sweep of a given size, the arithmetic per
 * network-step, and summary statistics.
 */
import { parseSpec, type SweepSpec } from '../src/core/spec';

/** Networks per benchmark size: 4k, 64k, 256k, 1M. */
export const SIZES = [4096, 65536, 262144, 1048576];
export const STEPS = 1000;

/**
 * Arithmetic per network-step of shaders/train.wgsl (sigmoid), counted from the source: forward 34 FLOP (4 pre-
 * activations × 4, 4 sigmoids × 3 besides the exp, 2 errors, loss 4), backward 44 (2 output deltas × 4, 2 hidden
 * deltas × 6, 8 updates × 3). Divisions count as 1 FLOP, though they cost more. The "about 64" predates
 * the count. Loss bookkeeping (bit tests, min, compare) is not counted.
 */
export const FLOP_PER_STEP = 78;
export const EXP_PER_STEP = 4;

/** The learning rate × init scale sweep with `cells` networks (a power-of-two grid, x the longer side). */
export function benchSpec(cells: number, steps = STEPS): SweepSpec {
  const nx = 2 ** Math.ceil(Math.log2(Math.sqrt(cells))), ny = cells / nx;
  const r = parseSpec({ steps, x: { param: 'lr', min: 0.01, max: 100, count: nx, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 10, count: ny, scale: 'log' } });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec;
}

/**
 * The float64 deep-zoom view of issue 9: five 4× zooms into "hidden × output lr (fractal)" (tanh, eva), where training
 * is chaotic and float32 cannot decide single cells; 256² × 1000.
 */
export function deepZoomSpec(): SweepSpec {
  const r = parseSpec({ preset: 'eva', activation: 'tanh', steps: 1000, x: { param: 'lrHidden', min: 25.51378451718168, max: 25.689329733446083, count: 256, scale: 'log' }, y: { param: 'lrOutput', min: 25.143918043434695, max: 25.3144595435024, count: 256, scale: 'log' } });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec;
}

/** The MLP rows' workload: the paper's tanh condition (16-16-1 mean-field, P = 272), 100 steps, 32 × 32 lrHidden × lrOutput over 0.01 … 10 (no cell diverges, so every engine does every step). */
export const MLP_BENCH = { side: 32, steps: 100, points: 272, inputs: 16, width: 16, outputs: 1 } as const;

/** The MLP bench's spec. */
export function mlpBenchSpec(): SweepSpec {
  const { side, steps, points, inputs, width, outputs } = MLP_BENCH;
  const r = parseSpec({
    network: { kind: 'mlp', inputs, width, outputs, activation: 'tanh', scaling: 'mean-field' }, data: { points, seed: 1 }, steps,
    x: { param: 'lrHidden', min: 0.01, max: 10, count: side, scale: 'log' }, y: { param: 'lrOutput', min: 0.01, max: 10, count: side, scale: 'log' },
  });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec;
}

/**
 * Multiply-add arithmetic of one full-batch MLP network-step, per point: the hidden sums 2·d·n, the outputs 2·n·o, then
 * dW1 2·n·o, the hidden deltas 2·n·o and dW0 2·d·n (the tanh, scalings and the update not counted): 4·d·n + 6·n·o.
 */
export const MLP_FLOP_PER_STEP = MLP_BENCH.points * (4 * MLP_BENCH.inputs * MLP_BENCH.width + 6 * MLP_BENCH.width * MLP_BENCH.outputs);

export interface Stats { runs: number; median: number; min: number; max: number; spread: number }

/** Median, min, max and spread = (max − min) / median of repeated measurements. */
export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { runs: values.length, median, min: sorted[0], max: sorted[sorted.length - 1], spread: (sorted[sorted.length - 1] - sorted[0]) / median };
}

/** One measured configuration: network-steps per second over repeated runs. */
export interface Measurement {
  backend: string;
  cells: number;
  steps: number;
  networkStepsPerSecond: Stats;
  note?: string;
}
