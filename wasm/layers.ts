// The float32 CPU kernels of the MNIST model's layers other than the 3×3 convolution (mnist.ts), f32x4 SIMD where the
// work is per element; src/mnist/layers.ts holds the float64 reference of every one. Tensors are NCHW float32 at byte
// addresses into this memory; "backward" overwrites dx (skipped when dx = 0) and adds into parameter gradients.
// Sums over a whole batch (batch-norm statistics and their gradients) run in float64, as the reference's do.

import { dot } from './lanes';

/** y = W x per pixel (1×1 convolution, no bias): W [co][ci]. */
export function conv1Forward(x: usize, wt: usize, y: usize, n: i32, ci: i32, co: i32, plane: i32): void {
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < co; o++) {
      const yo = y + <usize>((b * co + o) * plane) * 4;
      const wo = wt + <usize>(o * ci) * 4;
      let q = 0;
      for (; q + 16 <= plane; q += 16) {
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        for (let c = 0; c < ci; c++) {
          const kv = f32x4.splat(load<f32>(wo + <usize>c * 4));
          const src = x + <usize>((b * ci + c) * plane + q) * 4;
          a0 = f32x4.add(a0, f32x4.mul(kv, v128.load(src)));
          a1 = f32x4.add(a1, f32x4.mul(kv, v128.load(src, 16)));
          a2 = f32x4.add(a2, f32x4.mul(kv, v128.load(src, 32)));
          a3 = f32x4.add(a3, f32x4.mul(kv, v128.load(src, 48)));
        }
        const dst = yo + <usize>q * 4;
        v128.store(dst, a0); v128.store(dst, a1, 16); v128.store(dst, a2, 32); v128.store(dst, a3, 48);
      }
      for (; q < plane; q++) {
        let a: f32 = 0;
        for (let c = 0; c < ci; c++) a += load<f32>(wo + <usize>c * 4) * load<f32>(x + <usize>((b * ci + c) * plane + q) * 4);
        store<f32>(yo + <usize>q * 4, a);
      }
    }
  }
}

/** out[q] += k · v[q] for `count` floats. */
function axpy(out: usize, k: f32, v: usize, count: i32): void {
  const kv = f32x4.splat(k);
  let q = 0;
  for (; q + 4 <= count; q += 4) v128.store(out + <usize>q * 4, f32x4.add(v128.load(out + <usize>q * 4), f32x4.mul(kv, v128.load(v + <usize>q * 4))));
  for (; q < count; q++) store<f32>(out + <usize>q * 4, load<f32>(out + <usize>q * 4) + k * load<f32>(v + <usize>q * 4));
}

export function conv1Backward(x: usize, wt: usize, g: usize, dy: usize, dx: usize, n: i32, ci: i32, co: i32, plane: i32): void {
  if (dx) memory.fill(dx, 0, <usize>(n * ci * plane) * 4);
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < co; o++) {
      const dyo = dy + <usize>((b * co + o) * plane) * 4;
      for (let c = 0; c < ci; c++) {
        const xc = x + <usize>((b * ci + c) * plane) * 4, at = <usize>(o * ci + c) * 4;
        store<f32>(g + at, load<f32>(g + at) + dot(dyo, xc, plane));
        if (dx) axpy(dx + <usize>((b * ci + c) * plane) * 4, load<f32>(wt + at), dyo, plane);
      }
    }
  }
}

/** Σ over channel c's planes (n of them, `plane` floats each, `channels` planes apart) of f(x), in float64. */
function channelSum(x: usize, n: i32, channels: i32, c: i32, plane: i32, shift: f32, squares: bool): f64 {
  let total: f64 = 0;
  const sv = f32x4.splat(shift);
  for (let b = 0; b < n; b++) {
    const at = x + <usize>((b * channels + c) * plane) * 4;
    let s = f64x2.splat(0);
    let q = 0;
    for (; q + 4 <= plane; q += 4) {
      let v = f32x4.sub(v128.load(at + <usize>q * 4), sv);
      if (squares) v = f32x4.mul(v, v);
      s = f64x2.add(s, f64x2.add(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))));
    }
    total += f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    for (; q < plane; q++) { const v = <f64>(load<f32>(at + <usize>q * 4) - shift); total += squares ? v * v : v; }
  }
  return total;
}

