// The 3×3 convolutions of mnist.ts in Winograd's F(2×2, 3×3) form, for even output planes: each 2 × 2 block of
// outputs ("tile") costs 16 multiplies per (input, output) channel pair instead of 36. With B, G, A the transforms of
// F(2, 3) (Lavin & Gray, "Fast algorithms for convolutional neural networks", 2015):
//   forward   y_tile[o]  = Aᵀ [ Σ_c U[o][c] ⊙ V[c] ] A,   U[o][c] = G k[o][c] Gᵀ,   V[c] = Bᵀ x_tile[c] B
//   kernel    ∂k[o][c]  = Gᵀ [ Σ_tiles ∂M[o] ⊙ V[c] ] G,  ∂M[o] = A ∂y_tile[o] Aᵀ
//   input     ∂x = the forward pass over ∂y padded by 2 zeros, with each kernel turned 180° and in and out swapped.
// The 16 element-wise products of all tiles are 16 matrix products, run f32x4 across tiles.
//
// Layouts (float32, byte addresses; e = 4i + j indexes a 4 × 4 transformed tile):
//   U  [16][out][in]         transformed kernels
//   V  [16][in][stride]      transformed input tiles; M [16][out][stride] their products (or ∂M)
//   Tile T of a chunk of images is image·P + ty·(tiles per row) + tx, P tiles per image; a chunk holds
//   imagesPerChunk(P) images (about TILE_TARGET tiles, so V and M stay in cache). The transforms run four tiles of a
//   row at a time and the last four may spill into the next row's slots (rewritten after) or past the chunk's last
//   tile (up to 3 slots, inside the stride's 8 slack slots); they read up to 8 floats past a plane's last row.

import { addLanes } from './lanes';
import { finishKernelGradient, transformGradient, transformInput, transformKernels, transformOutput, zeroTail } from './winograd-transforms';

const TILE_TARGET: i32 = 256;
const TEMP_FLOATS: i32 = 16;

function imagesPerChunk(tiles: i32): i32 { return max(1, TILE_TARGET / tiles); }
function strideOf(tiles: i32): i32 { return ((imagesPerChunk(tiles) * tiles + 7) & ~7) + 8; }
function round16(floats: i32): i32 { return (floats + 15) & ~15; }

/** Whether an h × w input takes the Winograd form (its output planes, and so its tiles, are even). */
export function winogradFits(h: i32, w: i32): bool { return (h & 1) == 0 && (w & 1) == 0 && h >= 4 && w >= 4; }

/** Tile slots per row of V and M: the larger of the forward's and the input gradient's. */
function strideFor(h: i32, w: i32): i32 { return max(strideOf(((h - 2) >> 1) * ((w - 2) >> 1)), strideOf((h >> 1) * (w >> 1))); }

// The scratch, in order: temp (TEMP_FLOATS), U and ∂U (16·ci·co each), V and M (16·max(ci, co)·stride each), and one
// chunk of ∂y padded by two (the input gradient's input).
function uAtScratch(scratch: usize): usize { return scratch + <usize>TEMP_FLOATS * 4; }
function duAtScratch(scratch: usize, ci: i32, co: i32): usize { return uAtScratch(scratch) + <usize>round16(16 * ci * co) * 4; }
function vAtScratch(scratch: usize, ci: i32, co: i32): usize { return duAtScratch(scratch, ci, co) + <usize>round16(16 * ci * co) * 4; }
function tilesBytes(ci: i32, co: i32, h: i32, w: i32): usize { return <usize>round16(16 * max(ci, co) * strideFor(h, w)) * 4; }
function mAtScratch(scratch: usize, ci: i32, co: i32, h: i32, w: i32): usize { return vAtScratch(scratch, ci, co) + tilesBytes(ci, co, h, w); }
function paddedAtScratch(scratch: usize, ci: i32, co: i32, h: i32, w: i32): usize { return mAtScratch(scratch, ci, co, h, w) + tilesBytes(ci, co, h, w); }

/** Bytes of scratch the Winograd passes need for ci → co channels of an h × w input. */
export function winogradBytes(ci: i32, co: i32, h: i32, w: i32): i32 {
  const padded = imagesPerChunk((h >> 1) * (w >> 1)) * co * (h + 2) * (w + 2) + 16;
  return <i32>(paddedAtScratch(0, ci, co, h, w) + <usize>padded * 4);
}

/** M[e][o][T] = Σ_c U[e][o][c] · V[e][c][T] for T below `tiles` rounded up to 8: four output channels by eight
 *  tiles per pass over c. */
