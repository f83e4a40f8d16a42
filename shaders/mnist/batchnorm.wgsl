// Batch normalization per channel over the batch and the pixels, for K copies. Layer: ci = co = channels,
// h = ho, w = wo. Buffers as common.wgsl, and saved: [K][c][4] f32 = batch mean, 1/√(variance + ε), ∂L/∂γ, ∂L/∂β of
// the last pass; xhat like x. Running statistics follow PyTorch (momentum 0.1, unbiased variance), as
// src/mnist/layers.ts.
// statistics: one 64-invocation workgroup per (copy, channel) (layer.count = K·c). Training: the batch's mean and
//             variance (two passes), the running statistics updated; evaluation: the running ones.
// (The normalization itself, xhat = (x − mean)·invStd and γ·xhat + β, is block.wgsl's normalize.)
// reduce_gradients: one workgroup per (copy, channel): ∂L/∂γ = Σ dy·xhat, ∂L/∂β = Σ dy into grads and saved.
// backward_input: one invocation per element: out = dx = γ·invStd/N · (N·dy − ∂L/∂β − xhat·∂L/∂γ), N = n·h·w.

const EPSILON = 1e-5;
const MOMENTUM = 0.1;

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> params: array<f32>;
@group(0) @binding(4) var<storage, read> dy: array<f32>;
@group(0) @binding(5) var<storage, read_write> stats: array<f32>;
@group(0) @binding(6) var<storage, read_write> saved: array<f32>;
@group(0) @binding(7) var<storage, read_write> xhat: array<f32>;
@group(0) @binding(8) var<storage, read_write> out: array<f32>;
@group(0) @binding(9) var<storage, read_write> grads: array<f32>;

var<workgroup> partial: array<f32, 64>;
var<workgroup> partial2: array<f32, 64>;

fn reduce2(lid: u32) {
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid < s) {
      partial[lid] += partial[lid + s];
      partial2[lid] += partial2[lid + s];
    }
    workgroupBarrier();
  }
}

// Element e of the (copy k, channel c) group: image e / plane, pixel e % plane.
fn element(k: u32, c: u32, e: u32) -> u32 {
  let plane = layer.h * layer.w;
  return ((k * layer.batch + e / plane) * layer.ci + c) * plane + e % plane;
}

@compute @workgroup_size(64)
fn statistics(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let g = wid.y * groups.x + wid.x;                // k · c + channel
  if (g >= layer.count) { return; }                 // uniform per workgroup: the barriers stay uniform
  let k = g / layer.ci;
  let c = g % layer.ci;
  let running = k * layer.stat_stride + layer.stat_offset;
  if (step.train == 0u) {
    if (lid == 0u) {
      saved[g * 4u] = stats[running + c];
      saved[g * 4u + 1u] = 1.0 / sqrt(stats[running + layer.ci + c] + EPSILON);
    }
    return;
  }
  let total = step.n * layer.h * layer.w;
  var sum = 0.0;
  for (var e = lid; e < total; e += 64u) { sum += x[element(k, c, e)]; }
  partial[lid] = sum;
  partial2[lid] = 0.0;
  reduce2(lid);
  let mean = partial[0] / f32(total);
  workgroupBarrier();
  var squares = 0.0;
  for (var e = lid; e < total; e += 64u) { let d = x[element(k, c, e)] - mean; squares += d * d; }
  partial[lid] = squares;
  reduce2(lid);
  if (lid == 0u) {
    let variance = partial[0] / f32(total);
    saved[g * 4u] = mean;
    saved[g * 4u + 1u] = 1.0 / sqrt(variance + EPSILON);
    stats[running + c] = (1.0 - MOMENTUM) * stats[running + c] + MOMENTUM * mean;
    stats[running + layer.ci + c] = (1.0 - MOMENTUM) * stats[running + layer.ci + c] + MOMENTUM * (partial[0] / f32(max(1u, total - 1u)));
  }
}

fn group(i: u32) -> u32 { return group_of(i, layer.batch, layer.ci, layer.h * layer.w, step.n); }

@compute @workgroup_size(64)
fn reduce_gradients(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let g = wid.y * groups.x + wid.x;
  if (g >= layer.count) { return; }
  let k = g / layer.ci;
  let c = g % layer.ci;
  let total = step.n * layer.h * layer.w;
  var d_gamma = 0.0;
  var d_beta = 0.0;
  for (var e = lid; e < total; e += 64u) {
    let j = element(k, c, e);
    d_gamma += dy[j] * xhat[j];
    d_beta += dy[j];
  }
  partial[lid] = d_gamma;
  partial2[lid] = d_beta;
  reduce2(lid);
  if (lid == 0u) {
    let p = k * layer.param_stride + layer.param_offset;
    grads[p + c] = partial[0];
    grads[p + layer.ci + c] = partial2[0];
    saved[g * 4u + 2u] = partial[0];
    saved[g * 4u + 3u] = partial2[0];
  }
}

@compute @workgroup_size(64)
fn backward_input(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let g = group(i);
  if (g == UNUSED) { return; }
  let k = g / layer.ci;
  let c = g % layer.ci;
  let count = f32(step.n * layer.h * layer.w);
  let gamma = params[k * layer.param_stride + layer.param_offset + c];
  out[i] = gamma * saved[g * 4u + 1u] / count * (count * dy[i] - saved[g * 4u + 3u] - xhat[i] * saved[g * 4u + 2u]);
}
