// Convolutions of KSIZE × KSIZE (3: "valid", no padding; 1: per-pixel), stride 1, no bias, for K copies at once.
// Bindings: layer (uniform Layer), step (uniform Step), x = the input activations [K][batch][ci][h][w], y = output
// [K][batch][co][ho][wo], params/grads [K][P]; dy, dx are the gradients of y and x in the layouts of y and x.
// forward:          one invocation per element of y (layer.count = K·batch·co·ho·wo).
// backward_input:   one invocation per element of dx (layer.count = K·batch·ci·h·w).
// backward_weights: one 64-invocation workgroup per weight (layer.count = K·co·ci·KSIZE²), summing over the batch and
//                   the output pixels, then a tree in workgroup memory. Overwrites grads.

override KSIZE: u32 = 3u;

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> params: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn forward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let plane_out = layer.ho * layer.wo;
  let q = i % plane_out;
  let o = (i / plane_out) % layer.co;
  let kb = i / (plane_out * layer.co);           // k · batch + b
  if (kb % layer.batch >= step.n) { return; }
  let k = kb / layer.batch;
  let r = q / layer.wo;
  let c0 = q % layer.wo;
  let plane_in = layer.h * layer.w;
  var sum = 0.0;
  for (var c = 0u; c < layer.ci; c++) {
    let xc = (kb * layer.ci + c) * plane_in + r * layer.w + c0;
    let wc = k * layer.param_stride + layer.param_offset + (o * layer.ci + c) * KSIZE * KSIZE;
    for (var ky = 0u; ky < KSIZE; ky++) {
      for (var kx = 0u; kx < KSIZE; kx++) {
        sum += params[wc + ky * KSIZE + kx] * x[xc + ky * layer.w + kx];
      }
    }
  }
  y[i] = sum;
}
