import { describe, expect, it } from 'vitest';
import { lowbias32, randomWeights, uniform01 } from '../../src/core/random';

describe('lowbias32-counter', () => {
  it('is a pure function of (seed, k, j)', () => {
    expect(uniform01(7, 3, 5)).toBe(uniform01(7, 3, 5));
    expect(uniform01(7, 3, 5)).not.toBe(uniform01(7, 3, 6));
    expect(uniform01(7, 3, 5)).not.toBe(uniform01(8, 3, 5));
  });

  it('maps to 32-bit unsigned integers and stays in (0, 1)', () => {
    for (let i = 0; i < 1000; i++) {
      const h = lowbias32(i * 2654435761);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
      const u = uniform01(1, i, 0);
      expect(u > 0 && u < 1).toBe(true);
    }
  });

  // 20,000 draws: the sample mean's standard error is 0.58·scale/√20000 ≈ 0.004·scale; 5 standard errors ≈ 0.02.
  const draws = (distribution: 'uniform' | 'normal', scale: number) => {
    const all: number[] = [], w = new Float64Array(8);
    for (let k = 0; k < 2500; k++) { randomWeights({ distribution, scale, seed: 42 }, k, w); all.push(...w); }
    const mean = all.reduce((a, b) => a + b) / all.length;
    const variance = all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length;
    return { all, mean, variance };
  };

  it('uniform: U(−scale, scale) with mean 0 and variance scale²/3', () => {
    const { all, mean, variance } = draws('uniform', 2);
    expect(Math.max(...all.map(Math.abs))).toBeLessThan(2);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeCloseTo(4 / 3, 1);
  });

  it('normal: N(0, scale²)', () => {
    const { mean, variance } = draws('normal', 0.5);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(variance).toBeCloseTo(0.25, 1);
  });
});
