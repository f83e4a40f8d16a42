// Trains one 2-2-2 backpropagation network per invocation, for the loss indices k = chunk.firstStep …
// chunk.endStep − 1 of one chunk: evaluate loss[k] at the current weights, record it, then update all eight weights
// at once (unless k = totalSteps, the last evaluation). All state lives in registers during the chunk and in `state`
// between chunks. The same operation order as src/core/network.ts.
//
// The loop body has no branch (but for the loss history's write in the RECORD_LOSS build): invocations run in lockstep (SIMD lanes on SwiftShader, a warp on a GPU), and a
// per-cell `break` at divergence masked every write of every step. A diverged cell computes on with non-finite
// weights, and its outputs no longer change (the bookkeeping is gated by `divergedAt < 0` with selects). npm run
// bench: 0.86 → 0.93 of the bare loop (shaders/bare.wgsl) in Node at 262,144 × 1000.
//
// Buffer layouts (mirrored by src/gpu/layout.ts, checked by test/gpu/layout.test.ts):
//   @binding(0) chunk  : uniform Chunk, 28 bytes — the cells and steps of this dispatch, shared constants.
//   @binding(1) params : array<CellParams>, 28 bytes per cell, cell order = tile order (row-major within the tile):
//                        learning rates, inputs, targets and momentum; read only. Its fields are named as the
//                        fields of the cell set-up record (src/core/network.ts CELL_SETUP_FIELDS) they come from.
//   @binding(2) state  : array<CellState>, 108 bytes per cell: the eight weights, the running outputs, the eight
//                        velocities and the score's three running sums (the host finishes the score: finishScore). After a cell diverges, its weights, velocities and loss are meaningless; its
//                        outputs are those of the step it diverged at (the host reads tailLossRatio as none then).
//                        Host initializes w1..w8 to the initial weights, loss = NaN, minLoss = +inf, peakLoss = −inf,
//                        stepsToThreshold = −1, divergedAt = −1, firstLoss = NaN, tailLossRatio = 0, settledAt = −1,
//                        v1..v8 = 0, scoreSum = scoreRecip = scoreTail = 0. After the last chunk, loss holds loss[steps]; the other outputs are named as the
//                        OUTPUTS rows (src/core/outputs.ts).
//   @binding(3) lossHistory : array<f32>, (totalSteps + 1) floats per cell, cell-major: loss[k] of cell c at
//                        c · (totalSteps + 1) + k. Written only when RECORD_LOSS (small sweeps: loss curves);
//                        otherwise bound to a 4-byte placeholder. Entries after a divergence are left untouched.
//
// Overrides: WORKGROUP_SIZE (invocations per workgroup), ACTIVATION (0 sigmoid, 1 tanh, 2 relu, 3 identity),
//            RECORD_LOSS (write every loss[k] to lossHistory), TRACK_LOSS (false only in benchmarks: skips the
//            loss and its bookkeeping — minLoss, peakLoss, stepsToThreshold, divergedAt — to measure what they
//            cost), MOMENTUM (some cell's momentum is not 0: heavy ball for every cell, which with β = 0 gives the
//            plain step's bits, since v starts at 0; false compiles the plain step without velocities, the sheet's loop),
//            TAIL_LOSSES (how many of the last losses tailLossRatio averages: src/core/outputs.ts TAIL_LOSSES).
// Dispatch: ceil(cellCount / WORKGROUP_SIZE) workgroups along x; cell = global invocation id x.

override WORKGROUP_SIZE: u32 = 64u;
override ACTIVATION: u32 = 0u;
override RECORD_LOSS: bool = false;
override TRACK_LOSS: bool = true;
override MOMENTUM: bool = false;
override TAIL_LOSSES: u32 = 20u;
const SCORE_CAP: f32 = 1e6;           // src/core/reference.ts SCORE_CAP

struct Chunk {
  cellCount: u32,     // cells in this tile
  firstStep: u32,     // first loss index k evaluated by this chunk
  endStep: u32,       // one past the last loss index evaluated by this chunk (≤ totalSteps + 1)
  totalSteps: u32,    // number of updates of the sweep; loss[totalSteps] is evaluated, never followed by an update
  threshold: f32,     // the loss threshold of stepsToThreshold and settledAt
  biasHidden: f32,    // fixed bias added to h1 and h2
  biasOutput: f32,    // fixed bias added to o1 and o2
}

struct CellParams {
  lrHidden: f32,      // learning rate of w1..w4
  lrOutput: f32,      // learning rate of w5..w8
  i1: f32,
  i2: f32,
  t1: f32,
  t2: f32,
  momentum: f32,      // heavy-ball β; 0: the sheet's plain step
}

