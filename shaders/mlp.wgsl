// Trains G networks of the MLP family (the fractal paper's network, src/mlp/reference.ts) per workgroup, for the loss
// indices k = chunk.firstStep … chunk.endStep − 1 of one chunk: evaluate the full-batch loss[k] at the current weights,
// record it, then one gradient step (unless k = totalSteps). The same operation order as src/mlp/reference.ts, in
// float32 (a compiler may fuse a multiply and an add).
//
// Work split: a network's N4 = ceil(N / 4) lanes each own four hidden units (units past N are zero and stay zero);
// lane l keeps its four columns of W0 and of their gradient in registers, as 4 × 4 blocks (one mat4x4 per group of four
// inputs, each column one hidden unit). Points go through in tiles of T: the tile's inputs and targets are staged in
// workgroup memory once for all G networks, lane l computes h[p][4l … 4l + 3] for the tile's points (a vector-matrix
// product per input group), the network's lanes then share out the tile's T·O outputs, and lane l accumulates its dW0
// blocks (outer products) and dW1 rows over the tile's points, in point order. W1 lives in workgroup memory (every
// output reads all of it). Full-batch training fuses the loss and the gradient in one pass over the points; minibatch
// training makes a second pass over the step's m points. SwiftShader runs indexed private arrays and workgroup loads
// through a slow per-lane path: registers and four hidden units per lane (four times fewer loads per multiply-add)
// are what make this kernel fast there.
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
// Overrides: D, N, O (the network's sizes, each ≤ 64), D4 = ceil(D / 4), N4 = ceil(N / 4), G (networks per
//            workgroup), T (points per tile), WORKGROUP_SIZE (= G·N4),
//            ACTIVATION (1 tanh, 2 relu, 3 identity; src/gpu/layout.ts ACTIVATION_CODES), FULL_BATCH,
//            OFFSET_EVERY_STEP (add initOffset to W0 before every evaluation), TAIL_LOSSES.
// Dispatch: ceil(cellCount / G) workgroups along x of G·N4 invocations; network g of workgroup w is cell w·G + g.

override D: u32 = 16u;
override D4: u32 = 4u;               // ceil(D / 4): groups of four inputs
override N: u32 = 16u;
override N4: u32 = 4u;               // ceil(N / 4): lanes per network
override O: u32 = 1u;
override G: u32 = 4u;
override T: u32 = 32u;
override WORKGROUP_SIZE: u32 = 64u; // G · N4 (the host sets both)
override ACTIVATION: u32 = 1u;
override FULL_BATCH: bool = true;
override OFFSET_EVERY_STEP: bool = false;
override TAIL_LOSSES: u32 = 20u;
const MAX_SIZE: u32 = 64u;            // src/core/spec.ts MLP_LIMITS.outputs (dW1's rows); inputs beyond 16: w0High's 12 groups
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
var<workgroup> hs: array<vec4<f32>, G * T * N4>; // network g's hidden outputs on the tile, [G][T][N4] groups of four
var<workgroup> rs: array<f32, G * T * O>;      // network g's residuals on the tile, [G][T][O]
var<workgroup> w1s: array<vec4<f32>, G * O * N4>; // network g's W1 by output, [G][O][N4]: W1[4l … 4l + 3][c] (zero past N)
var<workgroup> finite: array<u32, G * N4>;     // lane (g, l): its weights are all finite at this evaluation

// |x| as bits: ≥ 0x7f800000 exactly when x is ±inf or NaN.
fn magnitudeBits(x: f32) -> u32 {
  return bitcast<u32>(x) & 0x7fffffffu;
}

// This lane's share of the weights: its four columns of W0 and of their gradient, one 4 × 4 block per group of four
// inputs (zero past D and N), the first four blocks in registers and any further ones in arrays; its four rows of
// W1's gradient (registers when O = 1).
var<private> wa: mat4x4<f32>;
var<private> wb: mat4x4<f32>;
var<private> wc: mat4x4<f32>;
var<private> wd: mat4x4<f32>;
var<private> w0High: array<mat4x4<f32>, 12>;
var<private> dwa: mat4x4<f32>;
var<private> dwb: mat4x4<f32>;
var<private> dwc: mat4x4<f32>;
var<private> dwd: mat4x4<f32>;
var<private> dw0High: array<mat4x4<f32>, 12>;
var<private> dw1One: vec4<f32>;
var<private> dw1: array<vec4<f32>, MAX_SIZE>;

