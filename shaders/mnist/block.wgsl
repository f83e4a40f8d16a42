// Batch norm's normalization, with the ReLU and dropout that follow it fused in where the model has the course's block
// batch norm → ReLU → dropout (src/gpu/mnist/fusion.ts): one forward pass and one backward pass in place of five.
// Batch norm's statistics, reduce_gradients and backward_input are batchnorm.wgsl's. One invocation per element
// (layer.count = K·batch·c·h·w, c = layer.ci, planes layer.h × layer.w); elements of images ≥ step.n are left alone.
// copies: [K] Copy; saved: batch norm's [K][c][4] (mean, 1/√(variance + ε), …; batchnorm.wgsl); params [K][P].
// normalize:             x = batch norm's input → xhat (for batch norm's backward pass) and out = γ·xhat + β, then
//                        (FUSED) max(·, 0) times the element's dropout factor (evaluation: 1), the dropout layer's
//                        output; layer.index is then the dropout layer's (its masks are keyed by it:
//                        common.wgsl dropout_factor).
// dropout_relu_backward: (fused blocks) x = the dropout layer's output y, dy = its gradient → out = ∂L/∂(batch
//                        norm's output) = dy · factor where y > 0, else 0: a kept element's y > 0 exactly where
//                        ReLU's output was, and a dropped one passes 0 either way. (xhat, params, saved unused.)

override FUSED: bool = false;

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read> copies: array<Copy>;
@group(0) @binding(3) var<storage, read> params: array<f32>;
@group(0) @binding(4) var<storage, read> saved: array<f32>;
@group(0) @binding(5) var<storage, read> x: array<f32>;
@group(0) @binding(6) var<storage, read> dy: array<f32>;
@group(0) @binding(7) var<storage, read_write> xhat: array<f32>;
@group(0) @binding(8) var<storage, read_write> out: array<f32>;

// Element i's dropout factor in copy k.
fn factor(k: u32, i: u32) -> f32 {
  let j = i - k * layer.batch * layer.ci * layer.h * layer.w;
  return dropout_factor(copies[k].mask_seed, copies[k].keep_scale, copies[k].drop_below, layer.index, step.mask_step, j);
}

@compute @workgroup_size(64)
fn normalize(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let g = group_of(i, layer.batch, layer.ci, layer.h * layer.w, step.n);
  if (g == UNUSED) { return; }
  let k = g / layer.ci;
  let c = g % layer.ci;
  let p = k * layer.param_stride + layer.param_offset;
  let v = batch_normalized(x[i], saved[g * 4u], saved[g * 4u + 1u], params[p + c], params[p + layer.ci + c]);
  xhat[i] = v.x;
  if (!FUSED) { out[i] = v.y; return; }
  let y = max(v.y, 0.0);
  out[i] = select(y, y * factor(k, i), step.train != 0u);
}

@compute @workgroup_size(64)
fn dropout_relu_backward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let g = group_of(i, layer.batch, layer.ci, layer.h * layer.w, step.n);
  if (g == UNUSED) { return; }
  out[i] = select(0.0, dy[i] * factor(g / layer.ci, i), x[i] > 0.0);
}
