// The transforms of winograd.ts's F(2×2, 3×3) convolutions (Lavin & Gray 2015), layouts as described there:
// kernels to U, input tiles to V, products M back to output tiles, output gradients to ∂M, and ∂U back to ∂k.
// Input, output and gradient transforms run f32x4 over four tiles of a row at a time.

/** U = G g Gᵀ for every kernel: forward U[e][o][c] from k[o][c]; for the input gradient U[e][c][o] from k[o][c]
 *  turned 180°. G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]. */
export function transformKernels(k: usize, u: usize, ci: i32, co: i32, turned: bool): void {
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
export function transformInput(src: usize, v: usize, nb: i32, ch: i32, H: i32, W: i32, stride: i32): void {
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

/** y tiles = Aᵀ M A (Aᵀ = [1 1 1 0; 0 1 −1 −1]) into nb images of co planes of Ho × Wo; a row's last one to three
 *  tiles go through `temp` so nothing past them is written. */
export function transformOutput(m: usize, y: usize, temp: usize, nb: i32, co: i32, Ho: i32, Wo: i32, stride: i32): void {
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
export function transformGradient(dy: usize, dm: usize, nb: i32, co: i32, Ho: i32, Wo: i32, stride: i32): void {
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
export function zeroTail(at: usize, rows: i32, tiles: i32, stride: i32): void {
  for (let r = 0; r < rows; r++) memory.fill(at + <usize>(r * stride + tiles) * 4, 0, <usize>(stride - tiles) * 4);
}

/** ∂k[o][c] += Gᵀ ∂U[o][c] G (Gᵀ = [1 ½ ½ 0; 0 ½ −½ 0; 0 ½ ½ 1]). */
export function finishKernelGradient(du: usize, dk: usize, ci: i32, co: i32): void {
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
