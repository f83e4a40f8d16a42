// Trains G networks of the MLP family (the fractal paper's network, src/mlp/reference.ts) per workgroup, for the loss
// indices k = chunk.firstStep … chunk.endStep − 1 of one chunk: evaluate the full-batch loss[k] at the current weights,
// record it, then one gradient step (unless k = totalSteps). The same operation order as src/mlp/reference.ts, in
// float32 (a compiler may fuse a multiply and an add).
//
// Work split: a network's N lanes are its hidden units; lane j keeps column j of W0 (D weights) and its gradient in
// registers. Points go through in tiles of T: the tile's inputs and targets are staged in workgroup memory once for
// all G networks, lane j computes h[p][j] for the tile's points, the network's lanes then share out the tile's T·O
// outputs (each a sum over j in order), and lane j accumulates its dW0 column and dW1 row over the tile's points, in
// point order. W1 lives in workgroup memory (every output reads all of it). Full-batch training fuses the loss and the
// gradient in one pass over the points; minibatch training makes a second pass over the step's m points.
//
// Buffer layouts (mirrored by src/gpu/mlp-layout.ts, checked by test/gpu/mlp-layout.test.ts):
//   @binding(0) chunk   : uniform MlpChunk, 48 bytes — the cells and steps of this dispatch and the problem's constants.
//   @binding(1) params  : array<MlpParams>, 12 bytes per cell, tile order: lrHidden, lrOutput, initOffset (f32).
//   @binding(2) weights : array<f32>, D·N + N·O floats per cell, cell-major: [W0 row-major (row i = input i) | W1
//                         row-major (row j = hidden unit j)]. Host writes the starting weights; the kernel keeps them
//                         current between chunks (meaningless once the cell has diverged).
//   @binding(3) book    : array<MlpBook>, 44 bytes per cell: the running outputs, named as the OUTPUTS rows
//                         (src/core/outputs.ts) and started as pack.ts starts the course kernel's; the host finishes
//                         the score from its three sums (finishScore).
//   @binding(4) data    : array<f32>, P·D + P·O floats: x [P][D] then y [P][O], row-major.
//   @binding(5) batches : array<u32>, totalSteps · m point indices (minibatch training); a 4-byte placeholder otherwise.
//
// Overrides: D, N, O (the network's sizes, each ≤ 64), D4 = ceil(D / 4), G (networks per workgroup), T (points per tile),
//            WORKGROUP_SIZE (= G·N),
//            ACTIVATION (1 tanh, 2 relu, 3 identity; src/gpu/layout.ts ACTIVATION_CODES), FULL_BATCH,
//            OFFSET_EVERY_STEP (add initOffset to W0 before every evaluation), TAIL_LOSSES.
// Dispatch: ceil(cellCount / G) workgroups along x of G·N invocations; network g of workgroup w is cell w·G + g.

override D: u32 = 16u;
override D4: u32 = 4u;               // ceil(D / 4): groups of four inputs
override N: u32 = 16u;
override O: u32 = 1u;
override G: u32 = 4u;
override T: u32 = 32u;
override WORKGROUP_SIZE: u32 = 64u; // G · N (the host sets both)
override ACTIVATION: u32 = 1u;
override FULL_BATCH: bool = true;
override OFFSET_EVERY_STEP: bool = false;
override TAIL_LOSSES: u32 = 20u;
const MAX_SIZE: u32 = 64u;            // src/core/spec.ts MLP_LIMITS.outputs (dW1's row); inputs beyond 16: w0High's 12 groups
const SCORE_CAP: f32 = 1e6;           // src/core/reference.ts SCORE_CAP
const GAIN: f32 = 1.4142135623730951; // √2, src/mlp/reference.ts GAIN

