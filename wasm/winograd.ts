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

/** U = G g Gᵀ for every kernel: forward U[e][o][c] from k[o][c]; for the input gradient U[e][c][o] from k[o][c]
 *  turned 180°. G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]. */
function transformKernels(k: usize, u: usize, ci: i32, co: i32, turned: bool): void {
  for (let o = 0; o < co; o++) for (let c = 0; c < ci; c++) {
    const g = k + <usize>((o * ci + c) * 9) * 4;
    for (let i = 0; i < 4; i++) {
      // Row i of G g: rows 0 and 3 are kernel rows 0 and 2; rows 1 and 2 are ½(row 0 ± row 1 + row 2).
      let r0: f32, r1: f32, r2: f32;
      if (i == 0 || i == 3) {
        const row = i == 0 ? 0 : 6;
        r0 = tap(g, row, turned); r1 = tap(g, row + 1, turned); r2 = tap(g, row + 2, turned);
      } else {
        const s: f32 = i == 1 ? 1 : -1;
        r0 = 0.5 * (tap(g, 0, turned) + s * tap(g, 3, turned) + tap(g, 6, turned));
        r1 = 0.5 * (tap(g, 1, turned) + s * tap(g, 4, turned) + tap(g, 7, turned));
        r2 = 0.5 * (tap(g, 2, turned) + s * tap(g, 5, turned) + tap(g, 8, turned));
      }
      // That row times Gᵀ: entries e = 4i … 4i + 3.
      const e = 4 * i;
      store<f32>(uAt(u, e, o, c, ci, co, turned), r0);
      store<f32>(uAt(u, e + 1, o, c, ci, co, turned), 0.5 * (r0 + r1 + r2));
      store<f32>(uAt(u, e + 2, o, c, ci, co, turned), 0.5 * (r0 - r1 + r2));
      store<f32>(uAt(u, e + 3, o, c, ci, co, turned), r2);
    }
  }
}

/** Tap t (row-major 3 × 3) of the kernel at g, or of that kernel turned 180°. */
@inline function tap(g: usize, t: i32, turned: bool): f32 { return load<f32>(g + <usize>(turned ? 8 - t : t) * 4); }

@inline function uAt(u: usize, e: i32, o: i32, c: i32, ci: i32, co: i32, turned: bool): usize {
  return u + <usize>(turned ? (e * ci + c) * co + o : (e * co + o) * ci + c) * 4;
}

/** V[e][c][T] = (Bᵀ d B)[e] for every 4 × 4 tile d (at rows 2ty, columns 2tx) of nb images of ch planes of H × W,
 *  four tiles of a row per step. Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]. */