struct CellState {
  w1: f32, w2: f32, w3: f32, w4: f32,  // hidden-layer weights
  w5: f32, w6: f32, w7: f32, w8: f32,  // output-layer weights
  loss: f32,                           // the last loss evaluated (meaningless once the cell has diverged)
  minLoss: f32,                        // min over evaluated k of loss[k]
  peakLoss: f32,                       // max over evaluated k of loss[k]
  stepsToThreshold: i32,               // first k with loss[k] < threshold, or −1
  divergedAt: i32,                     // first k with a non-finite loss or weight, or −1; the outputs stop there
  firstLoss: f32,                      // loss[0]
  tailLossRatio: f32,                  // Σ (loss[k] / loss[0]) / n over the last n = min(TAIL_LOSSES, totalSteps + 1) k so far
  settledAt: i32,                      // first k from which every loss so far is below threshold, or −1
  v1: f32, v2: f32, v3: f32, v4: f32,  // velocities (heavy ball), used only when MOMENTUM
  v5: f32, v6: f32, v7: f32, v8: f32,
  scoreSum: f32,                       // Σ v over k < totalSteps so far, v = min(loss[k] / loss[0], SCORE_CAP) (the paper's score)
  scoreRecip: f32,                     // Σ 1 / v
  scoreTail: f32,                      // Σ v over the last min(TAIL_LOSSES, totalSteps) k < totalSteps
}

@group(0) @binding(0) var<uniform> chunk: Chunk;
@group(0) @binding(1) var<storage, read> params: array<CellParams>;
@group(0) @binding(2) var<storage, read_write> state: array<CellState>;
@group(0) @binding(3) var<storage, read_write> lossHistory: array<f32>;

// tanh to float32 accuracy. WGSL's built-in is only as accurate as sinh/cosh: SwiftShader's is off by 5e-8 absolute
// near 0 (4.6e-5 relative at x = 1e-3) and NaN for |x| ≥ 89. Below |x| = 1 the [7/6] Padé approximant of Lambert's
// continued fraction (relative error < 3e-12 there); above, (1 − e)/(1 + e) with e = exp(−2|x|), which no longer
// cancels, with |x| capped at 15, where tanh already rounds to 1. src/core/network.ts mirrors it operation by operation.
fn tanhAccurate(x: f32) -> f32 {
  let a = abs(x);
  if (a < 1.0) {
    let x2 = x * x;
    return x * (135135.0 + x2 * (17325.0 + x2 * (378.0 + x2))) / (135135.0 + x2 * (62370.0 + x2 * (3150.0 + x2 * 28.0)));
  }
  let e = exp(-2.0 * min(a, 15.0));
  return sign(x) * ((1.0 - e) / (1.0 + e));
}

fn activate(x: f32) -> f32 {
  if (ACTIVATION == 0u) { return 1.0 / (1.0 + exp(-x)); }
  if (ACTIVATION == 1u) { return tanhAccurate(x); }
  if (ACTIVATION == 2u) { return max(x, 0.0); }
  return x;
}

// The activation's derivative in terms of its output a (the sheet's a·(1 − a) for the sigmoid).
fn slope(a: f32) -> f32 {
  if (ACTIVATION == 0u) { return a * (1.0 - a); }
  if (ACTIVATION == 1u) { return 1.0 - a * a; }
  if (ACTIVATION == 2u) { return select(0.0, 1.0, a > 0.0); }
  return 1.0;
}

// |x| as bits: ≥ 0x7f800000 exactly when x is ±inf or NaN. Integer compares survive fast-math NaN assumptions.
fn magnitudeBits(x: f32) -> u32 {
  return bitcast<u32>(x) & 0x7fffffffu;
}

// Loss index k's evaluation: the forward pass at the current weights and loss[k], and the bookkeeping of a cell that
// has not diverged (once it has, nothing it computes changes an output). Branch-free: SwiftShader (and a GPU) run
// invocations in lockstep, and a per-cell branch or break would mask every write of the loop.
struct Forward { ah1: f32, ah2: f32, ao1: f32, ao2: f32 }

