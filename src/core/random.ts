/**
 * Counter-based random initial weights: "lowbias32-counter". Draw j of initialization k under seed s is a pure
 * function of (s, k, j), so the same spec gives the same weights on every machine, in any order, in any worker.
 *
 * lowbias32 is Chris Wellons' 32-bit integer hash (hash-prospector); chaining it over (seed, k, j) gives 32 random
 * bits per draw.
 */

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

/**
 * Eight initial weights w1..w8 (into `out`) for initialization `k`: U(−scale, scale) for 'uniform', N(0, scale²) for
 * 'normal' (Box–Muller on draws j and j + 8).
 */
export function randomWeights(init: { distribution: 'uniform' | 'normal'; scale: number; seed: number }, k: number, out: Float64Array | number[], offset = 0): void {
  for (let j = 0; j < 8; j++) {
    const u = uniform01(init.seed, k, j);
    out[offset + j] = init.distribution === 'uniform'
      ? init.scale * (2 * u - 1)
      : init.scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform01(init.seed, k, j + 8));
  }
}
