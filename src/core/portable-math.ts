/**
 * exp and log that give the same bits in every JavaScript engine. Math.exp and Math.log differ in the last bit between
 * V8 versions (Chrome 156 and Node 20 disagree on 7 of 60 sample values), so axis values, random weights and the
 * reference's sigmoid would differ between the page and the command line. These are ports of fdlibm's e_exp.c and
 * e_log.c (Sun Microsystems, 1993: "Permission to use, copy, modify, and distribute this software is freely granted,
 * provided that this notice is preserved"), using only + − × ÷ and exponent bit operations, which IEEE 754 rounds
 * identically everywhere. Error < 1 ulp. tanh (with the expm1 it needs) is fdlibm's s_tanh.c, bit-identical to
 * Node's Math.tanh on 3·10⁶ sampled values; the WebAssembly engine (wasm/train.ts) ports the same code.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer); // little-endian: [low, high]
const high = (x: number) => { f64[0] = x; return u32[1] | 0; };
const withHigh = (x: number, hi: number) => { f64[0] = x; u32[1] = hi >>> 0; return f64[0]; };

const LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10, INV_LN2 = 1.44269504088896338700e+00;
const P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03, P3 = 6.61375632143793436117e-05;
const P4 = -1.65339022054652515390e-06, P5 = 4.13813679705723846039e-08;

/** e^x, bit-identical in every engine. */
export function exp(x: number): number {
  let hx = high(x);
  const negative = hx < 0;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) { // |x| ≥ 709.78
    if (Number.isNaN(x)) return x;
    if (x === Infinity) return Infinity;
    if (x === -Infinity) return 0;
    if (x > 7.09782712893383973096e+02) return Infinity;
    if (x < -7.45133219101941108420e+02) return 0;
  }
  let hi = 0, lo = 0, k = 0;
  if (hx > 0x3fd62e42) { // |x| > 0.5 ln2
    if (hx < 0x3ff0a2b2) { // |x| < 1.5 ln2
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = Math.trunc(INV_LN2 * x + (negative ? -0.5 : 0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) { // |x| < 2^-28
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - ((lo - (x * c) / (2 - c)) - hi);
  if (k >= -1021) return withHigh(y, high(y) + (k << 20));
  return withHigh(y, high(y) + ((k + 1000) << 20)) * 2 ** -1000;
}

const LG1 = 6.666666666666735130e-01, LG2 = 3.999999999940941908e-01, LG3 = 2.857142874366239149e-01;
const LG4 = 2.222219843214978396e-01, LG5 = 1.818357216161805012e-01, LG6 = 1.531383769920937332e-01;
const LG7 = 1.479819860511658591e-01;

/** ln x, bit-identical in every engine. */
export function log(x: number): number {
  let hx = high(x);
  let k = 0;
  if (hx < 0x00100000) { // x < 2^-1022: zero, negative or subnormal
    if (x === 0) return -Infinity;
    if (x < 0 || Number.isNaN(x)) return NaN;
    k -= 54;
    x *= 1.80143985094819840000e+16; // 2^54
    hx = high(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = withHigh(x, hx | (i ^ 0x3ff00000)); // x or x/2, in [√2/2, √2)
  k += i >> 20;
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) { // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : k * LN2_HI - ((r - k * LN2_LO) - f);
  }
  const s = f / (2 + f);
  const z = s * s, w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f);
  }
  return k === 0 ? f - s * (f - r) : k * LN2_HI - ((s * (f - r) - k * LN2_LO) - f);
}

const Q1 = -3.33333333333331316428e-02, Q2 = 1.58730158725481460165e-03, Q3 = -7.93650757867487942473e-05;
const Q4 = 4.00821782732936239552e-06, Q5 = -2.01099218183624371326e-07;

/** e^x − 1, bit-identical in every engine (fdlibm's s_expm1.c, whose only use here is tanh). */
export function expm1(x: number): number {
  let hx = high(x);
  const negative = hx < 0;
  hx &= 0x7fffffff;
  if (hx >= 0x4043687a) { // |x| ≥ 56 ln2
    if (hx >= 0x40862e42) { // |x| ≥ 709.78
      if (Number.isNaN(x)) return x;
      if (x === Infinity) return Infinity;
      if (x === -Infinity) return -1;
      if (x > 7.09782712893383973096e+02) return Infinity;
    }
    if (negative) return -1;
  }
  let hi = 0, lo = 0, k = 0, c = 0;
  if (hx > 0x3fd62e42) { // |x| > 0.5 ln2
    if (hx < 0x3ff0a2b2) { // |x| < 1.5 ln2
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = Math.trunc(INV_LN2 * x + (negative ? -0.5 : 0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (hx < 0x3c900000) { // |x| < 2^-54
    return x;
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  const t = 3 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6 - x * t));
  if (k === 0) return x - (x * e - hxs);
  e = x * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) return x < -0.25 ? -2 * (e - (x + 0.5)) : 1 + 2 * (x - e);
  if (k <= -2 || k > 56) {
    const y = 1 - (e - x);
    return withHigh(y, high(y) + (k << 20)) - 1;
  }
  if (k < 20) {
    const y = withHigh(1, 0x3ff00000 - (0x200000 >> k)) - (e - x); // 1 − 2^-k − (e − x)
    return withHigh(y, high(y) + (k << 20));
  }
  const y = x - (e + withHigh(1, (0x3ff - k) << 20)) + 1; // x − (e + 2^-k) + 1
  return withHigh(y, high(y) + (k << 20));
}

/**
 * tanh x, bit-identical in every engine (fdlibm's s_tanh.c, as V8's Math.tanh is): the float64 reference's tanh, so
 * that the page, the command line and the WebAssembly engine agree to the bit.
 */
export function tanh(x: number): number {
  const hx = high(x) & 0x7fffffff;
  if (Number.isNaN(x)) return x;
  if (hx >= 0x40360000) return x > 0 ? 1 : -1; // |x| ≥ 22, ±∞ included
  if (hx < 0x3e300000) return x; // |x| < 2^-28
  const a = Math.abs(x);
  let z: number;
  if (hx >= 0x3ff00000) z = 1 - 2 / (expm1(2 * a) + 2); // |x| ≥ 1
  else { const t = expm1(-2 * a); z = -t / (t + 2); }
  return x < 0 ? -z : z;
}
