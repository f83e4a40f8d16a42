// The classifier head for K copies: the linear layer (ci inputs → co outputs, with bias) and the loss.
// Bindings: x: the linear layer's input [K][batch][ci] (loss: the logits [K][batch][10]); dy: the gradient of the
// linear output; labels: [batch] u32 digits of the batch; out: y, dx or (loss) the logits' gradient; grads [K][P];
// tally: [K][4] f32 running sums (training loss, training correct, test loss, test correct), zeroed by the host;
// predictions: [K][test images] u32, the predicted digit of each test image (evaluation).
// linear_forward:          one invocation per (copy, image, output) (layer.count = K·batch·co).
// linear_backward_input:   one invocation per (copy, image, input) (layer.count = K·batch·ci).
// linear_backward_weights: one invocation per parameter (layer.count = K·(co·ci + co)); sums over the batch.
// loss:                    one invocation per copy (layer.count = K): log-softmax and negative log-likelihood over
//                          the batch. Training: out = (softmax − one-hot) / n, tally[0..1] += loss sum, correct;
//                          evaluation: tally[2..3] += …, predictions[k][step.first + b] = argmax.

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> params: array<f32>;
@group(0) @binding(4) var<storage, read> dy: array<f32>;
@group(0) @binding(5) var<storage, read> labels: array<u32>;
@group(0) @binding(6) var<storage, read_write> out: array<f32>;
@group(0) @binding(7) var<storage, read_write> grads: array<f32>;
@group(0) @binding(8) var<storage, read_write> tally: array<f32>;
@group(0) @binding(9) var<storage, read_write> predictions: array<u32>;

@compute @workgroup_size(64)
fn linear_forward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let o = i % layer.co;
  let kb = i / layer.co;
  if (kb % layer.batch >= step.n) { return; }
  let p = (kb / layer.batch) * layer.param_stride + layer.param_offset;
  var sum = params[p + layer.co * layer.ci + o];
  for (var c = 0u; c < layer.ci; c++) { sum += params[p + o * layer.ci + c] * x[kb * layer.ci + c]; }
  out[i] = sum;
}

@compute @workgroup_size(64)
fn linear_backward_input(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let c = i % layer.ci;
  let kb = i / layer.ci;
  if (kb % layer.batch >= step.n) { return; }
  let p = (kb / layer.batch) * layer.param_stride + layer.param_offset;
  var sum = 0.0;
  for (var o = 0u; o < layer.co; o++) { sum += params[p + o * layer.ci + c] * dy[kb * layer.co + o]; }
  out[i] = sum;
}

@compute @workgroup_size(64)
fn linear_backward_weights(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, groups, lid);
  if (i >= layer.count) { return; }
  let per_copy = layer.co * layer.ci + layer.co;
  let k = i / per_copy;
  let j = i % per_copy;
  var sum = 0.0;
  for (var b = 0u; b < step.n; b++) {
    let kb = k * layer.batch + b;
    if (j < layer.co * layer.ci) {
      sum += dy[kb * layer.co + j / layer.ci] * x[kb * layer.ci + j % layer.ci];
    } else {
      sum += dy[kb * layer.co + j - layer.co * layer.ci];
    }
  }
  grads[k * layer.param_stride + layer.param_offset + j] = sum;
}

@compute @workgroup_size(64)
fn loss(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let k = flat_index(wid, groups, lid);
  if (k >= layer.count) { return; }
  var loss_sum = 0.0;
  var correct = 0.0;
  for (var b = 0u; b < step.n; b++) {
    let row = (k * layer.batch + b) * 10u;
    var top = x[row];
    var best = 0u;
    for (var j = 1u; j < 10u; j++) { if (x[row + j] > top) { top = x[row + j]; best = j; } }
    var sum = 0.0;
    for (var j = 0u; j < 10u; j++) { sum += exp(x[row + j] - top); }
    let log_sum = top + log(sum);
    let label = labels[b];
    loss_sum -= x[row + label] - log_sum;
    if (best == label) { correct += 1.0; }
    if (step.train == 1u) {
      for (var j = 0u; j < 10u; j++) {
        out[row + j] = (exp(x[row + j] - log_sum) - select(0.0, 1.0, j == label)) / f32(step.n);
      }
    } else {
      predictions[k * layer.ci + step.first + b] = best;   // layer.ci: the test images per copy
    }
  }
  let t = k * 4u + select(2u, 0u, step.train == 1u);
  tally[t] += loss_sum;
  tally[t + 1u] += correct;
}
