// The backward passes of conv.wgsl's convolution (same KSIZE, same layouts, same register tiles): see conv.wgsl.

override KSIZE: u32 = 3u;
const TP = 4u;
const TC = 4u;

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> tiled: array<vec4f>;   // conv-tiles.wgsl (backward_input)
@group(0) @binding(4) var<storage, read> dy: array<f32>;
@group(0) @binding(5) var<storage, read_write> out: array<f32>;   // dx (backward_input) or grads (backward_weights)

// dx[c][r][q] = Σ_o Σ_ky,kx w[o][c][ky][kx] · dy[o][r − ky][q − kx], for TC channels × TP columns q0 … q0 + 3.
@compute @workgroup_size(64)
fn backward_input(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let tiles_w = (layer.w + TP - 1u) / TP;
  let tiles_c = (layer.ci + TC - 1u) / TC;
  let q0 = (i % tiles_w) * TP;
  let r = (i / tiles_w) % layer.h;
  let c0 = ((i / (tiles_w * layer.h)) % tiles_c) * TC;
  let kb = i / (tiles_w * layer.h * tiles_c);
  if (kb % layer.batch >= step.n) { return; }
  let k = kb / layer.batch;
  let kk = KSIZE * KSIZE;
  let plane_out = layer.ho * layer.wo;
  // The tile's weights: the backward half of the tiled weights (channels past ci are 0 there: never stored).
  let tiles_o = (layer.co + TC - 1u) / TC;
  let wt = k * layer.tiled_stride + layer.tiled_offset + layer.ci * kk * tiles_o + c0 / TC;
  let first = i32(q0) - i32(KSIZE) + 1;   // the leftmost dy column a pixel of the tile reads
  // The columns first … first + 5 clamped into the row, and 1 or 0 for those inside it (outside: zero padding). They
  // depend on the tile only, so the loads below need no tests.
  let last = i32(layer.wo) - 1;
  let col = clamp(vec4i(first) + vec4i(0, 1, 2, 3), vec4i(0), vec4i(last));
  let col_ahead = clamp(vec2i(first) + vec2i(4, 5), vec2i(0), vec2i(last));
  let inside = vec4f(vec4i(first) + vec4i(0, 1, 2, 3) == col);
  let inside_ahead = vec2f(vec2i(first) + vec2i(4, 5) == col_ahead);
  let c4 = vec4u(col);
  let c2 = vec2u(col_ahead);
  var a0 = vec4f(); var a1 = vec4f(); var a2 = vec4f(); var a3 = vec4f();
  for (var o = 0u; o < layer.co; o++) {
    let wo_ = wt + o * kk * tiles_c;
    for (var ky = 0u; ky < KSIZE; ky++) {
      if (r < ky || r - ky >= layer.ho) { continue; }
      let at = (kb * layer.co + o) * plane_out + (r - ky) * layer.wo;
      // Columns first … first + TP + KSIZE − 2, slid one column per kx from kx = KSIZE − 1 down to 0.
      var dv = vec4f(dy[at + c4.x], dy[at + c4.y], dy[at + c4.z], dy[at + c4.w]) * inside;
      var ahead = vec2f(dy[at + c2.x], dy[at + c2.y]) * inside_ahead;
      for (var n = 0u; n < KSIZE; n++) {
        let kx = KSIZE - 1u - n;
        let wv = tiled[wo_ + (ky * KSIZE + kx) * tiles_c];
        a0 += wv.x * dv;
        a1 += wv.y * dv;
        a2 += wv.z * dv;
        a3 += wv.w * dv;
        dv = vec4f(dv.yzw, ahead.x);
        ahead = vec2f(ahead.y, 0.0);
      }
    }
  }
  let acc = array<vec4f, 4>(a0, a1, a2, a3);
  let plane_in = layer.h * layer.w;
  for (var j = 0u; j < TC; j++) {
    if (c0 + j >= layer.ci) { break; }
    let at = (kb * layer.ci + c0 + j) * plane_in + r * layer.w + q0;
    for (var t = 0u; t < TP; t++) { if (q0 + t < layer.w) { out[at + t] = acc[j][t]; } }
  }
}

