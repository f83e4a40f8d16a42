// The float32 CPU kernels of the MNIST model: the three passes of a 3×3 "valid" convolution (stride 1, no padding,
// no bias), f32x4 SIMD, here; the other layers' kernels in layers.ts and head.ts, exported from this module too
// (src/mnist/wasm-conv.ts drives them all); src/mnist/conv.ts holds the float64 reference of the same three passes.
//
// Layouts (all float32, byte addresses into this memory, placed by the host from heapBase() on):
//   x  : [n][ci][h][w]              a batch of input planes, followed by at least 12 zeroed floats (the passes read up
//                                   to 9 past the end, products with zero; src/mnist/wasm-conv.ts keeps 16)
//   k  : [co][ci][3][3]             the kernel, PyTorch's order
//   y  : [n][co][h-2][w-2]          the output planes
//   pad: scratch of padBytes(co, h, w) bytes: one "padded wide" plane per output channel (see PAD below)
// Wide planes: an output plane stored with the input's row stride w, so that output pixel p = y·w + x reads input
// pixels p + ky·w + kx, a contiguous run for every tap; columns x ≥ w−2 of a wide plane are garbage (forward) or zero
// (backward). A padded wide plane puts PAD(w) = 2w + 2 zeros before the wide plane and 2w + 4 after it, so the
// backward-input pass gathers every tap without bounds checks.

const SLACK: i32 = 8;

export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}

function padOf(w: i32): i32 { return 2 * w + 2; }
function padPlane(h: i32, w: i32): i32 { return padOf(w) + h * w + 2 * w + 4 + SLACK; }

/** Bytes of the scratch the passes need for `co` output channels of an h × w input. */
export function padBytes(co: i32, h: i32, w: i32): i32 {
  return co * padPlane(h, w) * 4;
}

/** y = conv3(x, k) for a batch of n images. */
export function conv3Forward(x: usize, k: usize, y: usize, pad: usize, n: i32, ci: i32, co: i32, h: i32, w: i32): void {
  const ho = h - 2, wo = w - 2;
  const wide = ho * w;                 // pixels of a wide plane
  const inPlane = h * w;
  for (let b = 0; b < n; b++) {
    const xb = x + <usize>(b * ci * inPlane) * 4;
    for (let o = 0; o < co; o++) {
      const ko = k + <usize>(o * ci * 9) * 4;
      const out = pad; // one wide plane of scratch, reused
      let p = 0;
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
      const yo = y + <usize>((b * co + o) * ho * wo) * 4;
      for (let r = 0; r < ho; r++) memory.copy(yo + <usize>(r * wo) * 4, out + <usize>(r * w) * 4, <usize>wo * 4);
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

/**
 * The two backward passes for a batch: dx = ∂L/∂x (overwritten; skipped when dx = 0) and dk += ∂L/∂k (summed over
 * the batch), given dy = ∂L/∂y.
 */
export function conv3Backward(x: usize, k: usize, dy: usize, dx: usize, dk: usize, pad: usize, n: i32, ci: i32, co: i32, h: i32, w: i32): void {
  const ho = h - 2;
  const wide = ho * w, inPlane = h * w, plane = padPlane(h, w), front = padOf(w);
  for (let b = 0; b < n; b++) {
    widen(dy, pad, b, co, h, w);
    const xb = x + <usize>(b * ci * inPlane) * 4;
    // dk[o][c][t] += Σ_p dyWide[o][p] · x[c][p + tap(t)]
    for (let o = 0; o < co; o++) {
      const g = pad + <usize>(o * plane + front) * 4;
      for (let c = 0; c < ci; c++) {
        const xc = xb + <usize>(c * inPlane) * 4;
        const kc = dk + <usize>((o * ci + c) * 9) * 4;
        for (let t = 0; t < 9; t++) {
          const src = xc + <usize>((t / 3) * w + (t % 3)) * 4;
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
          let p = 0;
          for (; p + 8 <= wide + 7; p += 8) {
            a0 = f32x4.add(a0, f32x4.mul(v128.load(g + <usize>p * 4), v128.load(src + <usize>p * 4)));
            a1 = f32x4.add(a1, f32x4.mul(v128.load(g + <usize>p * 4, 16), v128.load(src + <usize>p * 4, 16)));
          }
          const s = f32x4.add(a0, a1);
          const total = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
          store<f32>(kc + <usize>t * 4, load<f32>(kc + <usize>t * 4) + total);
        }
      }
    }
    if (dx == 0) continue;
    // dx[c][q] = Σ_o Σ_t k[o][c][t] · dyWide[o][q − tap(t)]
    const dxb = dx + <usize>(b * ci * inPlane) * 4;
    for (let c = 0; c < ci; c++) {
      const dst = dxb + <usize>(c * inPlane) * 4;
      let q = 0;
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
  }
}

export * from './layers';
export * from './head';