// Block i4 of this lane's W0 columns (inputs 4·i4 … 4·i4 + 3), and of their gradient.
fn w0Block(i4: u32) -> mat4x4<f32> {
  switch i4 { case 0u: { return wa; } case 1u: { return wb; } case 2u: { return wc; } case 3u: { return wd; } default: { return w0High[i4 - 4u]; } }
}
fn setW0Block(i4: u32, m: mat4x4<f32>) {
  switch i4 { case 0u: { wa = m; } case 1u: { wb = m; } case 2u: { wc = m; } case 3u: { wd = m; } default: { w0High[i4 - 4u] = m; } }
}
fn dw0Block(i4: u32) -> mat4x4<f32> {
  switch i4 { case 0u: { return dwa; } case 1u: { return dwb; } case 2u: { return dwc; } case 3u: { return dwd; } default: { return dw0High[i4 - 4u]; } }
}

// Σ_i x[i]·W0[i][4l + c] for c = 0 … 3, for the tile point whose inputs start at xs[at].
fn hiddenSums(at: u32) -> vec4<f32> {
  var s = xs[at] * wa;
  if (D4 > 1u) { s += xs[at + 1u] * wb; }
  if (D4 > 2u) { s += xs[at + 2u] * wc; }
  if (D4 > 3u) { s += xs[at + 3u] * wd; }
  for (var i4 = 4u; i4 < D4; i4++) { s += xs[at + i4] * w0High[i4 - 4u]; }
  return s;
}

// x ⊗ dz as a block: column c is x · dz[c].
fn outer(x: vec4<f32>, dz: vec4<f32>) -> mat4x4<f32> {
  return mat4x4<f32>(x * dz.x, x * dz.y, x * dz.z, x * dz.w);
}

// dW0[·][4l + c] += x·dz[c] for the tile point whose inputs start at xs[at].
fn addHiddenGradient(at: u32, dz: vec4<f32>) {
  dwa += outer(xs[at], dz);
  if (D4 > 1u) { dwb += outer(xs[at + 1u], dz); }
  if (D4 > 2u) { dwc += outer(xs[at + 2u], dz); }
  if (D4 > 3u) { dwd += outer(xs[at + 3u], dz); }
  for (var i4 = 4u; i4 < D4; i4++) { dw0High[i4 - 4u] += outer(xs[at + i4], dz); }
}

// tanh to float32 accuracy on four values: shaders/train.wgsl's tanhAccurate (src/core/network.ts kernelTanh mirrors
// it), both of its branches computed and one selected (the same values).
fn tanh4(x: vec4<f32>) -> vec4<f32> {
  let x2 = x * x;
  let pade = x * (135135.0 + x2 * (17325.0 + x2 * (378.0 + x2))) / (135135.0 + x2 * (62370.0 + x2 * (3150.0 + x2 * 28.0)));
  let e = exp(-2.0 * min(abs(x), vec4<f32>(15.0)));
  return select(sign(x) * ((1.0 - e) / (1.0 + e)), pade, abs(x) < vec4<f32>(1.0));
}

// Stages the inputs (zero-padded to groups of four) and targets of the tile's points (tile point tp is point
// `pointAt(first + tp)`) for all networks.
fn stageTile(lane: u32, first: u32, count: u32, k: u32, batch: bool) {
  for (var e = lane; e < count * D4; e += WORKGROUP_SIZE) {
    let at = pointAt(first + e / D4, k, batch) * D;
    let i = 4u * (e % D4);
    var v = vec4<f32>(0.0);
    for (var q = 0u; q < 4u; q++) { if (i + q < D) { v[q] = data[at + i + q]; } }
    xs[e] = v;
  }
  for (var e = lane; e < count * O; e += WORKGROUP_SIZE) {
    ys[e] = data[chunk.points * D + pointAt(first + e / O, k, batch) * O + e % O];
  }
}

