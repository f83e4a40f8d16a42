// fdlibm's exp, expm1 and tanh, ported op for op from src/core/portable-math.ts (which ports e_exp.c, s_expm1.c
// and s_tanh.c; Sun Microsystems 1993, "Permission to use, copy, modify, and distribute this software is freely
// granted, provided that this notice is preserved"). Same operations in the same order, so every result has the same
// bits as the TypeScript oracle. expV is the same exp on two lanes at once, branch-free: every lane computes the
// general path and the special cases are selected after, which gives the same bits (see the comments there).

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;
const O_THRESHOLD: f64 = 7.09782712893383973096e+02;
const U_THRESHOLD: f64 = -7.45133219101941108420e+02;
const TWO_M1000: f64 = 9.332636185032189e-302; // 2^-1000

@inline function high(x: f64): i32 { return <i32>(reinterpret<u64>(x) >>> 32); }
@inline function withHigh(x: f64, hi: i32): f64 {
  return reinterpret<f64>((reinterpret<u64>(x) & 0xffffffff) | (<u64><u32>hi << 32));
}

/** e^x (fdlibm e_exp.c). */
export function exp(x: f64): f64 {
  let hx = high(x);
  const negative = hx < 0;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (isNaN(x)) return x;
    if (x == Infinity) return Infinity;
    if (x == -Infinity) return 0;
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  let hi: f64 = 0, lo: f64 = 0, k: i32 = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      const kf = trunc<f64>(INV_LN2 * x + (negative ? -0.5 : 0.5));
      k = <i32>kf;
      hi = x - kf * LN2_HI;
      lo = kf * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - ((lo - (x * c) / (2 - c)) - hi);
  if (k >= -1021) return withHigh(y, high(y) + (k << 20));
  return withHigh(y, high(y) + ((k + 1000) << 20)) * TWO_M1000;
}

/**
 * e^x on both lanes, the same bits as exp() on each. Lanes with 2^-28 ≤ |x| ≤ 700 (all of them, in practice) take a
 * branch-free path; otherwise both lanes go through exp(). Why the branch-free path gives exp()'s bits: for
 * |x| ≤ 0.5 ln2 (by the high word) k is forced to 0, and then hi = x, lo = 0 and 1 − ((0 − q) − x) equals exp()'s
 * 1 − (−q − x) exactly (q = xc/(2 − c), and c − 2 = −(2 − c) exactly); for 0.5 ln2 < |x| < 1.5 ln2,
 * trunc(x/ln2 ± 0.5) is exactly ±1, the special case's k; 2^k is applied as exp() applies it, by adding k to the
 * exponent field (k ≥ −1010 here, so never exp()'s 2^-1000 detour). Calling exp() for the rare lanes measured faster
 * than selecting its special cases branch-free (45 against 38 M network-steps/s, sigmoid).
 */
@inline export function expV(x: v128): v128 {
  const magnitude = v128.and(x, lanes(ABS_MASK));
  const usual = v128.and(f64x2.ge(magnitude, lanes(TINY)), f64x2.le(magnitude, lanes(USUAL_MAX)));
  if (i64x2.bitmask(usual) != 3) {
    return f64x2.replace_lane(f64x2.splat(exp(f64x2.extract_lane(x, 0))), 1, exp(f64x2.extract_lane(x, 1)));
  }
  const half = v128.or(v128.andnot(x, lanes(ABS_MASK)), lanes(HALF)); // ±0.5 with the sign of x
  const kf = v128.and(f64x2.trunc(f64x2.add(f64x2.mul(lanes(INV_LN2_V), x), half)), f64x2.ge(magnitude, lanes(REDUCE_MIN)));
  const hi = f64x2.sub(x, f64x2.mul(kf, lanes(LN2_HI_V)));
  const lo = f64x2.mul(kf, lanes(LN2_LO_V));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  const poly = f64x2.add(lanes(P4_V), f64x2.mul(t, lanes(P5_V)));
  const poly3 = f64x2.add(lanes(P3_V), f64x2.mul(t, poly));
  const poly2 = f64x2.add(lanes(P2_V), f64x2.mul(t, poly3));
  const poly1 = f64x2.add(lanes(P1_V), f64x2.mul(t, poly2));
  const c = f64x2.sub(r, f64x2.mul(t, poly1));
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(lanes(TWO), c));
  const y = f64x2.sub(lanes(ONE), f64x2.sub(f64x2.sub(lo, q), hi));
  // k << 52 without a float → int conversion: kf + 1.5·2^52 holds k in its low mantissa bits (two's complement), and
  // the constant's own bits vanish when shifted left by 52.
  return i64x2.add(y, i64x2.shl(f64x2.add(kf, lanes(ROUNDING_MAGIC)), 52));
}

