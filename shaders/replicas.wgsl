// Folds each cell's R replicas on the device, after a tile of a replica sweep has trained, so that only one record per
// cell comes back (src/gpu/replica-fold.ts drives it). The definition it must agree with is reduceCell
// (src/core/replicas.ts): the host finishes each quantile from the two order statistics read here, in float64, and the
// result is bit-identical to reduceCell over the same replicas' outputs (test/kernel/replicas.test.ts).
//
// Buffers (binding group 0):
//   0 params (uniform): FoldParams { cells: u32 } — the tile's cells (its networks: cells · R).
//   1 states (storage, read): the trainer's per-network records, STATE_WORDS 32-bit words each (CellState of
//     shaders/train.wgsl or MlpBook of shaders/mlp.wgsl); replica r of the tile's cell c at word (c · R + r) · STATE_WORDS.
//   2 summaries (storage, read_write): per cell SUMMARY_WORDS = STATE_WORDS + 12 words: replica 0's record copied word
//     for word, then a ReplicaSummary (layout mirrored in src/gpu/replica-fold.ts REPLICA_SUMMARY).
// Overrides: R; STATE_WORDS; RULE (0 ends-below, 1 reached, 2 tail-mean); the record's word offsets of loss (the last
// loss = finalLoss), stepsToThreshold, settledAt, tailLossRatio and divergedAt.

override R: u32;
override STATE_WORDS: u32;
override RULE: u32;
override LOSS: u32;
override STEPS_TO_THRESHOLD: u32;
override SETTLED_AT: u32;
override TAIL_LOSS_RATIO: u32;
override DIVERGED_AT: u32;
override WORKGROUP_SIZE: u32 = 64u; // min(64, R): one workgroup per cell

struct FoldParams { cells: u32 }

// Counts of the cell's replicas, and for each quantile the order statistics at ⌊q·(n − 1)⌋ (lo) and the next (hi;
// = lo where q·(n − 1) is whole) of its subset: steps = stepsToThreshold of converged replicas that reached the
// threshold (reached of them), loss = finalLoss of replicas that did not diverge (R − diverged), div = divergedAt
// of diverged replicas (q1 and median). A subset of no replica leaves its order statistics 0 (the host writes NaN).
struct ReplicaSummary {
  converged: u32, diverged: u32, reached: u32, pad: u32,
  stepsLo: f32, stepsHi: f32, lossLo: f32, lossHi: f32,
  divQ1Lo: f32, divQ1Hi: f32, divMedianLo: f32, divMedianHi: f32,
}

const SUMMARY_FIELDS = 12u;
const SUBSET_STEPS = 0u;
const SUBSET_LOSS = 1u;
const SUBSET_DIVERGED = 2u;

@group(0) @binding(0) var<uniform> params: FoldParams;
@group(0) @binding(1) var<storage, read> states: array<u32>;
@group(0) @binding(2) var<storage, read_write> summaries: array<u32>;

fn field(network: u32, offset: u32) -> u32 { return states[network * STATE_WORDS + offset]; }

// Converged under the rule, for a replica that did not diverge.
fn converged(network: u32) -> bool {
  if (RULE == 1u) { return bitcast<i32>(field(network, STEPS_TO_THRESHOLD)) >= 0; }
  if (RULE == 2u) { return bitcast<f32>(field(network, TAIL_LOSS_RATIO)) < 1.0; }
  return bitcast<i32>(field(network, SETTLED_AT)) >= 0;
}

// Each workgroup folds one cell: invocation 0 sorts its replicas into the three subsets (workgroup memory), then every
// invocation ranks a share of each subset's members against all of them (the same loop bounds in every invocation),
// and a member of rank k records its index with atomicMin (members of equal value share one rank range).
const MAX_R = 256u;
var<workgroup> members: array<array<f32, MAX_R>, 3>;
var<workgroup> memberCount: array<u32, 3>;
var<workgroup> converged_: u32;
var<workgroup> found: array<array<atomic<u32>, 4>, 3>;
var<workgroup> ranks: array<vec4<u32>, 3>;

// Ranks ⌊q·(n − 1)⌋ and the next (or the same where q·(n − 1) is whole), for q = quarters / 4.
fn ranksOf(n: u32, quarters: u32) -> vec2<u32> {
  if (n == 0u) { return vec2<u32>(0u, 0u); }
  let scaled = quarters * (n - 1u);
  let below = scaled / 4u;
  return vec2<u32>(below, below + select(0u, 1u, scaled % 4u != 0u));
}

