/**
 * A replica cell replayed for the inspector (pure): which of its R networks are replayed and at which steps (a work
 * budget keeps R = 4096 responsive), each replay's losses on the common kept steps, and the median curve.
 */
import { networkCount } from './grid';
import { allocateOutputs, setCell, type CellOutputs, type ConvergenceRule, type SweepOutputs } from './outputs';
import { quantile, reduceCell } from './replicas';
import { isMlp, replicaCount, type SweepSpec } from './spec';

/** Most steps kept per replayed curve: a replay keeps every `every`-th step, at most about this many. */
export const REPLICA_CURVE_POINTS = 250;

/**
 * Work a cell's replay may take, in course network-steps (about 160 ns each on the WebAssembly kernel here: about
 * 1.5 s); an MLP step costs m·(d·n + n·o) / MLP_STEP_DIVISOR of them (the TypeScript oracle: about 1 ms a step for
 * the paper's 16-16-1 on 272 points).
 */
export const REPLAY_BUDGET = 1e7;
const MLP_STEP_DIVISOR = 12;
/** Replicas replayed whatever the budget says (when R has them). */
export const MIN_REPLAYED = 8;

/** What a replica cell's replay covers: replicas 0 … replayed − 1 of R, keeping every `every`-th step. */
export interface ReplayPlan { replicas: number; replayed: number; every: number }

/** Course network-steps one step of one network of `spec` costs to replay. */
export function stepCost(spec: SweepSpec): number {
  if (!isMlp(spec)) return 1;
  const { inputs: d, width: n, outputs: o } = spec.network;
  return Math.max(1, ((spec.minibatch?.size ?? spec.data.points) * (d * n + n * o)) / MLP_STEP_DIVISOR);
}

/** The replay of a cell of `spec`: every replica while REPLAY_BUDGET allows (at least MIN_REPLAYED), REPLICA_CURVE_POINTS steps each. */
export function replayPlan(spec: SweepSpec): ReplayPlan {
  const replicas = replicaCount(spec);
  const affordable = Math.floor(REPLAY_BUDGET / (spec.steps * stepCost(spec)));
  return { replicas, replayed: Math.min(replicas, Math.max(MIN_REPLAYED, affordable)), every: Math.max(1, Math.ceil((spec.steps + 1) / REPLICA_CURVE_POINTS)) };
}

/** The steps a replay keeps: 0, every, 2·every, …, and the last step `steps`. */
export function keptSteps(steps: number, every: number): Float64Array {
  const k = Array.from({ length: Math.floor(steps / every) + 1 }, (_, t) => t * every);
  if (k[k.length - 1] !== steps) k.push(steps);
  return Float64Array.from(k);
}

/**
 * A replay's losses on the kept steps `k`: from its rows (rowLength numbers each, k then the loss first; rows in
 * increasing k, those of k and perhaps one more at a divergence), NaN at every kept step it has no finite loss for
 * (from its divergence on).
 */
export function lossesOnSteps(rows: ArrayLike<number>, rowLength: number, k: ArrayLike<number>): Float64Array {
  const out = new Float64Array(k.length).fill(NaN);
  for (let row = 0, t = 0; row * rowLength < rows.length && t < k.length; row++) {
    const step = rows[row * rowLength], loss = rows[row * rowLength + 1];
    while (t < k.length && k[t] < step) t++;
    if (t < k.length && k[t] === step && Number.isFinite(loss)) out[t] = loss;
  }
  return out;
}

/**
 * The median curve of `count` replays with `points` losses each (loss[r · points + t]): at each kept step t, the
 * median (quantile 0.5, linear between the middle two) over the replays with a finite loss there, which are those that
 * have not diverged by then; NaN where every one has.
 */
export function medianCurve(loss: ArrayLike<number>, count: number, points: number): Float64Array {
  const median = new Float64Array(points), scratch = new Float64Array(count);
  for (let t = 0; t < points; t++) {
    let n = 0;
    for (let r = 0; r < count; r++) { const v = loss[r * points + t]; if (Number.isFinite(v)) scratch[n++] = v; }
    median[t] = quantile(scratch.subarray(0, n).sort(), n, 0.5);
  }
  return median;
}

/** A replica cell replayed in float64: the first `replayed` of its R replicas, each on the kept steps `k`. */
export interface ReplicaTraces {
  cell: number;
  replicas: number;
  replayed: number;
  /** The kept steps (keptSteps). */
  k: Float64Array;
  /** loss[r · k.length + t]: replica r's loss at step k[t]; NaN from its divergence on. */
  loss: Float64Array;
  /** The median curve over the replayed replicas (medianCurve), computed where they were replayed. */
  median: Float64Array;
  /** Each replayed replica's outputs (entry r: replica r, network cell · R + r). */
  outputs: SweepOutputs;
}

/** One network replayed: its outputs and its rows (k, loss, … per row of `rowLength` numbers). */
export interface NetworkReplay { outputs: CellOutputs; rows: ArrayLike<number>; rowLength: number }

/**
 * Replays cell `cell` of a replica sweep by `replayOne(network, every)` (a float64 trace of network cell · R + r) for
 * r = 0 … replayed − 1 under `plan` (default: replayPlan(spec)).
 */
export function replayReplicas(spec: SweepSpec, cell: number, replayOne: (network: number, every: number) => NetworkReplay, plan = replayPlan(spec)): ReplicaTraces {
  const { replicas, replayed, every } = plan;
  if (cell < 0 || (cell + 1) * replicas > networkCount(spec)) throw new Error(`cell ${cell} is not in this sweep`);
  const k = keptSteps(spec.steps, every), loss = new Float64Array(replayed * k.length), outputs = allocateOutputs(replayed);
  for (let r = 0; r < replayed; r++) {
    const replay = replayOne(cell * replicas + r, every);
    loss.set(lossesOnSteps(replay.rows, replay.rowLength, k), r * k.length);
    setCell(outputs, r, replay.outputs);
  }
  return { cell, replicas, replayed, k, loss, median: medianCurve(loss, replayed, k.length), outputs };
}

/** The replay's own replica summary (REPLICA_OUTPUTS rows at cell 0) when it replayed every replica; else undefined. */
export function replaySummary(traces: ReplicaTraces, rule: ConvergenceRule): SweepOutputs | undefined {
  if (traces.replayed < traces.replicas) return undefined;
  const summary = allocateOutputs(1, true);
  reduceCell(traces.outputs, 0, traces.replayed, rule, summary, 0);
  return summary;
}
