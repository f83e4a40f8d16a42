// Convolutions of KSIZE × KSIZE (3: "valid", no padding; 1: per-pixel), stride 1, no bias, for K copies at once.
// Bindings: layer (uniform Layer), step (uniform Step), x = the input activations [K][batch][ci][h][w], y = output
// [K][batch][co][ho][wo], tiled = the weights in fours of channels (conv-tiles.wgsl), grads [K][P]; dy, dx are the
// gradients of y and x in the layouts of y and x.
// Register tiles: an invocation computes TP = 4 adjacent pixels of one row for TC = 4 channels (16 sums), so each
// input value it loads serves up to TC · KSIZE sums, and one vec4 load brings the TC channels' weight of a tap.
// forward:          one invocation per tile of y: layer.count = K·batch·⌈co/TC⌉·ho·⌈wo/TP⌉ (tiles_of(co, wo)).
// backward_input:   one invocation per tile of dx: layer.count = K·batch·⌈ci/TC⌉·h·⌈w/TP⌉ (tiles_of(ci, w)).
// backward_weights: one 64-invocation workgroup per copy, input channel and group of TC output channels
//                   (layer.count = K·ci·⌈co/TC⌉ workgroups): each invocation sums TC·KSIZE² weights' products over
//                   its rows of the batch, then the workgroup adds its 64 partial sums. Overwrites grads.

override KSIZE: u32 = 3u;
const TP = 4u;
const TC = 4u;

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> tiled: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn forward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let tiles_w = (layer.wo + TP - 1u) / TP;
  let tiles_c = (layer.co + TC - 1u) / TC;
  let q0 = (i % tiles_w) * TP;
  let r = (i / tiles_w) % layer.ho;
  let o0 = ((i / (tiles_w * layer.ho)) % tiles_c) * TC;
  let kb = i / (tiles_w * layer.ho * tiles_c);   // k · batch + b
  if (kb % layer.batch >= step.n) { return; }
  let k = kb / layer.batch;
  let kk = KSIZE * KSIZE;
  let plane_in = layer.h * layer.w;
  // The last valid column of the input row: loads past it (for pixels past wo) read it instead, and are not stored.
  let last = layer.w - 1u - q0;
  // The tile's weights, tap by tap (channels past co are 0 there: computed, never stored).
  let wt = k * layer.tiled_stride + layer.tiled_offset + o0 / TC;
  var a0 = vec4f(); var a1 = vec4f(); var a2 = vec4f(); var a3 = vec4f();
  for (var c = 0u; c < layer.ci; c++) {
    for (var ky = 0u; ky < KSIZE; ky++) {
      let xr = (kb * layer.ci + c) * plane_in + (r + ky) * layer.w + q0;
      // The row's TP + KSIZE − 1 input values, slid one column per kx (registers, no indexing).
      var xv = vec4f(x[xr], x[xr + min(1u, last)], x[xr + min(2u, last)], x[xr + min(3u, last)]);
      var ahead = vec2f(x[xr + min(4u, last)], x[xr + min(5u, last)]);
      let wk = wt + (c * kk + ky * KSIZE) * tiles_c;
      for (var kx = 0u; kx < KSIZE; kx++) {
        let wv = tiled[wk + kx * tiles_c];
        a0 += wv.x * xv;
        a1 += wv.y * xv;
        a2 += wv.z * xv;
        a3 += wv.w * xv;
        xv = vec4f(xv.yzw, ahead.x);
        ahead = vec2f(ahead.y, 0.0);
      }
    }
  }
  let acc = array<vec4f, 4>(a0, a1, a2, a3);
  let plane_out = layer.ho * layer.wo;
  for (var j = 0u; j < TC; j++) {
    if (o0 + j >= layer.co) { break; }
    let at = (kb * layer.co + o0 + j) * plane_out + r * layer.wo + q0;
    for (var t = 0u; t < TP; t++) { if (q0 + t < layer.wo) { y[at + t] = acc[j][t]; } }
  }
}