// The subsets of cell `first`'s replicas, by invocation 0: steps = stepsToThreshold of converged replicas that reached
// the threshold, loss = finalLoss of those that did not diverge, div = divergedAt of those that did; and the ranks wanted.
fn sortIntoSubsets(first: u32) {
  var n = vec3<u32>(0u);
  var convergedCount = 0u;
  for (var r = first; r < first + R; r++) {
    let divergedAt = bitcast<i32>(field(r, DIVERGED_AT));
    if (divergedAt >= 0) { members[SUBSET_DIVERGED][n.z] = f32(divergedAt); n.z += 1u; continue; }
    members[SUBSET_LOSS][n.y] = bitcast<f32>(field(r, LOSS)); n.y += 1u;
    let steps = bitcast<i32>(field(r, STEPS_TO_THRESHOLD));
    if (converged(r)) {
      convergedCount += 1u;
      if (steps >= 0) { members[SUBSET_STEPS][n.x] = f32(steps); n.x += 1u; }
    }
  }
  memberCount[SUBSET_STEPS] = n.x; memberCount[SUBSET_LOSS] = n.y; memberCount[SUBSET_DIVERGED] = n.z;
  converged_ = convergedCount;
  let median = ranksOf(n.x, 2u);
  ranks[SUBSET_STEPS] = vec4<u32>(median, median);
  let loss = ranksOf(n.y, 2u);
  ranks[SUBSET_LOSS] = vec4<u32>(loss, loss);
  ranks[SUBSET_DIVERGED] = vec4<u32>(ranksOf(n.z, 1u), ranksOf(n.z, 2u));
  for (var s = 0u; s < 3u; s++) { for (var q = 0u; q < 4u; q++) { atomicStore(&found[s][q], MAX_R); } }
}

// Invocation `lane`'s share of the ranking: members lane, lane + WORKGROUP_SIZE, … of each subset.
fn rankMembers(lane: u32, n: vec3<u32>, wanted: array<vec4<u32>, 3>) {
  for (var s = 0u; s < 3u; s++) {
    let count = n[s];
    for (var i = lane; i < count; i += WORKGROUP_SIZE) {
      let v = members[s][i];
      var below = 0u;
      var atOrBelow = 0u;
      for (var j = 0u; j < count; j++) {
        let w = members[s][j];
        below += select(0u, 1u, w < v);
        atOrBelow += select(0u, 1u, w <= v);
      }
      for (var q = 0u; q < 4u; q++) {
        if (below <= wanted[s][q] && wanted[s][q] < atOrBelow) { atomicMin(&found[s][q], i); }
      }
    }
  }
}

fn statistic(s: u32, q: u32) -> f32 {
  let i = atomicLoad(&found[s][q]);
  return select(0.0, members[s][min(i, MAX_R - 1u)], i < MAX_R);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn fold(@builtin(workgroup_id) group: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let cell = group.y * groups.x + group.x;
  let inRange = cell < params.cells;
  let first = cell * R;
  if (lane == 0u && inRange) { sortIntoSubsets(first); }
  workgroupBarrier();
  let n = vec3<u32>(workgroupUniformLoad(&memberCount[0]), workgroupUniformLoad(&memberCount[1]), workgroupUniformLoad(&memberCount[2]));
  let wanted = array<vec4<u32>, 3>(ranks[0], ranks[1], ranks[2]);
  if (inRange) { rankMembers(lane, n, wanted); }
  workgroupBarrier();
  if (lane != 0u || !inRange) { return; }
  let out = cell * (STATE_WORDS + SUMMARY_FIELDS);
  for (var w = 0u; w < STATE_WORDS; w++) { summaries[out + w] = states[first * STATE_WORDS + w]; }
  var summary: ReplicaSummary;
  summary.converged = converged_; summary.diverged = n.z; summary.reached = n.x;
  summary.stepsLo = statistic(SUBSET_STEPS, 0u); summary.stepsHi = statistic(SUBSET_STEPS, 1u);
  summary.lossLo = statistic(SUBSET_LOSS, 0u); summary.lossHi = statistic(SUBSET_LOSS, 1u);
  summary.divQ1Lo = statistic(SUBSET_DIVERGED, 0u); summary.divQ1Hi = statistic(SUBSET_DIVERGED, 1u);
  summary.divMedianLo = statistic(SUBSET_DIVERGED, 2u); summary.divMedianHi = statistic(SUBSET_DIVERGED, 3u);
  let s = out + STATE_WORDS;
  summaries[s] = summary.converged; summaries[s + 1u] = summary.diverged; summaries[s + 2u] = summary.reached; summaries[s + 3u] = 0u;
  summaries[s + 4u] = bitcast<u32>(summary.stepsLo); summaries[s + 5u] = bitcast<u32>(summary.stepsHi);
  summaries[s + 6u] = bitcast<u32>(summary.lossLo); summaries[s + 7u] = bitcast<u32>(summary.lossHi);
  summaries[s + 8u] = bitcast<u32>(summary.divQ1Lo); summaries[s + 9u] = bitcast<u32>(summary.divQ1Hi);
  summaries[s + 10u] = bitcast<u32>(summary.divMedianLo); summaries[s + 11u] = bitcast<u32>(summary.divMedianHi);
}
