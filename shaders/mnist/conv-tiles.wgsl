// The convolutions' weights regrouped for vector loads (written at the start of every pass, from params):
//   tiled: [K][T] vec4s, T = layer.tiled_stride; a convolution's part at layer.tiled_offset (src/gpu/mnist/layout.ts
//   convTileSizes gives its sizes), in two halves:
//     forward  [ci][KSIZE²][⌈co/4⌉] vec4: w[4·og + j][c][tap] in component j (0 past co)
//     backward [co][KSIZE²][⌈ci/4⌉] vec4: w[o][4·cg + j][tap] in component j (0 past ci)
//   tap = ky · KSIZE + kx; w[o][c][tap] is params[k·P + layer.param_offset + (o·ci + c)·KSIZE² + tap].
// tile: one invocation per vec4 of the layer's part (layer.count = K · (forward + backward)).

override KSIZE: u32 = 3u;

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> tiled: array<vec4f>;

@compute @workgroup_size(64)
fn tile(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let taps = KSIZE * KSIZE;
  let tiles_o = (layer.co + 3u) / 4u;
  let tiles_c = (layer.ci + 3u) / 4u;
  let forward = layer.ci * taps * tiles_o;
  let per_copy = forward + layer.co * taps * tiles_c;
  let k = i / per_copy;
  let t = i % per_copy;
  let w = k * layer.param_stride + layer.param_offset;
  var v = vec4f();
  if (t < forward) {
    let og = t % tiles_o;
    let tap = (t / tiles_o) % taps;
    let c = t / (tiles_o * taps);
    for (var j = 0u; j < 4u; j++) {
      let o = 4u * og + j;
      if (o < layer.co) { v[j] = params[w + (o * layer.ci + c) * taps + tap]; }
    }
  } else {
    let b = t - forward;
    let cg = b % tiles_c;
    let tap = (b / tiles_c) % taps;
    let o = b / (tiles_c * taps);
    for (var j = 0u; j < 4u; j++) {
      let c = 4u * cg + j;
      if (c < layer.ci) { v[j] = params[w + (o * layer.ci + c) * taps + tap]; }
    }
  }
  tiled[k * layer.tiled_stride + layer.tiled_offset + t] = v;
}
