// Pooling for K copies. Layer: ci = co = channels, h × w in, ho × wo out. Bindings: a: input (x forward, dy
// backward); arg: [K][batch][c][ho][wo] u32, the index in x of each max-pool output's winner; out: y or dx.
// maxpool_forward:  2×2, stride 2; one invocation per output (layer.count = K·batch·c·ho·wo). Ties go to the first
//                   of (0,0), (0,1), (1,0), (1,1), as src/mnist/layers.ts.
// maxpool_backward: one invocation per input element (layer.count = K·batch·c·h·w): dy of the output it won, or 0.
// gap_forward:      one invocation per (copy, image, channel) (layer.count = K·batch·c): the plane's mean.
// gap_backward:     one invocation per input element: dy / (h·w).

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read_write> arg: array<u32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

fn in_use(kb: u32) -> bool { return kb % layer.batch < step.n; }

@compute @workgroup_size(64)
fn maxpool_forward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let plane_out = layer.ho * layer.wo;
  let kbc = i / plane_out;                              // (k·batch + b)·c + channel
  if (!in_use(kbc / layer.ci)) { return; }
  let r = (i % plane_out) / layer.wo;
  let q = (i % plane_out) % layer.wo;
  let base = kbc * layer.h * layer.w + 2u * r * layer.w + 2u * q;
  var best = base;
  if (a[base + 1u] > a[best]) { best = base + 1u; }
  if (a[base + layer.w] > a[best]) { best = base + layer.w; }
  if (a[base + layer.w + 1u] > a[best]) { best = base + layer.w + 1u; }
  out[i] = a[best];
  arg[i] = best;
}

@compute @workgroup_size(64)
fn maxpool_backward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let plane = layer.h * layer.w;
  let kbc = i / plane;
  if (!in_use(kbc / layer.ci)) { return; }
  let r = (i % plane) / layer.w / 2u;
  let q = (i % plane) % layer.w / 2u;
  var g = 0.0;
  if (r < layer.ho && q < layer.wo) {
    let o = kbc * layer.ho * layer.wo + r * layer.wo + q;
    if (arg[o] == i) { g = a[o]; }
  }
  out[i] = g;
}

@compute @workgroup_size(64)
fn gap_forward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count || !in_use(i / layer.ci)) { return; }
  let plane = layer.h * layer.w;
  var sum = 0.0;
  for (var p = 0u; p < plane; p++) { sum += a[i * plane + p]; }
  out[i] = sum / f32(plane);
}

@compute @workgroup_size(64)
fn gap_backward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let plane = layer.h * layer.w;
  if (!in_use(i / plane / layer.ci)) { return; }
  out[i] = a[i / plane] / f32(plane);
}
