/**
 * Counter-based random initial weights: "lowbias32-counter". Draw j of initialization k under seed s is a pure
 * function of (s, k, j), so the same spec gives the same weights on every machine, in any order, in any worker.
 *
 * lowbias32 is Chris Wellons' 32-bit integer hash (hash-prospector); chaining it over (seed, k, j) gives 32 random
 * bits per draw.
 */

import { log } from './portable-math';

/** lowbias32: a 32-bit → 32-bit integer mixing function with low bias. */
export function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A uniform number in the open interval (0, 1) for draw `j` of initialization `k` under `seed`. */
export function uniform01(seed: number, k: number, j: number): number {
  const bits = lowbias32(lowbias32(lowbias32(seed >>> 0) ^ (k >>> 0)) ^ (j >>> 0));
  return (bits + 0.5) / 4294967296;
}

const A = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
const B = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
const C = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
const D = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];

/**
 * The standard normal quantile Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation (relative error < 1.2e-9),
 * with the portable log and IEEE sqrt, so the same p gives the same bits in every engine.
 */
export function normalQuantile(p: number): number {
  if (p < 0.02425 || p > 0.97575) {
    const q = Math.sqrt(-2 * log(p < 0.5 ? p : 1 - p));
    const x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    return p < 0.5 ? x : -x;
  }
  const q = p - 0.5, r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/**
 * Eight initial weights w1..w8 (into `out`) for initialization `k`: U(−scale, scale) for 'uniform', N(0, scale²) for
 * 'normal' (the normal quantile of draw j), bit-identical in every engine.
 */
export function randomWeights(init: { distribution: 'uniform' | 'normal'; scale: number; seed: number }, k: number, out: Float64Array | number[], offset = 0): void {
  for (let j = 0; j < 8; j++) {
    const u = uniform01(init.seed, k, j);
    out[offset + j] = init.scale * (init.distribution === 'uniform' ? 2 * u - 1 : normalQuantile(u));
  }
}