// 64 invocations' partial sums of TC · 9 weights (KSIZE = 3; KSIZE = 1 uses the first TC).
var<workgroup> partial: array<f32, 2304>;

// gw[o][c][ky][kx] = Σ_b Σ_r,q dy[b][o][r][q] · x[b][c][r + ky][q + kx], for one c and TC output channels o0 … o0 + 3:
// each invocation takes rows (b, r) lid, lid + 64, …, keeping the TC · KSIZE² sums as vec4s over o.
@compute @workgroup_size(64)
fn backward_weights(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let g = wid.y * groups.x + wid.x;                // k · (ci · tiles_c) + c · tiles_c + tile
  let tiles_c = (layer.co + TC - 1u) / TC;
  let valid = g < layer.count;
  let o0 = (g % tiles_c) * TC;
  let c = (g / tiles_c) % layer.ci;
  let k = g / (tiles_c * layer.ci);
  let plane_in = layer.h * layer.w;
  let plane_out = layer.ho * layer.wo;
  let oc0 = min(o0, layer.co - 1u);
  let oc1 = min(o0 + 1u, layer.co - 1u);
  let oc2 = min(o0 + 2u, layer.co - 1u);
  let oc3 = min(o0 + 3u, layer.co - 1u);
  var s00 = vec4f(); var s01 = vec4f(); var s02 = vec4f();
  var s10 = vec4f(); var s11 = vec4f(); var s12 = vec4f();
  var s20 = vec4f(); var s21 = vec4f(); var s22 = vec4f();
  let rows = select(0u, step.n * layer.ho, valid);
  for (var e = lid; e < rows; e += 64u) {
    let b = e / layer.ho;
    let r = e % layer.ho;
    let kb = k * layer.batch + b;
    let yr = kb * layer.co * plane_out + r * layer.wo;
    let xr = (kb * layer.ci + c) * plane_in + r * layer.w;
    for (var q = 0u; q < layer.wo; q++) {
      let d = vec4f(dy[yr + oc0 * plane_out + q], dy[yr + oc1 * plane_out + q], dy[yr + oc2 * plane_out + q], dy[yr + oc3 * plane_out + q]);
      s00 += x[xr + q] * d;
      if (KSIZE == 3u) {
        let x1 = xr + layer.w;
        let x2 = xr + 2u * layer.w;
        s01 += x[xr + q + 1u] * d; s02 += x[xr + q + 2u] * d;
        s10 += x[x1 + q] * d; s11 += x[x1 + q + 1u] * d; s12 += x[x1 + q + 2u] * d;
        s20 += x[x2 + q] * d; s21 += x[x2 + q + 1u] * d; s22 += x[x2 + q + 2u] * d;
      }
    }
  }
  // partial[(tap · TC + j) · 64 + lid]: tap = ky · 3 + kx.
  let sums = array<vec4f, 9>(s00, s01, s02, s10, s11, s12, s20, s21, s22);
  for (var tap = 0u; tap < 9u; tap++) {
    for (var j = 0u; j < TC; j++) { partial[(tap * TC + j) * 64u + lid] = sums[tap][j]; }
  }
  workgroupBarrier();
  let taps = KSIZE * KSIZE;
  if (valid && lid < taps * TC) {
    let tap = lid / TC;
    let j = lid % TC;
    var total = 0.0;
    for (var m = 0u; m < 64u; m++) { total += partial[lid * 64u + m]; }
    if (o0 + j < layer.co) {
      // tap = ky · 3 + kx in the partial sums; the layer's weights are [o][c][ky][kx] with KSIZE columns.
      let ky = tap / 3u;
      let kx = tap % 3u;
      out[k * layer.param_stride + layer.param_offset + ((o0 + j) * layer.ci + c) * taps + ky * KSIZE + kx] = total;
    }
  }
}