/**
 * expV of x1 and x2 into memory at out1 and out2, each constant loaded once for both: the same bits as two expV
 * calls, with half the constant loads (V8 reloads a constant from memory at every use).
 */
@inline export function expVPair(x1: v128, x2: v128, out1: usize, out2: usize): void {
  const absMask = lanes(ABS_MASK);
  const m1 = v128.and(x1, absMask), m2 = v128.and(x2, absMask);
  const tiny = lanes(TINY), usualMax = lanes(USUAL_MAX);
  const usual = v128.and(v128.and(f64x2.ge(m1, tiny), f64x2.le(m1, usualMax)), v128.and(f64x2.ge(m2, tiny), f64x2.le(m2, usualMax)));
  if (i64x2.bitmask(usual) != 3) {
    v128.store(out1, expV(x1));
    v128.store(out2, expV(x2));
    return;
  }
  const half = lanes(HALF), invLn2 = lanes(INV_LN2_V), reduceMin = lanes(REDUCE_MIN);
  const kf1 = v128.and(f64x2.trunc(f64x2.add(f64x2.mul(invLn2, x1), v128.or(v128.andnot(x1, absMask), half))), f64x2.ge(m1, reduceMin));
  const kf2 = v128.and(f64x2.trunc(f64x2.add(f64x2.mul(invLn2, x2), v128.or(v128.andnot(x2, absMask), half))), f64x2.ge(m2, reduceMin));
  const ln2Hi = lanes(LN2_HI_V), ln2Lo = lanes(LN2_LO_V);
  const hi1 = f64x2.sub(x1, f64x2.mul(kf1, ln2Hi)), hi2 = f64x2.sub(x2, f64x2.mul(kf2, ln2Hi));
  const lo1 = f64x2.mul(kf1, ln2Lo), lo2 = f64x2.mul(kf2, ln2Lo);
  const r1 = f64x2.sub(hi1, lo1), r2 = f64x2.sub(hi2, lo2);
  const t1 = f64x2.mul(r1, r1), t2 = f64x2.mul(r2, r2);
  const p5 = lanes(P5_V), p4 = lanes(P4_V);
  let a1 = f64x2.add(p4, f64x2.mul(t1, p5)), a2 = f64x2.add(p4, f64x2.mul(t2, p5));
  const p3 = lanes(P3_V);
  a1 = f64x2.add(p3, f64x2.mul(t1, a1)); a2 = f64x2.add(p3, f64x2.mul(t2, a2));
  const p2 = lanes(P2_V);
  a1 = f64x2.add(p2, f64x2.mul(t1, a1)); a2 = f64x2.add(p2, f64x2.mul(t2, a2));
  const p1 = lanes(P1_V);
  a1 = f64x2.add(p1, f64x2.mul(t1, a1)); a2 = f64x2.add(p1, f64x2.mul(t2, a2));
  const c1 = f64x2.sub(r1, f64x2.mul(t1, a1)), c2 = f64x2.sub(r2, f64x2.mul(t2, a2));
  const two = lanes(TWO);
  const q1 = f64x2.div(f64x2.mul(r1, c1), f64x2.sub(two, c1)), q2 = f64x2.div(f64x2.mul(r2, c2), f64x2.sub(two, c2));
  const one = lanes(ONE);
  const y1 = f64x2.sub(one, f64x2.sub(f64x2.sub(lo1, q1), hi1)), y2 = f64x2.sub(one, f64x2.sub(f64x2.sub(lo2, q2), hi2));
  const magic = lanes(ROUNDING_MAGIC);
  v128.store(out1, i64x2.add(y1, i64x2.shl(f64x2.add(kf1, magic), 52)));
  v128.store(out2, i64x2.add(y2, i64x2.shl(f64x2.add(kf2, magic), 52)));
}