function transformInput(src: usize, v: usize, nb: i32, ch: i32, H: i32, W: i32, stride: i32): void {
  const across = (W - 2) >> 1, down = (H - 2) >> 1, perImage = across * down, plane = H * W;
  const eStride = <usize>(ch * stride) * 4;
  for (let c = 0; c < ch; c++) for (let b = 0; b < nb; b++) for (let ty = 0; ty < down; ty++) {
    const rows = src + <usize>((b * ch + c) * plane + 2 * ty * W) * 4;
    const out0 = v + <usize>(c * stride + b * perImage + ty * across) * 4;
    for (let tx = 0; tx < across; tx += 4) {
      const at = rows + <usize>(2 * tx) * 4, rowBytes = <usize>W * 4;
      // Row r of the four tiles, column by column (di = column i of tiles tx … tx + 3), times B: q0 … q3.
      let a = v128.load(at), m = v128.load(at, 16), z = v128.load(at, 32);
      let d0 = v128.shuffle<f32>(a, m, 0, 2, 4, 6), d1 = v128.shuffle<f32>(a, m, 1, 3, 5, 7);
      let d2 = v128.shuffle<f32>(d0, z, 1, 2, 3, 4), d3 = v128.shuffle<f32>(d1, z, 1, 2, 3, 5);
      const q00 = f32x4.sub(d0, d2), q01 = f32x4.add(d1, d2), q02 = f32x4.sub(d2, d1), q03 = f32x4.sub(d1, d3);
      a = v128.load(at + rowBytes); m = v128.load(at + rowBytes, 16); z = v128.load(at + rowBytes, 32);
      d0 = v128.shuffle<f32>(a, m, 0, 2, 4, 6); d1 = v128.shuffle<f32>(a, m, 1, 3, 5, 7);
      d2 = v128.shuffle<f32>(d0, z, 1, 2, 3, 4); d3 = v128.shuffle<f32>(d1, z, 1, 2, 3, 5);
      const q10 = f32x4.sub(d0, d2), q11 = f32x4.add(d1, d2), q12 = f32x4.sub(d2, d1), q13 = f32x4.sub(d1, d3);
      a = v128.load(at + 2 * rowBytes); m = v128.load(at + 2 * rowBytes, 16); z = v128.load(at + 2 * rowBytes, 32);
      d0 = v128.shuffle<f32>(a, m, 0, 2, 4, 6); d1 = v128.shuffle<f32>(a, m, 1, 3, 5, 7);
      d2 = v128.shuffle<f32>(d0, z, 1, 2, 3, 4); d3 = v128.shuffle<f32>(d1, z, 1, 2, 3, 5);
      const q20 = f32x4.sub(d0, d2), q21 = f32x4.add(d1, d2), q22 = f32x4.sub(d2, d1), q23 = f32x4.sub(d1, d3);
      a = v128.load(at + 3 * rowBytes); m = v128.load(at + 3 * rowBytes, 16); z = v128.load(at + 3 * rowBytes, 32);
      d0 = v128.shuffle<f32>(a, m, 0, 2, 4, 6); d1 = v128.shuffle<f32>(a, m, 1, 3, 5, 7);
      d2 = v128.shuffle<f32>(d0, z, 1, 2, 3, 4); d3 = v128.shuffle<f32>(d1, z, 1, 2, 3, 5);
      const q30 = f32x4.sub(d0, d2), q31 = f32x4.add(d1, d2), q32 = f32x4.sub(d2, d1), q33 = f32x4.sub(d1, d3);
      // Bᵀ times the rows.
      const out = out0 + <usize>tx * 4;
      v128.store(out, f32x4.sub(q00, q20)); v128.store(out + eStride, f32x4.sub(q01, q21));
      v128.store(out + 2 * eStride, f32x4.sub(q02, q22)); v128.store(out + 3 * eStride, f32x4.sub(q03, q23));
      v128.store(out + 4 * eStride, f32x4.add(q10, q20)); v128.store(out + 5 * eStride, f32x4.add(q11, q21));
      v128.store(out + 6 * eStride, f32x4.add(q12, q22)); v128.store(out + 7 * eStride, f32x4.add(q13, q23));
      v128.store(out + 8 * eStride, f32x4.sub(q20, q10)); v128.store(out + 9 * eStride, f32x4.sub(q21, q11));
      v128.store(out + 10 * eStride, f32x4.sub(q22, q12)); v128.store(out + 11 * eStride, f32x4.sub(q23, q13));
      v128.store(out + 12 * eStride, f32x4.sub(q10, q30)); v128.store(out + 13 * eStride, f32x4.sub(q11, q31));
      v128.store(out + 14 * eStride, f32x4.sub(q12, q32)); v128.store(out + 15 * eStride, f32x4.sub(q13, q33));
    }
  }
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

/** y tiles = Aᵀ M A (Aᵀ = [1 1 1 0; 0 1 −1 −1]) into nb images of co planes of Ho × Wo; a row's last one to three
 *  tiles go through `temp` so nothing past them is written. */
function transformOutput(m: usize, y: usize, temp: usize, nb: i32, co: i32, Ho: i32, Wo: i32, stride: i32): void {
  const across = Wo >> 1, down = Ho >> 1, perImage = across * down;
  const eStride = <usize>(co * stride) * 4, rowBytes = <usize>Wo * 4;
  for (let o = 0; o < co; o++) for (let b = 0; b < nb; b++) for (let ty = 0; ty < down; ty++) {
    const in0 = m + <usize>(o * stride + b * perImage + ty * across) * 4;
    const row0 = y + <usize>((b * co + o) * Ho * Wo + 2 * ty * Wo) * 4;
    for (let tx = 0; tx < across; tx += 4) {
      const at = in0 + <usize>tx * 4;
      // Aᵀ on the left (t0j, t1j for each column j), then A on the right.
      const m00 = v128.load(at), m01 = v128.load(at + eStride), m02 = v128.load(at + 2 * eStride), m03 = v128.load(at + 3 * eStride);
      const m10 = v128.load(at + 4 * eStride), m11 = v128.load(at + 5 * eStride), m12 = v128.load(at + 6 * eStride), m13 = v128.load(at + 7 * eStride);
      const m20 = v128.load(at + 8 * eStride), m21 = v128.load(at + 9 * eStride), m22 = v128.load(at + 10 * eStride), m23 = v128.load(at + 11 * eStride);
      const m30 = v128.load(at + 12 * eStride), m31 = v128.load(at + 13 * eStride), m32 = v128.load(at + 14 * eStride), m33 = v128.load(at + 15 * eStride);
      const t00 = f32x4.add(f32x4.add(m00, m10), m20), t01 = f32x4.add(f32x4.add(m01, m11), m21);
      const t02 = f32x4.add(f32x4.add(m02, m12), m22), t03 = f32x4.add(f32x4.add(m03, m13), m23);
      const t10 = f32x4.sub(f32x4.sub(m10, m20), m30), t11 = f32x4.sub(f32x4.sub(m11, m21), m31);
      const t12 = f32x4.sub(f32x4.sub(m12, m22), m32), t13 = f32x4.sub(f32x4.sub(m13, m23), m33);
      const y00 = f32x4.add(f32x4.add(t00, t01), t02), y01 = f32x4.sub(f32x4.sub(t01, t02), t03);
      const y10 = f32x4.add(f32x4.add(t10, t11), t12), y11 = f32x4.sub(f32x4.sub(t11, t12), t13);
      // Interleave each output row's two columns back into pixel order: eight pixels per row.
      const dst = row0 + <usize>(2 * tx) * 4;
      const left = across - tx;
      if (left >= 4) {
        v128.store(dst, v128.shuffle<f32>(y00, y01, 0, 4, 1, 5)); v128.store(dst, v128.shuffle<f32>(y00, y01, 2, 6, 3, 7), 16);
        v128.store(dst + rowBytes, v128.shuffle<f32>(y10, y11, 0, 4, 1, 5)); v128.store(dst + rowBytes, v128.shuffle<f32>(y10, y11, 2, 6, 3, 7), 16);
      } else {
        const bytes = <usize>(2 * left) * 4;
        v128.store(temp, v128.shuffle<f32>(y00, y01, 0, 4, 1, 5)); v128.store(temp, v128.shuffle<f32>(y00, y01, 2, 6, 3, 7), 16);
        v128.store(temp, v128.shuffle<f32>(y10, y11, 0, 4, 1, 5), 32); v128.store(temp, v128.shuffle<f32>(y10, y11, 2, 6, 3, 7), 48);
        memory.copy(dst, temp, bytes);
        memory.copy(dst + rowBytes, temp + 32, bytes);
      }
    }
  }
}

/** ∂M[e][o][T] = (A ∂y_tile Aᵀ)[e] for nb images of co planes of Ho × Wo of ∂y; the slots from the chunk's last tile
 *  to the stride's end are zeroed (the kernel gradient sums over whole vectors). */
function transformGradient(dy: usize, dm: usize, nb: i32, co: i32, Ho: i32, Wo: i32, stride: i32): void {
  const across = Wo >> 1, down = Ho >> 1, perImage = across * down;
  const eStride = <usize>(co * stride) * 4, rowBytes = <usize>Wo * 4;
  for (let o = 0; o < co; o++) for (let b = 0; b < nb; b++) for (let ty = 0; ty < down; ty++) {
    const row0 = dy + <usize>((b * co + o) * Ho * Wo + 2 * ty * Wo) * 4;
    const out0 = dm + <usize>(o * stride + b * perImage + ty * across) * 4;
    for (let tx = 0; tx < across; tx += 4) {
      const at = row0 + <usize>(2 * tx) * 4;
      let l = v128.load(at), h = v128.load(at, 16);
      const y00 = v128.shuffle<f32>(l, h, 0, 2, 4, 6), y01 = v128.shuffle<f32>(l, h, 1, 3, 5, 7);
      l = v128.load(at + rowBytes); h = v128.load(at + rowBytes, 16);
      const y10 = v128.shuffle<f32>(l, h, 0, 2, 4, 6), y11 = v128.shuffle<f32>(l, h, 1, 3, 5, 7);
      // A = [1 0; 1 1; 1 −1; 0 −1] on the left (rows r0 … r3 of two columns), then Aᵀ on the right.
      const r10 = f32x4.add(y00, y10), r11 = f32x4.add(y01, y11), r20 = f32x4.sub(y00, y10), r21 = f32x4.sub(y01, y11);
      const out = out0 + <usize>tx * 4;
      storeRow(out, 0, eStride, y00, y01);
      storeRow(out, 4, eStride, r10, r11);
      storeRow(out, 8, eStride, r20, r21);
      storeRow(out, 12, eStride, f32x4.neg(y10), f32x4.neg(y11));
    }
  }
  zeroTail(dm, 16 * co, nb * perImage, stride);
}

/** Row [a, a + b, a − b, −b] (A applied to a row of two) at entries e … e + 3. */
@inline function storeRow(out: usize, e: i32, eStride: usize, a: v128, b: v128): void {
  v128.store(out + <usize>e * eStride, a);
  v128.store(out + <usize>(e + 1) * eStride, f32x4.add(a, b));
  v128.store(out + <usize>(e + 2) * eStride, f32x4.sub(a, b));
  v128.store(out + <usize>(e + 3) * eStride, f32x4.neg(b));
}

/** Zeroes slots tiles … stride − 1 of each of `rows` rows. */
function zeroTail(at: usize, rows: i32, tiles: i32, stride: i32): void {
  for (let r = 0; r < rows; r++) memory.fill(at + <usize>(r * stride + tiles) * 4, 0, <usize>(stride - tiles) * 4);
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
      for (; c < ci; c++) for (let j = 0; j < 4; j++) addDot(me + <usize>(o + j) * rowBytes, ve + <usize>c * rowBytes, ue + <usize>((o + j) * ci + c) * 4, rowBytes);
    }
    for (; o < co; o++) for (let c = 0; c < ci; c++) addDot(me + <usize>o * rowBytes, ve + <usize>c * rowBytes, ue + <usize>(o * ci + c) * 4, rowBytes);
  }
}