/**
 * Batch norm, every channel: y = γ·x̂ + β, x̂ = (x − mean)·invStd; params [γ c][β c], stats [mean c][variance c],
 * invStd [c] (written, for the backward pass). Training uses the batch's mean and biased variance and updates the
 * running statistics (unbiased variance); evaluation uses the running ones. Constants as src/mnist/layers.ts.
 */
export function batchNormForward(x: usize, y: usize, xhat: usize, params: usize, stats: usize, invStd: usize, train: bool, n: i32, channels: i32, plane: i32, epsilon: f64, momentum: f64): void {
  const count = n * plane;
  for (let c = 0; c < channels; c++) {
    const sm = stats + <usize>c * 4, sv = stats + <usize>(channels + c) * 4;
    let mean: f64, inv: f64;
    if (train) {
      mean = channelSum(x, n, channels, c, plane, 0, false) / count;
      // Squares about the float32 mean, corrected to the exact mean: Σ(x − m)² = Σ(x − m')² − count·(m − m')².
      const m32 = <f32>mean, shift = mean - <f64>m32;
      const squares = channelSum(x, n, channels, c, plane, m32, true) - count * shift * shift;
      inv = 1 / Math.sqrt(squares / count + epsilon);
      store<f32>(sm, <f32>((1 - momentum) * <f64>load<f32>(sm) + momentum * mean));
      store<f32>(sv, <f32>((1 - momentum) * <f64>load<f32>(sv) + momentum * (squares / <f64>max(1, count - 1))));
    } else {
      mean = load<f32>(sm);
      inv = 1 / Math.sqrt(<f64>load<f32>(sv) + epsilon);
    }
    store<f32>(invStd + <usize>c * 4, <f32>inv);
    const gamma = <f64>load<f32>(params + <usize>c * 4), beta = <f64>load<f32>(params + <usize>(channels + c) * 4);
    const iv = f32x4.splat(<f32>inv), mv = f32x4.splat(<f32>mean);
    const gv = f32x4.splat(<f32>gamma), bv = f32x4.splat(<f32>beta);
    for (let b = 0; b < n; b++) {
      const off = <usize>((b * channels + c) * plane) * 4;
      let q = 0;
      for (; q + 4 <= plane; q += 4) {
        const h = f32x4.mul(f32x4.sub(v128.load(x + off + <usize>q * 4), mv), iv);
        v128.store(xhat + off + <usize>q * 4, h);
        v128.store(y + off + <usize>q * 4, f32x4.add(f32x4.mul(gv, h), bv));
      }
      for (; q < plane; q++) {
        const h = (load<f32>(x + off + <usize>q * 4) - <f32>mean) * <f32>inv;
        store<f32>(xhat + off + <usize>q * 4, h);
        store<f32>(y + off + <usize>q * 4, <f32>gamma * h + <f32>beta);
      }
    }
  }
}

