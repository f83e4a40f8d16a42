import { describe, expect, it } from 'vitest';
import { exp, expm1, log, tanh } from '../../src/core/portable-math';

/** Distance in units in the last place between two doubles of the same sign. */
function ulps(a: number, b: number): number {
  const v = new DataView(new ArrayBuffer(16));
  v.setFloat64(0, a); v.setFloat64(8, b);
  return Number(v.getBigInt64(0) - v.getBigInt64(8)) * (a < 0 ? -1 : 1);
}

describe('portable exp and log (fdlibm ports)', () => {
  // Against the engine's libm: both are within 1 ulp of the true value, so they differ by at most 1 ulp.
  it('exp is within 1 ulp of Math.exp from −745 to 709', () => {
    for (let x = -745; x < 709.7; x += 0.0137) expect(Math.abs(ulps(exp(x), Math.exp(x))), `exp(${x})`).toBeLessThanOrEqual(1);
    for (const x of [1e-300, -1e-10, 1e-9, 0.3, 0.35, 0.5, 1, 1.04, 2.5]) expect(Math.abs(ulps(exp(x), Math.exp(x)))).toBeLessThanOrEqual(1);
  });

  it('log is within 1 ulp of Math.log from 1e-310 to 1e300', () => {
    for (let e = -310; e < 300; e += 0.0173) { const x = 10 ** e; expect(Math.abs(ulps(log(x), Math.log(x))), `log(${x})`).toBeLessThanOrEqual(1); }
    for (const x of [0.5, 0.9999999, 1.0000001, 2, 3.3, 100]) expect(Math.abs(ulps(log(x), Math.log(x)))).toBeLessThanOrEqual(1);
  });

  // V8's Math.tanh and Math.expm1 are fdlibm's too (src/base/ieee754.cc), so in Node they agree bit for bit; the ports
  // exist so that every engine, and the WebAssembly kernel, gives these same bits.
  it('tanh and expm1 equal Node\'s Math.tanh and Math.expm1 from −30 to 30 and on tiny arguments', () => {
    for (let x = -30; x < 30; x += 0.00731) {
      expect(tanh(x), `tanh(${x})`).toBe(Math.tanh(x));
      expect(expm1(x), `expm1(${x})`).toBe(Math.expm1(x));
    }
    for (let e = -320; e < 0; e += 0.37) for (const x of [10 ** e, -(10 ** e)]) expect(tanh(x), `tanh(${x})`).toBe(Math.tanh(x));
    for (const x of [-1000, -710, -40, 40, 709, 710, 1000]) expect(expm1(x), `expm1(${x})`).toBe(Math.expm1(x));
  });

  it('tanh handles the edges like Math.tanh', () => {
    expect([tanh(0), tanh(-0), tanh(22), tanh(-22), tanh(Infinity), tanh(-Infinity)]).toEqual([0, -0, 1, -1, 1, -1]);
    expect(tanh(NaN)).toBeNaN();
  });

  it('handles the edges like Math.exp and Math.log', () => {
    expect([exp(0), exp(-Infinity), exp(Infinity), exp(710), exp(-746)]).toEqual([1, 0, Infinity, Infinity, 0]);
    expect(exp(NaN)).toBeNaN();
    expect([log(1), log(0), log(Infinity), log(Math.E)]).toEqual([0, -Infinity, Infinity, 1]);
    expect(log(-1)).toBeNaN();
  });
});