function multiply(u: usize, v: usize, m: usize, ci: i32, co: i32, stride: i32, tiles: i32): void {
  const rowBytes = <usize>stride * 4, uRow = <usize>ci * 4;
  for (let e = 0; e < 16; e++) {
    const ue = u + <usize>(e * co * ci) * 4, ve = v + <usize>(e * ci) * rowBytes, me = m + <usize>(e * co) * rowBytes;
    let o = 0;
    for (; o + 4 <= co; o += 4) {
      const uo = ue + <usize>o * uRow, mo = me + <usize>o * rowBytes;
      for (let t = 0; t < tiles; t += 8) {
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), b0 = f32x4.splat(0), b1 = f32x4.splat(0);
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0), d0 = f32x4.splat(0), d1 = f32x4.splat(0);
        let vt = ve + <usize>t * 4, uc = uo;
        for (let c = 0; c < ci; c++, vt += rowBytes, uc += 4) {
          const x0 = v128.load(vt), x1 = v128.load(vt, 16);
          let k = f32x4.splat(load<f32>(uc));
          a0 = f32x4.add(a0, f32x4.mul(k, x0)); a1 = f32x4.add(a1, f32x4.mul(k, x1));
          k = f32x4.splat(load<f32>(uc + uRow));
          b0 = f32x4.add(b0, f32x4.mul(k, x0)); b1 = f32x4.add(b1, f32x4.mul(k, x1));
          k = f32x4.splat(load<f32>(uc + 2 * uRow));
          c0 = f32x4.add(c0, f32x4.mul(k, x0)); c1 = f32x4.add(c1, f32x4.mul(k, x1));
          k = f32x4.splat(load<f32>(uc + 3 * uRow));
          d0 = f32x4.add(d0, f32x4.mul(k, x0)); d1 = f32x4.add(d1, f32x4.mul(k, x1));
        }
        const out = mo + <usize>t * 4;
        v128.store(out, a0); v128.store(out, a1, 16);
        v128.store(out + rowBytes, b0); v128.store(out + rowBytes, b1, 16);
        v128.store(out + 2 * rowBytes, c0); v128.store(out + 2 * rowBytes, c1, 16);
        v128.store(out + 3 * rowBytes, d0); v128.store(out + 3 * rowBytes, d1, 16);
      }
    }
    for (; o < co; o++) {
      const uo = ue + <usize>o * uRow, mo = me + <usize>o * rowBytes;
      for (let t = 0; t < tiles; t += 8) {
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
        let vt = ve + <usize>t * 4;
        for (let c = 0; c < ci; c++, vt += rowBytes) {
          const k = f32x4.splat(load<f32>(uo + <usize>c * 4));
          a0 = f32x4.add(a0, f32x4.mul(k, v128.load(vt))); a1 = f32x4.add(a1, f32x4.mul(k, v128.load(vt, 16)));
        }
        v128.store(mo + <usize>t * 4, a0); v128.store(mo + <usize>t * 4, a1, 16);
      }
    }
  }
}

/** ∂U[e][o][c] += Σ_T ∂M[e][o][T] · V[e][c][T] over whole vectors of the stride (zero past the chunk's tiles). */
function multiplyGradient(dm: usize, v: usize, du: usize, ci: i32, co: i32, stride: i32): void {
  const rowBytes = <usize>stride * 4;
  for (let e = 0; e < 16; e++) {
    const me = dm + <usize>(e * co) * rowBytes, ve = v + <usize>(e * ci) * rowBytes, ue = du + <usize>(e * co * ci) * 4;
    let o = 0;
    for (; o + 4 <= co; o += 4) {
      let c = 0;
      for (; c + 2 <= ci; c += 2) {
        const g = me + <usize>o * rowBytes, x = ve + <usize>c * rowBytes;
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), b0 = f32x4.splat(0), b1 = f32x4.splat(0);
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0), d0 = f32x4.splat(0), d1 = f32x4.splat(0);
        for (let t: usize = 0; t < rowBytes; t += 16) {
          const x0 = v128.load(x + t), x1 = v128.load(x + rowBytes + t);
          let d = v128.load(g + t);
          a0 = f32x4.add(a0, f32x4.mul(d, x0)); a1 = f32x4.add(a1, f32x4.mul(d, x1));
          d = v128.load(g + rowBytes + t);
          b0 = f32x4.add(b0, f32x4.mul(d, x0)); b1 = f32x4.add(b1, f32x4.mul(d, x1));
          d = v128.load(g + 2 * rowBytes + t);
          c0 = f32x4.add(c0, f32x4.mul(d, x0)); c1 = f32x4.add(c1, f32x4.mul(d, x1));
          d = v128.load(g + 3 * rowBytes + t);
          d0 = f32x4.add(d0, f32x4.mul(d, x0)); d1 = f32x4.add(d1, f32x4.mul(d, x1));
        }
        const at = ue + <usize>(o * ci + c) * 4, next = <usize>ci * 4;
        addLanes(at, a0); addLanes(at + 4, a1); addLanes(at + next, b0); addLanes(at + next + 4, b1);
        addLanes(at + 2 * next, c0); addLanes(at + 2 * next + 4, c1); addLanes(at + 3 * next, d0); addLanes(at + 3 * next + 4, d1);
      }
      for (; c < ci; c++) for (let j = 0; j < 4; j++) addDot(ue + <usize>((o + j) * ci + c) * 4, me + <usize>(o + j) * rowBytes, ve + <usize>c * rowBytes, stride);
    }
    for (; o < co; o++) for (let c = 0; c < ci; c++) addDot(ue + <usize>(o * ci + c) * 4, me + <usize>o * rowBytes, ve + <usize>c * rowBytes, stride);
  }
}


