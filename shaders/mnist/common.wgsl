// Shared by every MNIST kernel (prepended to each shaders/mnist/*.wgsl by src/gpu/mnist/trainer.ts). K copies of the
// model train at once on the same mini-batch; every buffer holds all K, copy-major. Layouts (float32 unless noted):
//   activations: [K][batch][c][h][w]   one buffer per layer output (and its gradient); batch = the capacity, of which
//                                      step.n images are in use this step (16-byte stand-ins for the outputs a fused
//                                      block never writes: src/gpu/mnist/fusion.ts)
//   params, grads, velocity: [K][P]    P = the model's parameter count; each layer's slice at layer.param_offset in
//                                      the order of src/mnist/model.ts (conv [co][ci][k][k]; batch norm γ[c], β[c];
//                                      linear W[out][in], b[out])
//   stats: [K][S]                      running statistics (batch norm: mean[c], variance[c] at layer.stat_offset)
// The structs below are mirrored by src/gpu/mnist/layout.ts (LAYER_FIELDS, STEP_FIELDS, COPY_FIELDS), checked by
// test/gpu/mnist-layout.test.ts.

struct Layer {
  copies: u32,        // K
  batch: u32,         // images per copy the activation buffers hold
  ci: u32,            // input channels
  co: u32,            // output channels
  h: u32,             // input height
  w: u32,             // input width
  ho: u32,            // output height
  wo: u32,            // output width
  param_offset: u32,  // the layer's first parameter within a copy's P
  param_stride: u32,  // P
  stat_offset: u32,   // the layer's first running statistic within a copy's S
  stat_stride: u32,   // S
  index: u32,         // the layer's position in the model (dropout masks are keyed by it; block.wgsl's fused
                      // normalize carries its dropout layer's)
  count: u32,         // elements of this dispatch's grid (kernel-specific)
  tiled_offset: u32,  // convolutions: the layer's first vec4 in a copy's tiled weights (conv-tiles.wgsl)
  tiled_stride: u32,  // vec4s of tiled weights per copy (all convolutions)
}

struct Step {
  n: u32,             // images of the batch in use
  mask_step: u32,     // the step counter dropout masks are keyed by
  train: u32,         // 1: training pass (batch statistics, dropout); 0: evaluation
  first: u32,         // index of the batch's first image in the set (evaluation: predictions go there)
}

struct Copy {
  lr: f32,            // learning rate of this step
  momentum: f32,
  weight_decay: f32,
  keep_scale: f32,    // 1 / (1 − dropout rate)
  mask_seed: u32,     // the copy's seed (src/mnist/network.ts dropoutSeed)
  drop_below: u32,    // element j is dropped when its hash < drop_below (= ceil(rate · 2³² − 0.5))
  pad0: u32,
  pad1: u32,
}

// The invocation's index in a dispatch of 64-invocation workgroups laid out (x, y) to stay under 65,535 per dimension.
fn flat_index(wid: vec3u, groups: vec3u, lid: u32) -> u32 {
  return (wid.y * groups.x + wid.x) * 64u + lid;
}

// Chris Wellons' lowbias32, as src/core/random.ts.
fn lowbias32(v: u32) -> u32 {
  var x = v;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}

// Dropout's factor for element j (its index within its copy's activation) of model layer `index`: keep_scale where
// kept, 0 where dropped. Kept when lowbias32(base ^ j) ≥ drop_below, base = lowbias32(lowbias32(seed) ^ mask_step),
// seed = mask_seed + 0x9e3779b9·(index + 1): the draw of src/mnist/layers.ts, so both engines drop the same elements.
fn dropout_factor(mask_seed: u32, keep_scale: f32, drop_below: u32, index: u32, mask_step: u32, j: u32) -> f32 {
  let base = lowbias32(lowbias32(mask_seed + 0x9e3779b9u * (index + 1u)) ^ mask_step);
  return select(0.0, keep_scale, lowbias32(base ^ j) >= drop_below);
}

const UNUSED = 0xffffffffu;

// The (copy, channel) group (k · channels + channel) of element i of a [K][batch][channels][plane] activation, or
// UNUSED when its image is not among the step's first n.
fn group_of(i: u32, batch: u32, channels: u32, plane: u32, n: u32) -> u32 {
  let kb = i / (plane * channels);
  if (kb % batch >= n) { return UNUSED; }
  return (kb / batch) * channels + (i / plane) % channels;
}

// Batch norm of one value: (xhat, γ·xhat + β), xhat = (x − mean)·inv_std.
fn batch_normalized(x: f32, mean: f32, inv_std: f32, gamma: f32, beta: f32) -> vec2f {
  let h = (x - mean) * inv_std;
  return vec2f(h, gamma * h + beta);
}