/** Backward of batch norm (training statistics), every channel: grads [∂γ c][∂β c] += ; dx when dx ≠ 0. */
export function batchNormBackward(dy: usize, xhat: usize, dx: usize, params: usize, grads: usize, invStd: usize, n: i32, channels: i32, plane: i32): void {
  const count = n * plane;
  for (let c = 0; c < channels; c++) {
    let dGamma: f64 = 0, dBeta: f64 = 0;
    for (let b = 0; b < n; b++) {
      const off = <usize>((b * channels + c) * plane) * 4;
      let sg = f64x2.splat(0), sb = f64x2.splat(0);
      let q = 0;
      for (; q + 4 <= plane; q += 4) {
        const d = v128.load(dy + off + <usize>q * 4), p = f32x4.mul(d, v128.load(xhat + off + <usize>q * 4));
        sg = f64x2.add(sg, f64x2.add(f64x2.promote_low_f32x4(p), f64x2.promote_low_f32x4(v128.shuffle<f32>(p, p, 2, 3, 0, 1))));
        sb = f64x2.add(sb, f64x2.add(f64x2.promote_low_f32x4(d), f64x2.promote_low_f32x4(v128.shuffle<f32>(d, d, 2, 3, 0, 1))));
      }
      dGamma += f64x2.extract_lane(sg, 0) + f64x2.extract_lane(sg, 1);
      dBeta += f64x2.extract_lane(sb, 0) + f64x2.extract_lane(sb, 1);
      for (; q < plane; q++) { const d = load<f32>(dy + off + <usize>q * 4); dGamma += <f64>(d * load<f32>(xhat + off + <usize>q * 4)); dBeta += <f64>d; }
    }
    store<f32>(grads + <usize>c * 4, load<f32>(grads + <usize>c * 4) + <f32>dGamma);
    store<f32>(grads + <usize>(channels + c) * 4, load<f32>(grads + <usize>(channels + c) * 4) + <f32>dBeta);
    if (!dx) continue;
    // dx = γ·invStd·(dy − mean(dy) − x̂·mean(dy·x̂)): the reference's scale·(count·dy − ∂β − x̂·∂γ), better conditioned.
    const k = <f32>(<f64>load<f32>(params + <usize>c * 4) * <f64>load<f32>(invStd + <usize>c * 4));
    const a = <f32>(dBeta / count), g = <f32>(dGamma / count);
    const kv = f32x4.splat(k), av = f32x4.splat(a), gv = f32x4.splat(g);
    for (let b = 0; b < n; b++) {
      const off = <usize>((b * channels + c) * plane) * 4;
      let q = 0;
      for (; q + 4 <= plane; q += 4) {
        const t = f32x4.sub(f32x4.sub(v128.load(dy + off + <usize>q * 4), av), f32x4.mul(v128.load(xhat + off + <usize>q * 4), gv));
        v128.store(dx + off + <usize>q * 4, f32x4.mul(kv, t));
      }
      for (; q < plane; q++) store<f32>(dx + off + <usize>q * 4, k * (load<f32>(dy + off + <usize>q * 4) - a - load<f32>(xhat + off + <usize>q * 4) * g));
    }
  }
}

/** y = max(x, 0) over `count` floats (the arrays keep slack: whole vectors past the end are harmless). */
export function reluForward(x: usize, y: usize, count: i32): void {
  const zero = f32x4.splat(0);
  for (let q = 0; q < count; q += 4) v128.store(y + <usize>q * 4, f32x4.max(v128.load(x + <usize>q * 4), zero));
}

/** dx = dy where y > 0, else 0. */
export function reluBackward(y: usize, dy: usize, dx: usize, count: i32): void {
  const zero = f32x4.splat(0);
  for (let q = 0; q < count; q += 4) v128.store(dx + <usize>q * 4, v128.and(v128.load(dy + <usize>q * 4), f32x4.gt(v128.load(y + <usize>q * 4), zero)));
}

/**
 * Dropout: element j is kept when lowbias32(base ^ j) ≥ threshold (the host's translation of uniform01 ≥ rate) and
 * scaled by `keep`; mask[j] gets the factor (keep or 0) for the backward pass.
 */
export function dropoutForward(x: usize, y: usize, mask: usize, base: u32, threshold: u32, keep: f32, count: i32): void {
  const bv = i32x4.splat(base), tv = i32x4.splat(threshold), kv = f32x4.splat(keep);
  let j = i32x4(0, 1, 2, 3);
  const four = i32x4.splat(4);
  for (let q = 0; q < count; q += 4) {
    let h = v128.xor(bv, j);
    h = v128.xor(h, i32x4.shr_u(h, 16));
    h = i32x4.mul(h, i32x4.splat(0x7feb352d));
    h = v128.xor(h, i32x4.shr_u(h, 15));
    h = i32x4.mul(h, i32x4.splat(0x846ca68b));
    h = v128.xor(h, i32x4.shr_u(h, 16));
    const m = v128.and(kv, i32x4.ge_u(h, tv));
    v128.store(mask + <usize>q * 4, m);
    v128.store(y + <usize>q * 4, f32x4.mul(v128.load(x + <usize>q * 4), m));
    j = i32x4.add(j, four);
  }
}

/** dx = dy · mask (count floats). */
export function scaleBy(dy: usize, dx: usize, mask: usize, count: i32): void {
  for (let q = 0; q < count; q += 4) v128.store(dx + <usize>q * 4, f32x4.mul(v128.load(dy + <usize>q * 4), v128.load(mask + <usize>q * 4)));
}