fn pointAt(q: u32, k: u32, batch: bool) -> u32 {
  if (batch) { return batches[k * chunk.batchSize + q]; }
  return q;
}

// Hidden units 4l … 4l + 3 of network g on the tile's points, into hs.
fn hiddenTile(g: u32, l: u32, count: u32) {
  for (var tp = 0u; tp < count; tp++) {
    let z = hiddenSums(tp * D4) * chunk.hiddenScale;
    var h = z;
    if (ACTIVATION == 1u) { h = tanh4(GAIN * z); }
    if (ACTIVATION == 2u) { h = GAIN * max(z, vec4<f32>(0.0)); }
    hs[(g * T + tp) * N4 + l] = h;
  }
}

// The tile's residuals of network g, shared out over its lanes: r[p][c] = (Σ_j h[p][j]·W1[j][c]) · b − y[p][c].
fn residualTile(g: u32, l: u32, count: u32) {
  for (var e = l; e < count * O; e += N4) {
    let tp = e / O;
    let c = e % O;
    var s = 0.0;
    for (var ll = 0u; ll < N4; ll++) { s += dot(hs[(g * T + tp) * N4 + ll], w1s[(g * O + c) * N4 + ll]); }
    rs[g * T * O + e] = s * chunk.outputScale - ys[e];
  }
}

// Lane l's share of the gradient on the tile's points, added in point order: dW1 rows 4l … 4l + 3 and dW0's blocks
// (unscaled sums). The activation's slope comes from h: GAIN·(1 − h²) for tanh, GAIN where h > 0 (z > 0) for ReLU.
fn gradientTile(g: u32, l: u32, count: u32) {
  for (var tp = 0u; tp < count; tp++) {
    let h = hs[(g * T + tp) * N4 + l];
    var s = vec4<f32>(0.0);
    if (O == 1u) {
      let gv = rs[g * T + tp] * chunk.gradScale;
      dw1One += h * gv;
      s = gv * w1s[g * N4 + l];
    } else {
      for (var c = 0u; c < O; c++) {
        let gv = rs[(g * T + tp) * O + c] * chunk.gradScale;
        dw1[c] += h * gv;
        s += gv * w1s[(g * O + c) * N4 + l];
      }
    }
    var slope = vec4<f32>(1.0);
    if (ACTIVATION == 1u) { slope = GAIN * (1.0 - h * h); }
    if (ACTIVATION == 2u) { slope = select(vec4<f32>(0.0), vec4<f32>(GAIN), h > vec4<f32>(0.0)); }
    addHiddenGradient(tp * D4, (s * chunk.outputScale) * slope);
  }
}

