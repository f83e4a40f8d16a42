// SGD with momentum (PyTorch's): v = μ·v + g + λ·p, p −= lr·v, per parameter of K copies. One invocation per
// parameter (layer.count = K·P, param_stride = P); lr, μ and λ from the copy's Copy record.

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<storage, read> copies: array<Copy>;
@group(0) @binding(2) var<storage, read> grads: array<f32>;
@group(0) @binding(3) var<storage, read_write> params: array<f32>;
@group(0) @binding(4) var<storage, read_write> velocity: array<f32>;

@compute @workgroup_size(64)
fn update(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let cp = copies[i / layer.param_stride];
  let v = cp.momentum * velocity[i] + grads[i] + cp.weight_decay * params[i];
  velocity[i] = v;
  params[i] = params[i] - cp.lr * v;
}