struct MlpChunk {
  cellCount: u32,     // cells in this tile
  firstStep: u32,     // first loss index k evaluated by this chunk
  endStep: u32,       // one past the last loss index evaluated by this chunk (≤ totalSteps + 1)
  totalSteps: u32,    // updates of the sweep; loss[totalSteps] is evaluated, never followed by an update
  threshold: f32,     // the loss threshold of stepsToThreshold and settledAt
  points: u32,        // P
  batchSize: u32,     // m (= P for full batch)
  hiddenScale: f32,   // a = 1/√D
  outputScale: f32,   // b = 1/N (mean-field) or 1/√N
  lossDivisor: f32,   // P·O
  gradScale: f32,     // 2 / (m·O)
  pad: u32,
}

struct MlpParams {
  lrHidden: f32,      // learning rate of W0
  lrOutput: f32,      // learning rate of W1
  initOffset: f32,    // added to every W0 entry before each evaluation (OFFSET_EVERY_STEP; else already in the weights)
}

struct MlpBook {
  loss: f32,                           // the last loss evaluated
  minLoss: f32,                        // min over evaluated k of loss[k]
  peakLoss: f32,                       // max over evaluated k of loss[k]
  stepsToThreshold: i32,               // first k with loss[k] < threshold, or −1
  divergedAt: i32,                     // first k with a non-finite loss or weight, or −1; the outputs stop there
  firstLoss: f32,                      // loss[0]
  tailLossRatio: f32,                  // Σ (loss[k] / loss[0]) / n over the last n = min(TAIL_LOSSES, totalSteps + 1) k
  settledAt: i32,                      // first k from which every loss so far is below threshold, or −1
  scoreSum: f32,                       // Σ v over k < totalSteps, v = min(loss[k] / loss[0], SCORE_CAP)
  scoreRecip: f32,                     // Σ 1 / v
  scoreTail: f32,                      // Σ v over the last min(TAIL_LOSSES, totalSteps) k < totalSteps
}

@group(0) @binding(0) var<uniform> chunk: MlpChunk;
@group(0) @binding(1) var<storage, read> params: array<MlpParams>;
@group(0) @binding(2) var<storage, read_write> weights: array<f32>;
@group(0) @binding(3) var<storage, read_write> book: array<MlpBook>;
@group(0) @binding(4) var<storage, read> data: array<f32>;
@group(0) @binding(5) var<storage, read> batches: array<u32>;

var<workgroup> xs: array<vec4<f32>, T * D4>;  // the tile's inputs, [T][D4] groups of four (zero past D)
var<workgroup> ys: array<f32, T * O>;          // the tile's targets, [T][O]
var<workgroup> hs: array<f32, G * T * N>;      // network g's hidden outputs on the tile, [G][T][N]
var<workgroup> rs: array<f32, G * T * O>;      // network g's residuals on the tile, [G][T][O]
var<workgroup> w1s: array<f32, G * N * O>;     // network g's W1, [G][N][O]
var<workgroup> finite: array<u32, G * N>;      // lane (g, j): its weights are all finite at this evaluation

// tanh to float32 accuracy: shaders/train.wgsl's tanhAccurate (src/core/network.ts kernelTanh mirrors it).
fn tanhAccurate(x: f32) -> f32 {
  let a = abs(x);
  if (a < 1.0) {
    let x2 = x * x;
    return x * (135135.0 + x2 * (17325.0 + x2 * (378.0 + x2))) / (135135.0 + x2 * (62370.0 + x2 * (3150.0 + x2 * 28.0)));
  }
  let e = exp(-2.0 * min(a, 15.0));
  return sign(x) * ((1.0 - e) / (1.0 + e));
}

// |x| as bits: ≥ 0x7f800000 exactly when x is ±inf or NaN.
fn magnitudeBits(x: f32) -> u32 {
  return bitcast<u32>(x) & 0x7fffffffu;
}

