// The float32 CPU kernels of the MNIST model: the three passes of a 3×3 "valid" convolution (stride 1, no padding,
// no bias), f32x4 SIMD: here for odd planes, in winograd.ts's F(2×2, 3×3) form for even ones; the other layers'
// kernels in layers.ts and head.ts, exported from this module too (src/mnist/wasm-conv.ts drives them all);
// src/mnist/conv.ts holds the float64 reference of the same three passes.
//
// Layouts (all float32, byte addresses into this memory, placed by the host from heapBase() on):
//   x  : [n][ci][h][w]              a batch of input planes, followed by at least 12 zeroed floats (the passes read up
//                                   to 9 past the end, products with zero; src/mnist/wasm-conv.ts keeps 16)
//   k  : [co][ci][3][3]             the kernel, PyTorch's order
//   y  : [n][co][h-2][w-2]          the output planes
//   pad: scratch of scratchBytes(ci, co, h, w) bytes: here one "padded wide" plane per output channel (see PAD below)
// Wide planes: an output plane stored with the input's row stride w, so that output pixel p = y·w + x reads input
// pixels p + ky·w + kx, a contiguous run for every tap; columns x ≥ w−2 of a wide plane are garbage (forward) or zero
// (backward). A padded wide plane puts PAD(w) = 2w + 2 zeros before the wide plane and 2w + 4 after it, so the
// backward-input pass gathers every tap without bounds checks.

import { addLanes } from './lanes';
import { winogradBackward, winogradBytes, winogradFits, winogradForward } from './winograd';

const SLACK: i32 = 8;

export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}

function padOf(w: i32): i32 { return 2 * w + 2; }
function padPlane(h: i32, w: i32): i32 { return padOf(w) + h * w + 2 * w + 4 + SLACK; }

/** Bytes of the scratch the passes need for ci → co channels of an h × w input (either form's). */
export function scratchBytes(ci: i32, co: i32, h: i32, w: i32): i32 {
  return winogradFits(h, w) ? winogradBytes(ci, co, h, w) : co * padPlane(h, w) * 4;
}

/** Output channels o and o + 1 of image xb into two wide planes at out and out + wide + 4 floats (each is written up
 *  to 3 floats past its end), from pixel 0 up to the
 *  returned one (a multiple of 16): one load of x serves both channels. */
function forwardPair(xb: usize, ko: usize, out: usize, ci: i32, h: i32, w: i32): i32 {
  const wide = (h - 2) * w, inPlane = h * w, k1 = <usize>(ci * 9) * 4, out1 = out + <usize>(wide + 4) * 4;
  let p = 0;
  for (; p + 16 <= wide + 3; p += 16) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
    for (let c = 0; c < ci; c++) {
      const xc = xb + <usize>(c * inPlane + p) * 4;
      const kc = ko + <usize>(c * 9) * 4;
      for (let t = 0, ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++, t++) {
        const src = xc + <usize>(ky * w + kx) * 4;
        const x0 = v128.load(src), x1 = v128.load(src, 16), x2 = v128.load(src, 32), x3 = v128.load(src, 48);
        const u = f32x4.splat(load<f32>(kc + <usize>t * 4)), v = f32x4.splat(load<f32>(kc + k1 + <usize>t * 4));
        a0 = f32x4.add(a0, f32x4.mul(u, x0)); a1 = f32x4.add(a1, f32x4.mul(u, x1)); a2 = f32x4.add(a2, f32x4.mul(u, x2)); a3 = f32x4.add(a3, f32x4.mul(u, x3));
        b0 = f32x4.add(b0, f32x4.mul(v, x0)); b1 = f32x4.add(b1, f32x4.mul(v, x1)); b2 = f32x4.add(b2, f32x4.mul(v, x2)); b3 = f32x4.add(b3, f32x4.mul(v, x3));
      }
    }
    const d0 = out + <usize>p * 4, d1 = out1 + <usize>p * 4;
    v128.store(d0, a0); v128.store(d0, a1, 16); v128.store(d0, a2, 32); v128.store(d0, a3, 48);
    v128.store(d1, b0); v128.store(d1, b1, 16); v128.store(d1, b2, 32); v128.store(d1, b3, 48);
  }
  return p;
}

