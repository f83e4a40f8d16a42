/**
 * Random sweep specs for the bit-identity tests: every activation and preset, every axis parameter, ranges that reach
 * divergence, overflow and subnormal numbers. A seeded generator, so a failure names the seed that reproduces it.
 */
import { overlap } from '../../src/core/parameters';
import { AXIS_PARAMS, parseSpec, type SweepSpec } from '../../src/core/spec';
import { ACTIVATIONS } from '../../src/core/network';
import { PRESET_NAMES } from '../../src/core/presets';

/** mulberry32: a small seeded generator of uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Magnitudes an axis may span: ordinary, large enough to diverge, and down into the subnormals. */
const RANGES: Array<[number, number]> = [[0.01, 10], [0.1, 100], [1, 1e4], [1e-320, 1e-300], [1e100, 1e300], [1e-3, 1e3]];

/** A random valid spec with about `cells` cells. */
export function randomSpec(random: () => number, cells: number): SweepSpec {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const params = AXIS_PARAMS.filter((p) => p !== 'lrHidden' && p !== 'lrOutput' || random() < 0.5);
  const x = pick(params);
  const y = pick(params.filter((p) => !overlap(p, x)));
  const side = Math.max(1, Math.round(Math.sqrt(cells)));
  const axis = (param: string) => {
    if (param === 'seed') return { param, count: side };
    if (param === 'momentum') return { param, min: 0, max: 0.99, count: side, scale: 'linear' };
    const [lo, hi] = pick(RANGES);
    const negative = !param.startsWith('lr') && param !== 'initScale' && random() < 0.3;
    if (random() < 0.2) return { param, values: Array.from({ length: side }, () => (negative ? -1 : 1) * lo * (hi / lo) ** random()) };
    return negative
      ? { param, min: -hi, max: hi, count: side, scale: 'linear' }
      : { param, min: lo, max: hi, count: side, scale: random() < 0.7 ? 'log' : 'linear' };
  };
  const r = parseSpec({
    preset: pick(PRESET_NAMES),
    activation: pick(ACTIVATIONS),
    steps: 1 + Math.floor(random() * 300),
    threshold: 10 ** (-1 - 8 * random()),
    lr: 10 ** (2 * random() - 1) * (random() < 0.2 ? 100 : 1),
    momentum: random() < 0.3 ? 0.99 * random() : 0,
    init: { distribution: random() < 0.5 ? 'uniform' : 'normal', scale: 10 ** (2 * random() - 1), seed: Math.floor(random() * 1000) },
    x: axis(x),
    y: axis(y),
  });
  if (!r.ok) throw new Error(`randomSpec made an invalid spec: ${r.errors.join('; ')}`);
  return r.spec;
}