// This lane's share of the weights: column j of W0 and of its gradient by groups of four inputs (zero past D), the
// first four groups in registers (SwiftShader runs an indexed private array through a slow per-lane path: registers made
// the trainer 4× faster) and any further groups in arrays; row j of W1's gradient (a register when O = 1).
var<private> wa: vec4<f32>;
var<private> wb: vec4<f32>;
var<private> wc: vec4<f32>;
var<private> wd: vec4<f32>;
var<private> w0High: array<vec4<f32>, 12>;
var<private> dwa: vec4<f32>;
var<private> dwb: vec4<f32>;
var<private> dwc: vec4<f32>;
var<private> dwd: vec4<f32>;
var<private> dw0High: array<vec4<f32>, 12>;
var<private> dw1One: f32;
var<private> dw1: array<f32, MAX_SIZE>;

// Group i4 of W0's column (inputs 4·i4 … 4·i4 + 3), read and written.
fn w0Group(i4: u32) -> vec4<f32> {
  switch i4 { case 0u: { return wa; } case 1u: { return wb; } case 2u: { return wc; } case 3u: { return wd; } default: { return w0High[i4 - 4u]; } }
}
fn setW0Group(i4: u32, v: vec4<f32>) {
  switch i4 { case 0u: { wa = v; } case 1u: { wb = v; } case 2u: { wc = v; } case 3u: { wd = v; } default: { w0High[i4 - 4u] = v; } }
}
fn dw0Group(i4: u32) -> vec4<f32> {
  switch i4 { case 0u: { return dwa; } case 1u: { return dwb; } case 2u: { return dwc; } case 3u: { return dwd; } default: { return dw0High[i4 - 4u]; } }
}

// Σ_i x[i]·W0[i][j] for the tile point whose inputs start at xs[at] (groups of four, each a dot product).
fn hiddenSum(at: u32) -> f32 {
  var s = dot(xs[at], wa);
  if (D4 > 1u) { s += dot(xs[at + 1u], wb); }
  if (D4 > 2u) { s += dot(xs[at + 2u], wc); }
  if (D4 > 3u) { s += dot(xs[at + 3u], wd); }
  for (var i4 = 4u; i4 < D4; i4++) { s += dot(xs[at + i4], w0High[i4 - 4u]); }
  return s;
}

// dW0[·][j] += x·dz for the tile point whose inputs start at xs[at].
fn addHiddenGradient(at: u32, dz: f32) {
  dwa += xs[at] * dz;
  if (D4 > 1u) { dwb += xs[at + 1u] * dz; }
  if (D4 > 2u) { dwc += xs[at + 2u] * dz; }
  if (D4 > 3u) { dwd += xs[at + 3u] * dz; }
  for (var i4 = 4u; i4 < D4; i4++) { dw0High[i4 - 4u] += xs[at + i4] * dz; }
}

// Stages the inputs (zero-padded to groups of four) and targets of the tile's points (tile point tp is point
// `pointAt(first + tp)`) for all networks.
fn stageTile(lane: u32, first: u32, count: u32, k: u32, batch: bool) {
  for (var e = lane; e < count * D4; e += G * N) {
    let at = pointAt(first + e / D4, k, batch) * D;
    let i = 4u * (e % D4);
    var v = vec4<f32>(0.0);
    for (var q = 0u; q < 4u; q++) { if (i + q < D) { v[q] = data[at + i + q]; } }
    xs[e] = v;
  }
  for (var e = lane; e < count * O; e += G * N) {
    ys[e] = data[chunk.points * D + pointAt(first + e / O, k, batch) * O + e % O];
  }
}

fn pointAt(q: u32, k: u32, batch: bool) -> u32 {
  if (batch) { return batches[k * chunk.batchSize + q]; }
  return q;
}

// Hidden unit j of network g on the tile's points, into hs.
fn hiddenTile(g: u32, j: u32, count: u32) {
  for (var tp = 0u; tp < count; tp++) {
    let z = hiddenSum(tp * D4) * chunk.hiddenScale;
    var h = z;
    if (ACTIVATION == 1u) { h = tanhAccurate(GAIN * z); }
    if (ACTIVATION == 2u) { h = GAIN * max(z, 0.0); }
    hs[(g * T + tp) * N + j] = h;
  }
}

