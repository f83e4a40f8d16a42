// The backward passes of conv.wgsl's convolution (same KSIZE, same layouts): see conv.wgsl.

override KSIZE: u32 = 3u;

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> params: array<f32>;
@group(0) @binding(4) var<storage, read> dy: array<f32>;
@group(0) @binding(5) var<storage, read_write> out: array<f32>;   // dx (backward_input) or grads (backward_weights)

@compute @workgroup_size(64)
fn backward_input(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let plane_in = layer.h * layer.w;
  let plane_out = layer.ho * layer.wo;
  let p = i % plane_in;
  let c = (i / plane_in) % layer.ci;
  let kb = i / (plane_in * layer.ci);
  if (kb % layer.batch >= step.n) { return; }
  let k = kb / layer.batch;
  let r = p / layer.w;
  let q = p % layer.w;
  var sum = 0.0;
  for (var o = 0u; o < layer.co; o++) {
    let wc = k * layer.param_stride + layer.param_offset + (o * layer.ci + c) * KSIZE * KSIZE;
    let yo = (kb * layer.co + o) * plane_out;
    for (var ky = 0u; ky < KSIZE; ky++) {
      // output row r − ky must exist: 0 ≤ r − ky < ho
      if (r < ky || r - ky >= layer.ho) { continue; }
      for (var kx = 0u; kx < KSIZE; kx++) {
        if (q < kx || q - kx >= layer.wo) { continue; }
        sum += params[wc + ky * KSIZE + kx] * dy[yo + (r - ky) * layer.wo + (q - kx)];
      }
    }
  }
  out[i] = sum;
}

var<workgroup> partial: array<f32, 64>;

@compute @workgroup_size(64)
fn backward_weights(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let j = wid.y * groups.x + wid.x;               // the weight: k · (co·ci·KSIZE²) + its index in the layer
  let per_copy = layer.co * layer.ci * KSIZE * KSIZE;
  let valid = j < layer.count;
  let k = j / per_copy;
  let t = j % per_copy;
  let kx = t % KSIZE;
  let ky = (t / KSIZE) % KSIZE;
  let c = (t / (KSIZE * KSIZE)) % layer.ci;
  let o = t / (KSIZE * KSIZE * layer.ci);
  let plane_in = layer.h * layer.w;
  let plane_out = layer.ho * layer.wo;
  let total = step.n * plane_out;
  var sum = 0.0;
  if (valid) {
    for (var e = lid; e < total; e += 64u) {
      let b = e / plane_out;
      let p = e % plane_out;
      let kb = k * layer.batch + b;
      let r = p / layer.wo;
      let q = p % layer.wo;
      sum += dy[(kb * layer.co + o) * plane_out + p] * x[(kb * layer.ci + c) * plane_in + (r + ky) * layer.w + q + kx];
    }
  }
  partial[lid] = sum;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid < s) { partial[lid] += partial[lid + s]; }
    workgroupBarrier();
  }
  if (valid && lid == 0u) { out[k * layer.param_stride + layer.param_offset + t] = partial[0]; }
}