/** Output channel o of image xb into the wide plane at out, from pixel `from` on. */
function forwardTail(xb: usize, ko: usize, out: usize, from: i32, ci: i32, h: i32, w: i32): void {
  const wide = (h - 2) * w, inPlane = h * w;
  let p = from;
  for (; p + 16 <= wide + 3; p += 16) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let c = 0; c < ci; c++) {
      const xc = xb + <usize>(c * inPlane + p) * 4;
      const kc = ko + <usize>(c * 9) * 4;
      for (let t = 0, ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++, t++) {
        const kv = f32x4.splat(load<f32>(kc + <usize>t * 4));
        const src = xc + <usize>(ky * w + kx) * 4;
        a0 = f32x4.add(a0, f32x4.mul(kv, v128.load(src)));
        a1 = f32x4.add(a1, f32x4.mul(kv, v128.load(src, 16)));
        a2 = f32x4.add(a2, f32x4.mul(kv, v128.load(src, 32)));
        a3 = f32x4.add(a3, f32x4.mul(kv, v128.load(src, 48)));
      }
    }
    const dst = out + <usize>p * 4;
    v128.store(dst, a0); v128.store(dst, a1, 16); v128.store(dst, a2, 32); v128.store(dst, a3, 48);
  }
  for (; p < wide; p += 4) {
    let a0 = f32x4.splat(0);
    for (let c = 0; c < ci; c++) {
      const xc = xb + <usize>(c * inPlane + p) * 4;
      const kc = ko + <usize>(c * 9) * 4;
      for (let t = 0; t < 9; t++) {
        const kv = f32x4.splat(load<f32>(kc + <usize>t * 4));
        a0 = f32x4.add(a0, f32x4.mul(kv, v128.load(xc + <usize>((t / 3) * w + (t % 3)) * 4)));
      }
    }
    v128.store(out + <usize>p * 4, a0);
  }
}

/** Copies the wide plane at `out` into output plane o of image b (dropping the garbage columns). */
function narrow(out: usize, y: usize, b: i32, o: i32, co: i32, h: i32, w: i32): void {
  const ho = h - 2, wo = w - 2;
  const yo = y + <usize>((b * co + o) * ho * wo) * 4;
  for (let r = 0; r < ho; r++) memory.copy(yo + <usize>(r * wo) * 4, out + <usize>(r * w) * 4, <usize>wo * 4);
}

/** y = conv3(x, k) for a batch of n images, output channels in pairs (two wide planes of scratch at `pad`). */
export function conv3Forward(x: usize, k: usize, y: usize, pad: usize, n: i32, ci: i32, co: i32, h: i32, w: i32): void {
  if (winogradFits(h, w)) { winogradForward(x, k, y, pad, n, ci, co, h, w); return; }
  const inPlane = h * w, second = pad + <usize>((h - 2) * w + 4) * 4;
  for (let b = 0; b < n; b++) {
    const xb = x + <usize>(b * ci * inPlane) * 4;
    let o = 0;
    for (; o + 2 <= co; o += 2) {
      const ko = k + <usize>(o * ci * 9) * 4;
      const from = forwardPair(xb, ko, pad, ci, h, w);
      forwardTail(xb, ko, pad, from, ci, h, w);
      forwardTail(xb, ko + <usize>(ci * 9) * 4, second, from, ci, h, w);
      narrow(pad, y, b, o, co, h, w);
      narrow(second, y, b, o + 1, co, h, w);
    }
    for (; o < co; o++) {
      forwardTail(xb, k + <usize>(o * ci * 9) * 4, pad, 0, ci, h, w);
      narrow(pad, y, b, o, co, h, w);
    }
  }
}

/** Spreads dy [n][co][h-2][w-2] of image b into padded wide planes in `pad` (zeros around and in the garbage columns). */
function widen(dy: usize, pad: usize, b: i32, co: i32, h: i32, w: i32): void {
  const ho = h - 2, wo = w - 2, plane = padPlane(h, w), front = padOf(w);
  memory.fill(pad, 0, <usize>(co * plane) * 4);
  for (let o = 0; o < co; o++) {
    const src = dy + <usize>((b * co + o) * ho * wo) * 4;
    const dst = pad + <usize>(o * plane + front) * 4;
    for (let r = 0; r < ho; r++) memory.copy(dst + <usize>(r * w) * 4, src + <usize>(r * wo) * 4, <usize>wo * 4);
  }
}

