// The benchmark's reference: the textbook training loop with nothing else. The eight weights in registers, inputs,
// targets and biases as constants, the sigmoid, one dispatch for every step, no loss until the end and no
// bookkeeping. The trainer (train.wgsl) does the same arithmetic per step plus its outputs; npm run bench prints
// trainer ÷ bare loop.
//
// Buffer layouts:
//   @binding(0) cells : array<BareCell>, 40 bytes per network: w1..w8 (initial weights), lrHidden, lrOutput.
//   @binding(1) sink  : array<f32>, one float per network: loss after the last update, so that no work is dropped.
//
// Overrides: WORKGROUP_SIZE, STEPS (updates per network), I1, I2, T1, T2 (the era-v1 sheet's inputs and targets).

override WORKGROUP_SIZE: u32 = 64u;
override STEPS: u32 = 1000u;
override I1: f32 = 0.05;
override I2: f32 = 0.1;
override T1: f32 = 0.5;
override T2: f32 = 0.5;

struct BareCell { w1: f32, w2: f32, w3: f32, w4: f32, w5: f32, w6: f32, w7: f32, w8: f32, lrHidden: f32, lrOutput: f32 }

@group(0) @binding(0) var<storage, read> cells: array<BareCell>;
@group(0) @binding(1) var<storage, read_write> sink: array<f32>;

fn sigmoid(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }

@compute @workgroup_size(WORKGROUP_SIZE)
fn bare(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= arrayLength(&cells)) { return; }
  let c = cells[id.x];
  var w1 = c.w1; var w2 = c.w2; var w3 = c.w3; var w4 = c.w4; var w5 = c.w5; var w6 = c.w6; var w7 = c.w7; var w8 = c.w8;
  for (var k = 0u; k < STEPS; k++) {
    let ah1 = sigmoid(w1 * I1 + w2 * I2);
    let ah2 = sigmoid(w3 * I1 + w4 * I2);
    let ao1 = sigmoid(w5 * ah1 + w6 * ah2);
    let ao2 = sigmoid(w7 * ah1 + w8 * ah2);
    let do1 = (ao1 - T1) * ao1 * (1.0 - ao1);
    let do2 = (ao2 - T2) * ao2 * (1.0 - ao2);
    let dh1 = (do1 * w5 + do2 * w7) * ah1 * (1.0 - ah1);
    let dh2 = (do1 * w6 + do2 * w8) * ah2 * (1.0 - ah2);
    w1 -= c.lrHidden * dh1 * I1; w2 -= c.lrHidden * dh1 * I2; w3 -= c.lrHidden * dh2 * I1; w4 -= c.lrHidden * dh2 * I2;
    w5 -= c.lrOutput * do1 * ah1; w6 -= c.lrOutput * do1 * ah2; w7 -= c.lrOutput * do2 * ah1; w8 -= c.lrOutput * do2 * ah2;
  }
  let ao1 = sigmoid(w5 * sigmoid(w1 * I1 + w2 * I2) + w6 * sigmoid(w3 * I1 + w4 * I2));
  let ao2 = sigmoid(w7 * sigmoid(w1 * I1 + w2 * I2) + w8 * sigmoid(w3 * I1 + w4 * I2));
  sink[id.x] = 0.5 * ((T1 - ao1) * (T1 - ao1) + (T2 - ao2) * (T2 - ao2));
}
