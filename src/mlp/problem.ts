/**
 * The MLP's training problem (the fractal paper's network, arXiv 2402.06184): what every cell of an MLP sweep shares
 * (sizes, data, targets, minibatch indices, the initial-weight draws) and the per-cell set-up record. Pure; the same
 * draws in every engine, because they come from the counter-based generator of src/core/random.ts.
 *
 * Layouts (row-major, float64): x [P][d], y [P][o], weights [W0 (d × n, row i = input i) | W1 (n × o)], batches
 * [steps][m] (Int32, point indices in 0 … P − 1).
 */
import { axisValues, gridSize, networkAt } from '../core/grid';
import { parameter } from '../core/parameters';
import { normalQuantile, uniform01 } from '../core/random';
import type { MlpActivation, MlpSweepSpec } from '../core/spec';

/** Everything the cells of one MLP sweep share. */
export interface MlpProblem {
  /** Inputs d, width n, outputs o, data points P, points per gradient m (P for full batch). */
  d: number; n: number; o: number; points: number; m: number;
  activation: MlpActivation;
  /** z = (X·W0) · hiddenScale (1/√d); output = (h·W1) · outputScale (1/n mean-field, 1/√n standard). */
  hiddenScale: number; outputScale: number;
  steps: number; threshold: number;
  /** Add initOffset to W0 before every evaluation instead of once. */
  offsetEveryStep: boolean;
  x: Float64Array; y: Float64Array;
  /** Minibatch indices, steps × m; null for full-batch training (every point, in order). */
  batches: Int32Array | null;
  /** d·n + n·o. */
  weightCount: number;
}

/** A cell's set-up record: [lrHidden, lrOutput, initOffset, initScale, draw] (MLP_SETUP_LENGTH numbers). */
export const MLP_SETUP_FIELDS = ['lrHidden', 'lrOutput', 'initOffset', 'initScale', 'draw'] as const;
export const MLP_SETUP_LENGTH = MLP_SETUP_FIELDS.length;
export const MLP_SETUP = Object.fromEntries(MLP_SETUP_FIELDS.map((f, i) => [f, i])) as { [K in (typeof MLP_SETUP_FIELDS)[number]]: number };

/** Standard normal draws j = 0 … count − 1 of stream k under `seed` (normal quantile of lowbias32-counter uniforms). */
function normals(seed: number, k: number, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let j = 0; j < count; j++) out[j] = normalQuantile(uniform01(seed, k, j));
  return out;
}

/** The shared problem of an MLP sweep: x from stream 0 of data.seed, y from stream 1, batches from minibatch.seed. */
export function mlpProblem(spec: MlpSweepSpec): MlpProblem {
  const { inputs: d, width: n, outputs: o, activation, scaling } = spec.network;
  const P = spec.data.points;
  const m = spec.minibatch?.size ?? P;
  let batches: Int32Array | null = null;
  if (spec.minibatch) {
    batches = new Int32Array(spec.steps * m);
    for (let k = 0; k < spec.steps; k++) for (let q = 0; q < m; q++) batches[k * m + q] = Math.floor(uniform01(spec.minibatch.seed, k, q) * P);
  }
  return {
    d, n, o, points: P, m, activation,
    hiddenScale: 1 / Math.sqrt(d), outputScale: scaling === 'mean-field' ? 1 / n : 1 / Math.sqrt(n),
    steps: spec.steps, threshold: spec.threshold, offsetEveryStep: spec.initOffsetEveryStep,
    x: normals(spec.data.seed, 0, P * d), y: normals(spec.data.seed, 1, P * o), batches, weightCount: d * n + n * o,
  };
}

/**
 * Initial weights of draw k, before the cell's initScale and initOffset: entry j is init.scale · Φ⁻¹(u) (normal) or
 * init.scale · (2u − 1) (uniform) with u = uniform01(init.seed, k, j), over [W0 | W1]. A sweep without a seed axis
 * uses draw 0.
 */
export function mlpInitialWeights(spec: MlpSweepSpec, k: number): Float64Array {
  const { inputs: d, width: n, outputs: o } = spec.network;
  const out = new Float64Array(d * n + n * o);
  for (let j = 0; j < out.length; j++) {
    const u = uniform01(spec.init.seed, k, j);
    out[j] = spec.init.scale * (spec.init.distribution === 'normal' ? normalQuantile(u) : 2 * u - 1);
  }
  return out;
}

/** Draws kept by a drawCache before it starts over (independent replica draws would otherwise keep one per network). */
const CACHED_DRAWS = 4096;

/** mlpInitialWeights(spec, k), each draw computed once while at most CACHED_DRAWS are held. */
export function drawCache(spec: MlpSweepSpec): (k: number) => Float64Array {
  const draws = new Map<number, Float64Array>();
  return (k) => {
    let drawn = draws.get(k);
    if (!drawn) {
      if (draws.size >= CACHED_DRAWS) draws.clear();
      draws.set(k, (drawn = mlpInitialWeights(spec, k)));
    }
    return drawn;
  };
}

/**
 * Returns a function that writes network `index`'s set-up record (MLP_SETUP_LENGTH numbers) into `out` at `offset`:
 * the spec's lrHidden and lrOutput, offset 0, scale 1, draw 0 (a replica's draw in a replica sweep), then each axis's
 * value as its PARAMETERS row says. Network indices are cell indices in a plain sweep (see networkAt).
 */
export function mlpSetupWriter(spec: MlpSweepSpec): (index: number, out: Float64Array, offset?: number) => void {
  const { nx } = gridSize(spec);
  const axes = [spec.x, ...(spec.y ? [spec.y] : [])].map((axis) => ({ values: axisValues(axis), sets: parameter(axis.param).sets }));
  const locate = networkAt(spec);
  return (network, out, o = 0) => {
    const { cell: index, draw } = locate(network);
    const at = [index % nx, Math.floor(index / nx)];
    out[o + MLP_SETUP.lrHidden] = spec.lrHidden; out[o + MLP_SETUP.lrOutput] = spec.lrOutput;
    out[o + MLP_SETUP.initOffset] = 0; out[o + MLP_SETUP.initScale] = 1; out[o + MLP_SETUP.draw] = Math.max(0, draw);
    axes.forEach(({ values, sets }, a) => {
      const v = values[at[a]];
      if (sets === 'draw-weights') out[o + MLP_SETUP.draw] = v;
      else if (sets === 'scale-weights') out[o + MLP_SETUP.initScale] = v;
      else if (sets === 'offset-hidden-weights') out[o + MLP_SETUP.initOffset] = v;
      else for (const field of sets) out[o + MLP_SETUP[field as 'lrHidden' | 'lrOutput']] = v;
    });
  };
}

/** The set-up records of `count` networks (first …, or order[first …]; cells in a plain sweep), MLP_SETUP_LENGTH numbers each. */
export function writeMlpSetups(spec: MlpSweepSpec, first: number, count: number, out: Float64Array, order?: ArrayLike<number>): Float64Array {
  const write = mlpSetupWriter(spec);
  for (let c = 0; c < count; c++) write(order ? order[first + c] : first + c, out, c * MLP_SETUP_LENGTH);
  return out;
}