/** y = conv3(x, k) for a batch of n images (h and w even: see winogradFits), scratch at `scratch`. */
export function winogradForward(x: usize, k: usize, y: usize, scratch: usize, n: i32, ci: i32, co: i32, h: i32, w: i32): void {
  const u = uAtScratch(scratch), v = vAtScratch(scratch, ci, co), m = mAtScratch(scratch, ci, co, h, w);
  const Ho = h - 2, Wo = w - 2, perImage = (Ho >> 1) * (Wo >> 1), chunk = imagesPerChunk(perImage), stride = strideOf(perImage);
  transformKernels(k, u, ci, co, false);
  for (let b = 0; b < n; b += chunk) {
    const nb = min(chunk, n - b);
    transformInput(x + <usize>(b * ci * h * w) * 4, v, nb, ci, h, w, stride);
    multiply(u, v, m, ci, co, stride, nb * perImage);
    transformOutput(m, y + <usize>(b * co * Ho * Wo) * 4, scratch, nb, co, Ho, Wo, stride);
  }
}

/** The two backward passes: dk += ∂L/∂k summed over the batch, and dx = ∂L/∂x (overwritten; skipped when dx = 0). */
export function winogradBackward(x: usize, k: usize, dy: usize, dx: usize, dk: usize, scratch: usize, n: i32, ci: i32, co: i32, h: i32, w: i32): void {
  const u = uAtScratch(scratch), du = duAtScratch(scratch, ci, co), v = vAtScratch(scratch, ci, co);
  const m = mAtScratch(scratch, ci, co, h, w), padded = paddedAtScratch(scratch, ci, co, h, w);
  const Ho = h - 2, Wo = w - 2;
  let perImage = (Ho >> 1) * (Wo >> 1), chunk = imagesPerChunk(perImage), stride = strideOf(perImage);
  memory.fill(du, 0, <usize>(16 * ci * co) * 4);
  for (let b = 0; b < n; b += chunk) {
    const nb = min(chunk, n - b);
    transformInput(x + <usize>(b * ci * h * w) * 4, v, nb, ci, h, w, stride);
    zeroTail(v, 16 * ci, nb * perImage, stride);
    transformGradient(dy + <usize>(b * co * Ho * Wo) * 4, m, nb, co, Ho, Wo, stride);
    multiplyGradient(m, v, du, ci, co, stride);
  }
  finishKernelGradient(du, dk, ci, co);
  if (dx == 0) return;
  // ∂x: the forward pass over ∂y padded by two zeros on every side (planes of (h + 2) × (w + 2)), kernels turned.
  const H = h + 2, W = w + 2;
  perImage = (h >> 1) * (w >> 1); chunk = imagesPerChunk(perImage); stride = strideOf(perImage);
  transformKernels(k, u, ci, co, true);
  for (let b = 0; b < n; b += chunk) {
    const nb = min(chunk, n - b);
    memory.fill(padded, 0, <usize>(nb * co * H * W + 16) * 4);
    for (let p = 0; p < nb * co; p++) {
      const from = dy + <usize>((b * co + p) * Ho * Wo) * 4, to = padded + <usize>(p * H * W + 2 * W + 2) * 4;
      for (let r = 0; r < Ho; r++) memory.copy(to + <usize>(r * W) * 4, from + <usize>(r * Wo) * 4, <usize>Wo * 4);
    }
    transformInput(padded, v, nb, co, H, W, stride);
    multiply(u, v, m, co, ci, stride, nb * perImage);
    transformOutput(m, dx + <usize>(b * ci * h * w) * 4, scratch, nb, ci, h, w, stride);
  }
}

/** *at += Σ a[t] · b[t] over `count` floats (a multiple of 4: whole vectors of the stride), one f32x4 accumulator. */
function addDot(at: usize, a: usize, b: usize, count: i32): void {
  let s = f32x4.splat(0);
  for (let t: usize = 0; t < <usize>count * 4; t += 16) s = f32x4.add(s, f32x4.mul(v128.load(a + t), v128.load(b + t)));
  addLanes(at, s);
}