// expV's constants as two-lane values in memory, one 16-byte slot each: V8 rebuilds a v128 constant with three or
// four instructions at every use inside a loop, where a load is one.
const ABS_MASK = 0, TINY = 1, USUAL_MAX = 2, REDUCE_MIN = 3, INV_LN2_V = 5, LN2_HI_V = 6, LN2_LO_V = 7;
const P1_V = 8, P2_V = 9, P3_V = 10, P4_V = 11, P5_V = 12, TWO = 13, ROUNDING_MAGIC = 15;
export const HALF = 4, ONE = 14, ZERO = 16;
const CONSTANTS = memory.data<u64>([ // each value twice: one per lane
  0x7fffffffffffffff, 0x7fffffffffffffff,
  0x3e30000000000000, 0x3e30000000000000, // 2^-28: below, exp() returns 1 + x
  reinterpret<u64>(700.0), reinterpret<u64>(700.0),
  0x3fd62e4300000000, 0x3fd62e4300000000, // the smallest |x| whose high word exceeds 0x3fd62e42
  reinterpret<u64>(0.5), reinterpret<u64>(0.5),
  reinterpret<u64>(INV_LN2), reinterpret<u64>(INV_LN2),
  reinterpret<u64>(LN2_HI), reinterpret<u64>(LN2_HI),
  reinterpret<u64>(LN2_LO), reinterpret<u64>(LN2_LO),
  reinterpret<u64>(P1), reinterpret<u64>(P1),
  reinterpret<u64>(P2), reinterpret<u64>(P2),
  reinterpret<u64>(P3), reinterpret<u64>(P3),
  reinterpret<u64>(P4), reinterpret<u64>(P4),
  reinterpret<u64>(P5), reinterpret<u64>(P5),
  reinterpret<u64>(2.0), reinterpret<u64>(2.0),
  reinterpret<u64>(1.0), reinterpret<u64>(1.0),
  0x4338000000000000, 0x4338000000000000, // 1.5 · 2^52
  0, 0,
], 16);

/** Constant `index` of CONSTANTS, on both lanes. */
@inline export function lanes(index: i32): v128 {
  return v128.load(CONSTANTS + (<usize>index << 4));
}

const Q1: f64 = -3.33333333333331316428e-02;
const Q2: f64 = 1.58730158725481460165e-03;
const Q3: f64 = -7.93650757867487942473e-05;
const Q4: f64 = 4.00821782732936239552e-06;
const Q5: f64 = -2.01099218183624371326e-07;

/** e^x − 1 (fdlibm s_expm1.c). */
export function expm1(x: f64): f64 {
  let hx = high(x);
  const negative = hx < 0;
  hx &= 0x7fffffff;
  if (hx >= 0x4043687a) {
    if (hx >= 0x40862e42) {
      if (isNaN(x)) return x;
      if (x == Infinity) return Infinity;
      if (x == -Infinity) return -1;
      if (x > O_THRESHOLD) return Infinity;
    }
    if (negative) return -1;
  }
  let hi: f64 = 0, lo: f64 = 0, k: i32 = 0, c: f64 = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      const kf = trunc<f64>(INV_LN2 * x + (negative ? -0.5 : 0.5));
      k = <i32>kf;
      hi = x - kf * LN2_HI;
      lo = kf * LN2_LO;
    }
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (hx < 0x3c900000) {
    return x;
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  const t = 3 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6 - x * t));
  if (k == 0) return x - (x * e - hxs);
  e = x * (e - c) - c;
  e -= hxs;
  if (k == -1) return 0.5 * (x - e) - 0.5;
  if (k == 1) return x < -0.25 ? -2 * (e - (x + 0.5)) : 1 + 2 * (x - e);
  if (k <= -2 || k > 56) {
    const y = 1 - (e - x);
    return withHigh(y, high(y) + (k << 20)) - 1;
  }
  if (k < 20) {
    const y = withHigh(1, 0x3ff00000 - (0x200000 >> k)) - (e - x);
    return withHigh(y, high(y) + (k << 20));
  }
  const y = x - (e + withHigh(1, (0x3ff - k) << 20)) + 1;
  return withHigh(y, high(y) + (k << 20));
}

/** tanh x (fdlibm s_tanh.c). */
export function tanh(x: f64): f64 {
  const hx = high(x) & 0x7fffffff;
  if (isNaN(x)) return x;
  if (hx >= 0x40360000) return x > 0 ? 1 : -1;
  if (hx < 0x3e300000) return x;
  const a = abs<f64>(x);
  let z: f64;
  if (hx >= 0x3ff00000) z = 1 - 2 / (expm1(2 * a) + 2);
  else { const t = expm1(-2 * a); z = -t / (t + 2); }
  return x < 0 ? -z : z;
}

/**
 * tanh on both lanes, the same bits as tanh() on each. Lanes with 2^-28 ≤ |x| < 22 (all of them, in practice) take a
 * branch-free path: tanh()'s e = expm1(±2|x|) with every case of s_expm1.c computed and the lane's own selected (each
 * case's operations are tanh()'s; k = ±1 by the same reduction as expV, see there; 2^-k and 1 − 2^-k, which s_expm1.c
 * builds by setting high words, are exact, and adding k to the exponent field is adding k << 52 to the 64-bit
 * pattern). Other lanes send both through tanh().
 */