/** dk[o][c][t] += Σ_p dyWide[o][p] · x[c][p + tap(t)] for one image: per input channel and kernel row, the row's
 *  three taps of four output channels at once (each x load serves four products, each dy load three). */
function kernelGradient(xb: usize, dk: usize, pad: usize, ci: i32, co: i32, h: i32, w: i32): void {
  const wide = (h - 2) * w, inPlane = h * w, plane = <usize>padPlane(h, w) * 4, front = <usize>padOf(w) * 4;
  for (let c = 0; c < ci; c++) {
    for (let ky = 0; ky < 3; ky++) {
      const xr = xb + <usize>(c * inPlane + ky * w) * 4;
      let o = 0;
      for (; o + 4 <= co; o += 4) {
        const g = pad + <usize>o * plane + front;
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0);
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), d0 = f32x4.splat(0), d1 = f32x4.splat(0), d2 = f32x4.splat(0);
        for (let p = 0; p < wide; p += 4) {
          const s = xr + <usize>p * 4, x0 = v128.load(s), x1 = v128.load(s, 4), x2 = v128.load(s, 8);
          const gp = g + <usize>p * 4;
          let d = v128.load(gp);
          a0 = f32x4.add(a0, f32x4.mul(d, x0)); a1 = f32x4.add(a1, f32x4.mul(d, x1)); a2 = f32x4.add(a2, f32x4.mul(d, x2));
          d = v128.load(gp + plane);
          b0 = f32x4.add(b0, f32x4.mul(d, x0)); b1 = f32x4.add(b1, f32x4.mul(d, x1)); b2 = f32x4.add(b2, f32x4.mul(d, x2));
          d = v128.load(gp + 2 * plane);
          c0 = f32x4.add(c0, f32x4.mul(d, x0)); c1 = f32x4.add(c1, f32x4.mul(d, x1)); c2 = f32x4.add(c2, f32x4.mul(d, x2));
          d = v128.load(gp + 3 * plane);
          d0 = f32x4.add(d0, f32x4.mul(d, x0)); d1 = f32x4.add(d1, f32x4.mul(d, x1)); d2 = f32x4.add(d2, f32x4.mul(d, x2));
        }
        const kc = dk + <usize>((o * ci + c) * 9 + ky * 3) * 4, next = <usize>(ci * 9) * 4;
        addLanes(kc, a0); addLanes(kc + 4, a1); addLanes(kc + 8, a2);
        addLanes(kc + next, b0); addLanes(kc + next + 4, b1); addLanes(kc + next + 8, b2);
        addLanes(kc + 2 * next, c0); addLanes(kc + 2 * next + 4, c1); addLanes(kc + 2 * next + 8, c2);
        addLanes(kc + 3 * next, d0); addLanes(kc + 3 * next + 4, d1); addLanes(kc + 3 * next + 8, d2);
      }
      for (; o < co; o++) {
        const g = pad + <usize>o * plane + front;
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0);
        for (let p = 0; p < wide; p += 4) {
          const s = xr + <usize>p * 4, d = v128.load(g + <usize>p * 4);
          a0 = f32x4.add(a0, f32x4.mul(d, v128.load(s))); a1 = f32x4.add(a1, f32x4.mul(d, v128.load(s, 4))); a2 = f32x4.add(a2, f32x4.mul(d, v128.load(s, 8)));
        }
        const kc = dk + <usize>((o * ci + c) * 9 + ky * 3) * 4;
        addLanes(kc, a0); addLanes(kc + 4, a1); addLanes(kc + 8, a2);
      }
    }
  }
}

/** dx[c][q] = Σ_o Σ_t k[o][c][t] · dyWide[o][q − tap(t)] for channel c of one image, pixels q from `from` on. */
function inputGradientTail(dxb: usize, k: usize, pad: usize, c: i32, from: i32, ci: i32, co: i32, h: i32, w: i32): void {
  const inPlane = h * w, plane = padPlane(h, w), front = padOf(w);
  const dst = dxb + <usize>(c * inPlane) * 4;
  let q = from;
  for (; q + 8 <= inPlane; q += 8) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
    for (let o = 0; o < co; o++) {
      const g = pad + <usize>(o * plane + front + q) * 4;
      const kc = k + <usize>((o * ci + c) * 9) * 4;
      for (let t = 0, ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++, t++) {
        const kv = f32x4.splat(load<f32>(kc + <usize>t * 4));
        const src = g - <usize>(ky * w + kx) * 4;
        a0 = f32x4.add(a0, f32x4.mul(kv, v128.load(src)));
        a1 = f32x4.add(a1, f32x4.mul(kv, v128.load(src, 16)));
      }
    }
    v128.store(dst + <usize>q * 4, a0); v128.store(dst + <usize>q * 4, a1, 16);
  }
  for (; q < inPlane; q++) {
    let a: f32 = 0;
    for (let o = 0; o < co; o++) {
      const g = pad + <usize>(o * plane + front + q) * 4;
      const kc = k + <usize>((o * ci + c) * 9) * 4;
      for (let t = 0; t < 9; t++) a += load<f32>(kc + <usize>t * 4) * load<f32>(g - <usize>((t / 3) * w + (t % 3)) * 4);
    }
    store<f32>(dst + <usize>q * 4, a);
  }
}