/** 2×2 max-pool, stride 2, of `planes` planes h × w; ties go to the first of (0,0), (0,1), (1,0), (1,1) (pmax keeps
 *  its first operand unless the second is larger: the reference's comparisons). Four windows per vector step. */
export function maxPoolForward(x: usize, y: usize, planes: i32, h: i32, w: i32): void {
  const ho = h >> 1, wo = w >> 1;
  for (let p = 0; p < planes; p++) {
    for (let r = 0; r < ho; r++) {
      const top = x + <usize>(p * h * w + 2 * r * w) * 4, bottom = top + <usize>w * 4, out = y + <usize>((p * ho + r) * wo) * 4;
      let q = 0;
      for (; q + 4 <= wo; q += 4) {
        const at = <usize>(2 * q) * 4;
        const t0 = v128.load(top + at), t1 = v128.load(top + at, 16), u0 = v128.load(bottom + at), u1 = v128.load(bottom + at, 16);
        const a = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6), b = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
        const c = v128.shuffle<f32>(u0, u1, 0, 2, 4, 6), d = v128.shuffle<f32>(u0, u1, 1, 3, 5, 7);
        v128.store(out + <usize>q * 4, f32x4.pmax(f32x4.pmax(f32x4.pmax(a, b), c), d));
      }
      for (; q < wo; q++) {
        const at = top + <usize>(2 * q) * 4;
        let best = load<f32>(at);
        const b = load<f32>(at, 4), c = load<f32>(at + <usize>w * 4), d = load<f32>(at + <usize>w * 4, 4);
        if (b > best) best = b;
        if (c > best) best = c;
        if (d > best) best = d;
        store<f32>(out + <usize>q * 4, best);
      }
    }
  }
}

/** The winner of each window (found again from x, same comparisons) gets dy; every other input gets 0. */
export function maxPoolBackward(x: usize, dy: usize, dx: usize, planes: i32, h: i32, w: i32): void {
  const ho = h >> 1, wo = w >> 1;
  memory.fill(dx, 0, <usize>(planes * h * w) * 4);
  for (let p = 0; p < planes; p++) {
    for (let r = 0; r < ho; r++) {
      const row = <usize>(p * h * w + 2 * r * w) * 4, down = <usize>w * 4, grad = dy + <usize>((p * ho + r) * wo) * 4;
      let q = 0;
      for (; q + 4 <= wo; q += 4) {
        const at = row + <usize>(2 * q) * 4;
        const t0 = v128.load(x + at), t1 = v128.load(x + at, 16), u0 = v128.load(x + at + down), u1 = v128.load(x + at + down, 16);
        const a = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6), b = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
        const c = v128.shuffle<f32>(u0, u1, 0, 2, 4, 6), d = v128.shuffle<f32>(u0, u1, 1, 3, 5, 7);
        const wb = f32x4.gt(b, a), m1 = f32x4.pmax(a, b), wc = f32x4.gt(c, m1), wd = f32x4.gt(d, f32x4.pmax(m1, c));
        const g = v128.load(grad + <usize>q * 4);
        const gd = v128.and(g, wd), gc = v128.andnot(v128.and(g, wc), wd);
        const gb = v128.andnot(v128.andnot(v128.and(g, wb), wc), wd), ga = v128.andnot(g, v128.or(v128.or(wb, wc), wd));
        v128.store(dx + at, v128.shuffle<f32>(ga, gb, 0, 4, 1, 5)); v128.store(dx + at, v128.shuffle<f32>(ga, gb, 2, 6, 3, 7), 16);
        v128.store(dx + at + down, v128.shuffle<f32>(gc, gd, 0, 4, 1, 5)); v128.store(dx + at + down, v128.shuffle<f32>(gc, gd, 2, 6, 3, 7), 16);
      }
      for (; q < wo; q++) {
        const at = row + <usize>(2 * q) * 4;
        let best = at, v = load<f32>(x + at);
        if (load<f32>(x + at, 4) > v) { best = at + 4; v = load<f32>(x + best); }
        if (load<f32>(x + at + down) > v) { best = at + down; v = load<f32>(x + best); }
        if (load<f32>(x + at + down, 4) > v) best = at + down + 4;
        store<f32>(dx + best, load<f32>(grad + <usize>q * 4));
      }
    }
  }
}