export function tanhV(x: v128): v128 {
  const a = v128.and(x, lanes(ABS_MASK));
  const usual = v128.and(f64x2.ge(a, lanes(TINY)), f64x2.lt(a, f64x2.splat(22)));
  if (i64x2.bitmask(usual) != 3) return f64x2.replace_lane(f64x2.splat(tanh(f64x2.extract_lane(x, 0))), 1, tanh(f64x2.extract_lane(x, 1)));
  const one = lanes(ONE), two = lanes(TWO);
  const big = f64x2.ge(a, one);
  const arg = v128.bitselect(f64x2.mul(two, a), f64x2.mul(f64x2.splat(-2), a), big);
  const e = expm1Usual(arg);
  const zBig = f64x2.sub(one, f64x2.div(two, f64x2.add(e, two)));
  const zSmall = f64x2.div(f64x2.neg(e), f64x2.add(e, two));
  const z = v128.bitselect(zBig, zSmall, big);
  return v128.bitselect(f64x2.neg(z), z, f64x2.lt(x, lanes(ZERO)));
}

/** expm1 on both lanes for 2^-54 ≤ |x| < 709 (no early returns of s_expm1.c there, but every k case). */
@inline function expm1Usual(x: v128): v128 {
  const magnitude = v128.and(x, lanes(ABS_MASK));
  const half = v128.or(v128.andnot(x, lanes(ABS_MASK)), lanes(HALF));
  const kf = v128.and(f64x2.trunc(f64x2.add(f64x2.mul(lanes(INV_LN2_V), x), half)), f64x2.ge(magnitude, lanes(REDUCE_MIN)));
  const hi = f64x2.sub(x, f64x2.mul(kf, lanes(LN2_HI_V)));
  const lo = f64x2.mul(kf, lanes(LN2_LO_V));
  const xr = f64x2.sub(hi, lo);
  const c = f64x2.sub(f64x2.sub(hi, xr), lo);
  const hfx = f64x2.mul(lanes(HALF), xr);
  const hxs = f64x2.mul(xr, hfx);
  let p = f64x2.add(f64x2.splat(Q4), f64x2.mul(hxs, f64x2.splat(Q5)));
  p = f64x2.add(f64x2.splat(Q3), f64x2.mul(hxs, p));
  p = f64x2.add(f64x2.splat(Q2), f64x2.mul(hxs, p));
  p = f64x2.add(f64x2.splat(Q1), f64x2.mul(hxs, p));
  const one = lanes(ONE), two = lanes(TWO);
  const r1 = f64x2.add(one, f64x2.mul(hxs, p));
  const t = f64x2.sub(f64x2.splat(3), f64x2.mul(r1, hfx));
  const e = f64x2.mul(hxs, f64x2.div(f64x2.sub(r1, t), f64x2.sub(f64x2.splat(6), f64x2.mul(xr, t))));
  const k0 = f64x2.sub(xr, f64x2.sub(f64x2.mul(xr, e), hxs));
  const e2 = f64x2.sub(f64x2.sub(f64x2.mul(xr, f64x2.sub(e, c)), c), hxs);
  const kMinus1 = f64x2.sub(f64x2.mul(lanes(HALF), f64x2.sub(xr, e2)), lanes(HALF));
  const kPlus1 = v128.bitselect(
    f64x2.mul(f64x2.splat(-2), f64x2.sub(e2, f64x2.add(xr, lanes(HALF)))),
    f64x2.add(one, f64x2.mul(two, f64x2.sub(xr, e2))),
    f64x2.lt(xr, f64x2.splat(-0.25)));
  const shift = i64x2.shl(f64x2.add(kf, lanes(ROUNDING_MAGIC)), 52); // k << 52
  const twoMinusK = i64x2.sub(one, shift); // 2^-k
  const far = f64x2.sub(i64x2.add(f64x2.sub(one, f64x2.sub(e2, xr)), shift), one);
  const low = i64x2.add(f64x2.sub(f64x2.sub(one, twoMinusK), f64x2.sub(e2, xr)), shift);
  const mid = i64x2.add(f64x2.add(f64x2.sub(xr, f64x2.add(e2, twoMinusK)), one), shift);
  let r = v128.bitselect(low, mid, f64x2.lt(kf, f64x2.splat(20)));
  r = v128.bitselect(far, r, v128.or(f64x2.le(kf, f64x2.splat(-2)), f64x2.gt(kf, f64x2.splat(56))));
  r = v128.bitselect(kPlus1, r, f64x2.eq(kf, one));
  r = v128.bitselect(kMinus1, r, f64x2.eq(kf, f64x2.splat(-1)));
  return v128.bitselect(k0, r, f64x2.eq(kf, lanes(ZERO)));
}