@inline function addLanes(at: usize, v: v128): void {
  store<f32>(at, load<f32>(at) + (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)));
}

/** *at += Σ a[t] · b[t] over `bytes` bytes of whole vectors. */
function addDot(a: usize, b: usize, at: usize, bytes: usize): void {
  let s = f32x4.splat(0);
  for (let t: usize = 0; t < bytes; t += 16) s = f32x4.add(s, f32x4.mul(v128.load(a + t), v128.load(b + t)));
  addLanes(at, s);
}

/** ∂k[o][c] += Gᵀ ∂U[o][c] G (Gᵀ = [1 ½ ½ 0; 0 ½ −½ 0; 0 ½ ½ 1]). */
function finishKernelGradient(du: usize, dk: usize, ci: i32, co: i32): void {
  const eBytes = <usize>(co * ci) * 4;
  for (let o = 0; o < co; o++) for (let c = 0; c < ci; c++) {
    const z = du + <usize>(o * ci + c) * 4, g = dk + <usize>((o * ci + c) * 9) * 4;
    for (let j = 0; j < 4; j++) {
      // Column j of Gᵀ Z: three rows.
      const z0 = load<f32>(z + <usize>j * eBytes), z1 = load<f32>(z + <usize>(4 + j) * eBytes);
      const z2 = load<f32>(z + <usize>(8 + j) * eBytes), z3 = load<f32>(z + <usize>(12 + j) * eBytes);
      store<f32>(z + <usize>j * eBytes, z0 + 0.5 * (z1 + z2));
      store<f32>(z + <usize>(4 + j) * eBytes, 0.5 * (z1 - z2));
      store<f32>(z + <usize>(8 + j) * eBytes, 0.5 * (z1 + z2) + z3);
    }
    for (let i = 0; i < 3; i++) {
      // Row i of (Gᵀ Z) G: three taps.
      const r0 = load<f32>(z + <usize>(4 * i) * eBytes), r1 = load<f32>(z + <usize>(4 * i + 1) * eBytes);
      const r2 = load<f32>(z + <usize>(4 * i + 2) * eBytes), r3 = load<f32>(z + <usize>(4 * i + 3) * eBytes);
      const row = g + <usize>(3 * i) * 4;
      store<f32>(row, load<f32>(row) + r0 + 0.5 * (r1 + r2));
      store<f32>(row + 4, load<f32>(row + 4) + 0.5 * (r1 - r2));
      store<f32>(row + 8, load<f32>(row + 8) + 0.5 * (r1 + r2) + r3);
    }
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
