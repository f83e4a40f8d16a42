// Element-wise layers for K copies: ReLU and dropout, forward and backward. One invocation per element of the layer's
// activations (layer.count = K·batch·c·h·w); elements of images ≥ step.n are left alone. Bindings: copies
// [K] Copy (common.wgsl); a, b: inputs; out: the result.
// relu_forward:     a = x            → out = max(x, 0)
// relu_backward:    a = y, b = dy    → out = dy where y > 0, else 0
// dropout_forward:  a = x            → out = x · keep_scale where kept (training), x (evaluation)
// dropout_backward: b = dy           → out = dy · keep_scale where kept
// Element j of copy k (j = (b·c + channel)·h·w + pixel) is dropped as common.wgsl's dropout_factor says, keyed by
// layer.index (the dropout layer's).

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read> copies: array<Copy>;
@group(0) @binding(3) var<storage, read> a: array<f32>;
@group(0) @binding(4) var<storage, read> b: array<f32>;
@group(0) @binding(5) var<storage, read_write> out: array<f32>;

// The element's copy, or K when its image is not in use this step.
fn copy_of(i: u32) -> u32 {
  let per_copy = layer.batch * layer.ci * layer.h * layer.w;
  let k = i / per_copy;
  if ((i % per_copy) / (layer.ci * layer.h * layer.w) >= step.n) { return layer.copies; }
  return k;
}

fn mask(k: u32, i: u32) -> f32 {
  let per_copy = layer.batch * layer.ci * layer.h * layer.w;
  return dropout_factor(copies[k].mask_seed, copies[k].keep_scale, copies[k].drop_below, layer.index, step.mask_step, i % per_copy);
}

@compute @workgroup_size(64)
fn relu_forward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count || copy_of(i) == layer.copies) { return; }
  out[i] = max(a[i], 0.0);
}

@compute @workgroup_size(64)
fn relu_backward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count || copy_of(i) == layer.copies) { return; }
  out[i] = select(0.0, b[i], a[i] > 0.0);
}

@compute @workgroup_size(64)
fn dropout_forward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let k = copy_of(i);
  if (k == layer.copies) { return; }
  if (step.train == 0u) { out[i] = a[i]; return; }
  out[i] = a[i] * mask(k, i);
}

@compute @workgroup_size(64)
fn dropout_backward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let k = copy_of(i);
  if (k == layer.copies) { return; }
  out[i] = b[i] * mask(k, i);
}