fn evaluate(s: ptr<function, CellState>, p: CellParams, k: u32, bh: f32, bo: f32) -> Forward {
  let f = Forward(activate((*s).w1 * p.i1 + (*s).w2 * p.i2 + bh), activate((*s).w3 * p.i1 + (*s).w4 * p.i2 + bh), 0.0, 0.0);
  let ao1 = activate((*s).w5 * f.ah1 + (*s).w6 * f.ah2 + bo);
  let ao2 = activate((*s).w7 * f.ah1 + (*s).w8 * f.ah2 + bo);
  let e1 = p.t1 - ao1;
  let e2 = p.t2 - ao2;
  let loss = 0.5 * (e1 * e1 + e2 * e2);
  let live = (*s).divergedAt < 0;
  (*s).loss = loss;
  if (RECORD_LOSS) { if (live) { lossHistory[cellIndex * (chunk.totalSteps + 1u) + k] = loss; } }
  if (TRACK_LOSS) {
    let worst = max(max(max(magnitudeBits((*s).w1), magnitudeBits((*s).w2)), max(magnitudeBits((*s).w3), magnitudeBits((*s).w4))),
                    max(max(magnitudeBits((*s).w5), magnitudeBits((*s).w6)), max(magnitudeBits((*s).w7), magnitudeBits((*s).w8))));
    let diverges = max(worst, magnitudeBits(loss)) >= 0x7f800000u;
    (*s).divergedAt = select((*s).divergedAt, i32(k), live && diverges);
    let counts = live && !diverges;
    (*s).minLoss = select((*s).minLoss, min((*s).minLoss, loss), counts);
    (*s).peakLoss = select((*s).peakLoss, max((*s).peakLoss, loss), counts);
    let below = loss < chunk.threshold;
    (*s).stepsToThreshold = select((*s).stepsToThreshold, i32(k), counts && (*s).stepsToThreshold < 0 && below);
    (*s).settledAt = select((*s).settledAt, select(-1, select((*s).settledAt, i32(k), (*s).settledAt < 0), below), counts);
    (*s).firstLoss = select((*s).firstLoss, loss, k == 0u);
    let tailCount = min(TAIL_LOSSES, chunk.totalSteps + 1u);
    let inTail = k + tailCount > chunk.totalSteps;
    (*s).tailLossRatio = select((*s).tailLossRatio, (*s).tailLossRatio + (loss / (*s).firstLoss) / f32(tailCount), counts && inTail);
    let scores = counts && k < chunk.totalSteps;
    let v = min(loss / (*s).firstLoss, SCORE_CAP);
    (*s).scoreSum = select((*s).scoreSum, (*s).scoreSum + v, scores);
    (*s).scoreRecip = select((*s).scoreRecip, (*s).scoreRecip + 1.0 / v, scores);
    let inScoreTail = k + min(TAIL_LOSSES, chunk.totalSteps) >= chunk.totalSteps;
    (*s).scoreTail = select((*s).scoreTail, (*s).scoreTail + v, scores && inScoreTail);
  }
  return Forward(f.ah1, f.ah2, ao1, ao2);
}

// The update after loss[k]: every gradient from the old weights, then all eight updates at once.
fn update(s: ptr<function, CellState>, p: CellParams, f: Forward) {
  let do1 = (f.ao1 - p.t1) * slope(f.ao1);
  let do2 = (f.ao2 - p.t2) * slope(f.ao2);
  let dh1 = (do1 * (*s).w5 + do2 * (*s).w7) * slope(f.ah1);
  let dh2 = (do1 * (*s).w6 + do2 * (*s).w8) * slope(f.ah2);
  let g1 = dh1 * p.i1; let g2 = dh1 * p.i2; let g3 = dh2 * p.i1; let g4 = dh2 * p.i2;
  let g5 = do1 * f.ah1; let g6 = do1 * f.ah2; let g7 = do2 * f.ah1; let g8 = do2 * f.ah2;
  if (MOMENTUM) {
    // Heavy ball (src/core/network.ts applyUpdate): v ← β·v + g, w ← w − η·v; with β = 0 this is the plain step.
    (*s).v1 = p.momentum * (*s).v1 + g1; (*s).v2 = p.momentum * (*s).v2 + g2; (*s).v3 = p.momentum * (*s).v3 + g3; (*s).v4 = p.momentum * (*s).v4 + g4;
    (*s).v5 = p.momentum * (*s).v5 + g5; (*s).v6 = p.momentum * (*s).v6 + g6; (*s).v7 = p.momentum * (*s).v7 + g7; (*s).v8 = p.momentum * (*s).v8 + g8;
    (*s).w1 -= p.lrHidden * (*s).v1; (*s).w2 -= p.lrHidden * (*s).v2; (*s).w3 -= p.lrHidden * (*s).v3; (*s).w4 -= p.lrHidden * (*s).v4;
    (*s).w5 -= p.lrOutput * (*s).v5; (*s).w6 -= p.lrOutput * (*s).v6; (*s).w7 -= p.lrOutput * (*s).v7; (*s).w8 -= p.lrOutput * (*s).v8;
  } else {
    (*s).w1 -= p.lrHidden * g1; (*s).w2 -= p.lrHidden * g2; (*s).w3 -= p.lrHidden * g3; (*s).w4 -= p.lrHidden * g4;
    (*s).w5 -= p.lrOutput * g5; (*s).w6 -= p.lrOutput * g6; (*s).w7 -= p.lrOutput * g7; (*s).w8 -= p.lrOutput * g8;
  }
}

// This invocation's cell (for the loss history's index).
var<private> cellIndex: u32;

@compute @workgroup_size(WORKGROUP_SIZE)
fn train(@builtin(global_invocation_id) id: vec3<u32>) {
  let cell = id.x;
  if (cell >= chunk.cellCount) { return; }
  cellIndex = cell;
  var s = state[cell];
  if (s.divergedAt >= 0) { return; }
  let p = params[cell];
  let bh = chunk.biasHidden;
  let bo = chunk.biasOutput;
  // Evaluations k = firstStep … endStep − 1, each followed by an update except k = totalSteps (the last evaluation,
  // outside the loop so that the loop body has no branch). A diverged cell computes on; its outputs stay.
  let updates = min(chunk.endStep, chunk.totalSteps);
  for (var k = chunk.firstStep; k < updates; k++) {
    update(&s, p, evaluate(&s, p, k, bh, bo));
  }
  if (chunk.endStep > chunk.totalSteps) { _ = evaluate(&s, p, chunk.totalSteps, bh, bo); }
  state[cell] = s;
}