/** dx of input channels c and c + 1 of one image: 16 pixels of both per pass over dy (each dy load serves both). */
function inputGradientPair(dxb: usize, k: usize, pad: usize, c: i32, ci: i32, co: i32, h: i32, w: i32): i32 {
  const inPlane = h * w, plane = padPlane(h, w), front = padOf(w);
  const dst0 = dxb + <usize>(c * inPlane) * 4, dst1 = dst0 + <usize>inPlane * 4;
  let q = 0;
  for (; q + 16 <= inPlane; q += 16) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
    for (let o = 0; o < co; o++) {
      const g = pad + <usize>(o * plane + front + q) * 4;
      const kc = k + <usize>((o * ci + c) * 9) * 4;
      for (let t = 0, ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++, t++) {
        const src = g - <usize>(ky * w + kx) * 4;
        const g0 = v128.load(src), g1 = v128.load(src, 16), g2 = v128.load(src, 32), g3 = v128.load(src, 48);
        const k0 = f32x4.splat(load<f32>(kc + <usize>t * 4)), k1 = f32x4.splat(load<f32>(kc + <usize>(t + 9) * 4));
        a0 = f32x4.add(a0, f32x4.mul(k0, g0)); a1 = f32x4.add(a1, f32x4.mul(k0, g1)); a2 = f32x4.add(a2, f32x4.mul(k0, g2)); a3 = f32x4.add(a3, f32x4.mul(k0, g3));
        b0 = f32x4.add(b0, f32x4.mul(k1, g0)); b1 = f32x4.add(b1, f32x4.mul(k1, g1)); b2 = f32x4.add(b2, f32x4.mul(k1, g2)); b3 = f32x4.add(b3, f32x4.mul(k1, g3));
      }
    }
    const d0 = dst0 + <usize>q * 4, d1 = dst1 + <usize>q * 4;
    v128.store(d0, a0); v128.store(d0, a1, 16); v128.store(d0, a2, 32); v128.store(d0, a3, 48);
    v128.store(d1, b0); v128.store(d1, b1, 16); v128.store(d1, b2, 32); v128.store(d1, b3, 48);
  }
  return q;
}

/**
 * The two backward passes for a batch: dx = ∂L/∂x (overwritten; skipped when dx = 0) and dk += ∂L/∂k (summed over
 * the batch), given dy = ∂L/∂y.
 */
export function conv3Backward(x: usize, k: usize, dy: usize, dx: usize, dk: usize, pad: usize, n: i32, ci: i32, co: i32, h: i32, w: i32): void {
  if (winogradFits(h, w)) { winogradBackward(x, k, dy, dx, dk, pad, n, ci, co, h, w); return; }
  const inPlane = h * w;
  for (let b = 0; b < n; b++) {
    widen(dy, pad, b, co, h, w);
    kernelGradient(x + <usize>(b * ci * inPlane) * 4, dk, pad, ci, co, h, w);
    if (dx == 0) continue;
    const dxb = dx + <usize>(b * ci * inPlane) * 4;
    let c = 0;
    for (; c + 2 <= ci; c += 2) {
      const from = inputGradientPair(dxb, k, pad, c, ci, co, h, w);
      inputGradientTail(dxb, k, pad, c, from, ci, co, h, w);
      inputGradientTail(dxb, k, pad, c + 1, from, ci, co, h, w);
    }
    for (; c < ci; c++) inputGradientTail(dxb, k, pad, c, 0, ci, co, h, w);
  }
}

export * from './layers';
export * from './head';