// The tile's residuals of network g, shared out over its lanes: r[p][c] = (Σ_j h[p][j]·W1[j][c]) · b − y[p][c].
fn residualTile(g: u32, j: u32, count: u32) {
  for (var e = j; e < count * O; e += N) {
    let tp = e / O;
    let c = e % O;
    var s = 0.0;
    for (var jj = 0u; jj < N; jj++) { s += hs[(g * T + tp) * N + jj] * w1s[(g * N + jj) * O + c]; }
    rs[g * T * O + e] = s * chunk.outputScale - ys[e];
  }
}

// Lane j's share of the gradient on the tile's points, added in point order: dW1 row j and dW0 column j (unscaled
// sums). The activation's slope comes from h: GAIN·(1 − h²) for tanh, GAIN where h > 0 (z > 0) for ReLU.
fn gradientTile(g: u32, j: u32, count: u32) {
  for (var tp = 0u; tp < count; tp++) {
    let h = hs[(g * T + tp) * N + j];
    var s = 0.0;
    if (O == 1u) {
      let gv = rs[g * T + tp] * chunk.gradScale;
      dw1One += h * gv;
      s = gv * w1s[g * N + j];
    } else {
      for (var c = 0u; c < O; c++) {
        let gv = rs[(g * T + tp) * O + c] * chunk.gradScale;
        dw1[c] += h * gv;
        s += gv * w1s[(g * N + j) * O + c];
      }
    }
    var slope = 1.0;
    if (ACTIVATION == 1u) { slope = GAIN * (1.0 - h * h); }
    if (ACTIVATION == 2u) { slope = select(0.0, GAIN, h > 0.0); }
    addHiddenGradient(tp * D4, (s * chunk.outputScale) * slope);
  }
}

// One pass over `total` points in tiles (the loss's points, or step k's batch): the loss's sum of squared residuals
// (lane 0 of each network, in point and output order) and, when `gradient`, the gradient sums.
fn pointPass(lane: u32, g: u32, j: u32, total: u32, k: u32, batch: bool, gradient: bool, loss: bool) -> f32 {
  var sum = 0.0;
  for (var first = 0u; first < total; first += T) {
    let count = min(T, total - first);
    stageTile(lane, first, count, k, batch);
    workgroupBarrier();
    hiddenTile(g, j, count);
    workgroupBarrier();
    residualTile(g, j, count);
    workgroupBarrier();
    if (loss && j == 0u) {
      for (var e = 0u; e < count * O; e++) { let r = rs[g * T * O + e]; sum += r * r; }
    }
    if (gradient) { gradientTile(g, j, count); }
    workgroupBarrier();
  }
  return sum;
}