// One pass over `total` points in tiles (the loss's points, or step k's batch): the loss's sum of squared residuals
// (lane 0 of each network, in point and output order) and, when `gradient`, the gradient sums.
fn pointPass(lane: u32, g: u32, l: u32, total: u32, k: u32, batch: bool, gradient: bool, loss: bool) -> f32 {
  var sum = 0.0;
  for (var first = 0u; first < total; first += T) {
    let count = min(T, total - first);
    stageTile(lane, first, count, k, batch);
    workgroupBarrier();
    hiddenTile(g, l, count);
    workgroupBarrier();
    residualTile(g, l, count);
    workgroupBarrier();
    if (loss && l == 0u) {
      for (var e = 0u; e < count * O; e++) { let r = rs[g * T * O + e]; sum += r * r; }
    }
    if (gradient) { gradientTile(g, l, count); }
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

// The magnitude bits of a block's largest entry (≥ 0x7f800000 when any is ±inf or NaN).
fn worstOf(v: vec4<f32>) -> u32 {
  return max(max(magnitudeBits(v.x), magnitudeBits(v.y)), max(magnitudeBits(v.z), magnitudeBits(v.w)));
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn train(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let g = lane / N4;
  let l = lane % N4;
  let cell = wid.x * G + g;
  let real = cell < chunk.cellCount;             // lanes past the tile's end still take part in every barrier
  let at = min(cell, chunk.cellCount - 1u);
  let base = at * (D * N + N * O);
  let p = params[at];
  // Column c of the lane's blocks is hidden unit 4l + c (zero past N); row r of block i4 is input 4·i4 + r.
  let units = 4u * l + vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(N);
  for (var i4 = 0u; i4 < D4; i4++) {
    var m = mat4x4<f32>();
    for (var c = 0u; c < 4u; c++) {
      for (var r = 0u; r < 4u; r++) { if (4u * i4 + r < D && 4u * l + c < N) { m[c][r] = weights[base + (4u * i4 + r) * N + 4u * l + c]; } }
    }
    setW0Block(i4, m);
  }
  for (var c = 0u; c < O; c++) {
    var v = vec4<f32>(0.0);
    for (var q = 0u; q < 4u; q++) { if (4u * l + q < N) { v[q] = weights[base + D * N + (4u * l + q) * O + c]; } }
    w1s[(g * O + c) * N4 + l] = v;
  }
  var b = book[at];
  workgroupBarrier();

  for (var k = chunk.firstStep; k < chunk.endStep; k++) {
    var worst = 0u;
    for (var i4 = 0u; i4 < D4; i4++) {
      var m = w0Block(i4);
      if (OFFSET_EVERY_STEP) {
        let rows = select(vec4<f32>(0.0), vec4<f32>(p.initOffset), 4u * i4 + vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(D));
        let off = select(vec4<f32>(0.0), vec4<f32>(1.0), units);
        m += outer(rows, off);
        setW0Block(i4, m);
      }
      worst = max(worst, max(max(worstOf(m[0]), worstOf(m[1])), max(worstOf(m[2]), worstOf(m[3]))));
    }
    dwa = mat4x4<f32>(); dwb = dwa; dwc = dwa; dwd = dwa;
    for (var i4 = 4u; i4 < D4; i4++) { dw0High[i4 - 4u] = dwa; }
    dw1One = vec4<f32>(0.0);
    for (var c = 0u; c < O; c++) { worst = max(worst, worstOf(w1s[(g * O + c) * N4 + l])); dw1[c] = dw1One; }
    finite[lane] = u32(worst < 0x7f800000u);
    let update = k < chunk.totalSteps;
    let sum = pointPass(lane, g, l, chunk.points, k, false, FULL_BATCH && update, true);
    if (!FULL_BATCH && update) { _ = pointPass(lane, g, l, chunk.batchSize, k, true, true, false); }
    if (l == 0u) {
      var allFinite = true;
      for (var ll = 0u; ll < N4; ll++) { allFinite = allFinite && finite[g * N4 + ll] != 0u; }
      record(&b, k, sum / chunk.lossDivisor, allFinite);
    }
    if (update) {
      for (var i4 = 0u; i4 < D4; i4++) { setW0Block(i4, w0Block(i4) - p.lrHidden * (dw0Block(i4) * chunk.hiddenScale)); }
      if (O == 1u) { dw1[0] = dw1One; }
      for (var c = 0u; c < O; c++) { w1s[(g * O + c) * N4 + l] -= p.lrOutput * (dw1[c] * chunk.outputScale); }
    }
    workgroupBarrier();
  }

  if (real) {
    for (var i = 0u; i < D; i++) {
      let m = w0Block(i / 4u);
      for (var c = 0u; c < 4u; c++) { if (4u * l + c < N) { weights[base + i * N + 4u * l + c] = m[c][i % 4u]; } }
    }
    for (var c = 0u; c < O; c++) {
      let v = w1s[(g * O + c) * N4 + l];
      for (var q = 0u; q < 4u; q++) { if (4u * l + q < N) { weights[base + D * N + (4u * l + q) * O + c] = v[q]; } }
    }
    if (l == 0u) { book[cell] = b; }
  }
}