// The bookkeeping of loss[k] for a cell that has not diverged (src/core/reference.ts LossBook; shaders/train.wgsl's
// evaluate does the same for the course network).
fn record(b: ptr<function, MlpBook>, k: u32, loss: f32, weightsFinite: bool) {
  let live = (*b).divergedAt < 0;
  (*b).loss = select((*b).loss, loss, live);
  let diverges = !weightsFinite || magnitudeBits(loss) >= 0x7f800000u;
  (*b).divergedAt = select((*b).divergedAt, i32(k), live && diverges);
  let counts = live && !diverges;
  (*b).minLoss = select((*b).minLoss, min((*b).minLoss, loss), counts);
  (*b).peakLoss = select((*b).peakLoss, max((*b).peakLoss, loss), counts);
  let below = loss < chunk.threshold;
  (*b).stepsToThreshold = select((*b).stepsToThreshold, i32(k), counts && (*b).stepsToThreshold < 0 && below);
  (*b).settledAt = select((*b).settledAt, select(-1, select((*b).settledAt, i32(k), (*b).settledAt < 0), below), counts);
  (*b).firstLoss = select((*b).firstLoss, loss, k == 0u);
  let tailCount = min(TAIL_LOSSES, chunk.totalSteps + 1u);
  let inTail = k + tailCount > chunk.totalSteps;
  (*b).tailLossRatio = select((*b).tailLossRatio, (*b).tailLossRatio + (loss / (*b).firstLoss) / f32(tailCount), counts && inTail);
  let scores = counts && k < chunk.totalSteps;
  let v = min(loss / (*b).firstLoss, SCORE_CAP);
  (*b).scoreSum = select((*b).scoreSum, (*b).scoreSum + v, scores);
  (*b).scoreRecip = select((*b).scoreRecip, (*b).scoreRecip + 1.0 / v, scores);
  let inScoreTail = k + min(TAIL_LOSSES, chunk.totalSteps) >= chunk.totalSteps;
  (*b).scoreTail = select((*b).scoreTail, (*b).scoreTail + v, scores && inScoreTail);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn train(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let g = lane / N;
  let j = lane % N;
  let cell = wid.x * G + g;
  let real = cell < chunk.cellCount;             // lanes past the tile's end still take part in every barrier
  let at = min(cell, chunk.cellCount - 1u);
  let base = at * (D * N + N * O);
  let p = params[at];
  for (var i = 0u; i < D; i++) { var v = w0Group(i / 4u); v[i % 4u] = weights[base + i * N + j]; setW0Group(i / 4u, v); }
  for (var c = 0u; c < O; c++) { w1s[(g * N + j) * O + c] = weights[base + D * N + j * O + c]; }
  var b = book[at];
  workgroupBarrier();

  for (var k = chunk.firstStep; k < chunk.endStep; k++) {
    var worst = 0u;
    for (var i4 = 0u; i4 < D4; i4++) {
      var v = w0Group(i4);
      if (OFFSET_EVERY_STEP) { v += select(vec4<f32>(0.0), vec4<f32>(p.initOffset), 4u * i4 + vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(D)); setW0Group(i4, v); }
      worst = max(worst, max(max(magnitudeBits(v.x), magnitudeBits(v.y)), max(magnitudeBits(v.z), magnitudeBits(v.w))));
    }
    dwa = vec4<f32>(0.0); dwb = dwa; dwc = dwa; dwd = dwa;
    for (var i4 = 4u; i4 < D4; i4++) { dw0High[i4 - 4u] = dwa; }
    dw1One = 0.0;
    for (var c = 0u; c < O; c++) { worst = max(worst, magnitudeBits(w1s[(g * N + j) * O + c])); dw1[c] = 0.0; }
    finite[lane] = u32(worst < 0x7f800000u);
    let update = k < chunk.totalSteps;
    let sum = pointPass(lane, g, j, chunk.points, k, false, FULL_BATCH && update, true);
    if (!FULL_BATCH && update) { _ = pointPass(lane, g, j, chunk.batchSize, k, true, true, false); }
    if (j == 0u) {
      var allFinite = true;
      for (var jj = 0u; jj < N; jj++) { allFinite = allFinite && finite[g * N + jj] != 0u; }
      record(&b, k, sum / chunk.lossDivisor, allFinite);
    }
    if (update) {
      for (var i4 = 0u; i4 < D4; i4++) { setW0Group(i4, w0Group(i4) - p.lrHidden * (dw0Group(i4) * chunk.hiddenScale)); }
      if (O == 1u) { dw1[0] = dw1One; }
      for (var c = 0u; c < O; c++) { w1s[(g * N + j) * O + c] -= p.lrOutput * (dw1[c] * chunk.outputScale); }
    }
    workgroupBarrier();
  }

  if (real) {
    for (var i = 0u; i < D; i++) { weights[base + i * N + j] = w0Group(i / 4u)[i % 4u]; }
    for (var c = 0u; c < O; c++) { weights[base + D * N + j * O + c] = w1s[(g * N + j) * O + c]; }
    if (j == 0u) { book[cell] = b; }
  }
}
