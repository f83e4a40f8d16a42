/**
 * The per-cell outputs of a sweep: one row each in OUTPUTS, from which everything that stores, moves, draws, reads out
 * or writes outputs derives (allocation, the cell record, "not computed", the results file and its .npy dtypes, CSV,
 * heatmap metrics and their scales, hover text). Arrays are in row-major cell order (index = iy · nx + ix). The
 * kernels (shaders/train.wgsl, wasm/train.ts) and the reference (src/core/reference.ts) compute them; their layouts
 * are mirrored in src/gpu/layout.ts and src/cpu/layout.ts, with tests.
 */

/** One output: its name, its array type, its value in a cell not computed, and how people see it. */
interface OutputRow {
  name: string;
  /** f64: a Float64Array of losses; i32: an Int32Array of step indices. */
  type: 'f64' | 'i32';
  /** What a cell holds before it is computed. */
  notRun: number;
  /**
   * What a computed cell holds when it had no finite loss to take it from (diverged at k = 0): a results file writes
   * it as null, like notRun, and reading it back tells the two apart by divergedAt.
   */
  noLoss: number;
  /**
   * What a kernel's running state starts at when it differs from noLoss (an accumulator that starts at 0). The GPU
   * packs it into CellState.
   */
  start?: number;
  /** A measure of the run's end: none (NaN, noLoss) in a cell that diverged, whatever the kernel had accumulated. */
  ofEnd?: true;
  /**
   * How a heatmap colours it: losses on a log scale, ratios (of a loss to the first loss) on a log scale, step
   * indices 0 … steps linearly, the paper's score (negative: converged, positive: not) by its sign; a replica sweep's
   * probabilities 0 … 1 and counts 0 … replicas linearly.
   */
  scale: 'loss' | 'ratio' | 'steps' | 'score' | 'probability' | 'count';
  /** For people: what it is. */
  label: string;
  /** For people: a step index of −1 in a computed cell ("never"). */
  never?: string;
}

/** How many of the last losses the fractal paper's rule averages (Sohl-Dickstein 2024: "average over any oscillatory behavior"). */
export const TAIL_LOSSES = 20;

// f64 rows first, then i32 rows: the WebAssembly kernel lays the arrays out in this order (wasm/train.ts OUT_*).
export const OUTPUTS = [
  { name: 'finalLoss', type: 'f64', notRun: NaN, noLoss: NaN, ofEnd: true, scale: 'loss', label: 'loss after the last step (none if it diverged)' },
  { name: 'minLoss', type: 'f64', notRun: NaN, noLoss: Infinity, scale: 'loss', label: 'lowest loss, over the steps before any divergence' },
  { name: 'peakLoss', type: 'f64', notRun: NaN, noLoss: -Infinity, scale: 'loss', label: 'highest loss, over the steps before any divergence (the catapult above the start)' },
  { name: 'tailLossRatio', type: 'f64', notRun: NaN, noLoss: NaN, start: 0, ofEnd: true, scale: 'ratio', label: `mean of the last ${TAIL_LOSSES} losses, each divided by the first (the fractal paper's measure; none if it diverged)` },
  { name: 'score', type: 'f64', notRun: NaN, noLoss: NaN, start: 0, scale: 'score', label: `the fractal paper's score: −Σ v if the mean of the last ${TAIL_LOSSES} v is below 1, else Σ 1/v (v: each loss before an update over the first, non-finite as 10⁶, cut at 10⁶)` },
  { name: 'stepsToThreshold', type: 'i32', notRun: -1, noLoss: -1, scale: 'steps', label: 'first step with the loss below the threshold', never: 'never' },
  { name: 'settledAt', type: 'i32', notRun: -1, noLoss: -1, scale: 'steps', label: 'first step from which the loss stays below the threshold to the end', never: 'did not end below' },
  { name: 'divergedAt', type: 'i32', notRun: -1, noLoss: -1, scale: 'steps', label: 'first step with a loss or weight not finite', never: 'did not diverge' },
] as const satisfies readonly OutputRow[];

/**
 * A replica sweep's outputs per cell, over its R replicas (src/core/replicas.ts computes them): how many converged,
 * stalled and diverged under the spec's rule, the probability of converging with its Wilson 95% interval, and medians
 * and quartiles of the per-replica outputs. In a replica sweep the OUTPUTS rows hold replica 0's outputs (draw 0, the
 * plain sweep's network when draws are common).
 */
export const REPLICA_OUTPUTS = [
  { name: 'pConverged', type: 'f64', notRun: NaN, noLoss: NaN, scale: 'probability', label: 'fraction of the replicas that converged (under the sweep\'s rule)' },
  { name: 'pConvergedLow', type: 'f64', notRun: NaN, noLoss: NaN, scale: 'probability', label: 'lower bound of the Wilson 95% interval of pConverged' },
  { name: 'pConvergedHigh', type: 'f64', notRun: NaN, noLoss: NaN, scale: 'probability', label: 'upper bound of the Wilson 95% interval of pConverged' },
  { name: 'medianStepsToThreshold', type: 'f64', notRun: NaN, noLoss: NaN, scale: 'steps', label: 'median stepsToThreshold over the converged replicas that reached the threshold', never: 'none converged' },
  { name: 'medianFinalLoss', type: 'f64', notRun: NaN, noLoss: NaN, scale: 'loss', label: 'median finalLoss over the replicas that did not diverge' },
  { name: 'divergedAtQ1', type: 'f64', notRun: NaN, noLoss: NaN, scale: 'steps', label: 'first quartile of divergedAt over the diverged replicas', never: 'none diverged' },
  { name: 'divergedAtMedian', type: 'f64', notRun: NaN, noLoss: NaN, scale: 'steps', label: 'median divergedAt over the diverged replicas', never: 'none diverged' },
  { name: 'replicasConverged', type: 'i32', notRun: -1, noLoss: -1, scale: 'count', label: 'replicas that converged (under the sweep\'s rule)' },
  { name: 'replicasStalled', type: 'i32', notRun: -1, noLoss: -1, scale: 'count', label: 'replicas that neither converged nor diverged (under ends-below, also those that reached the threshold and left it)' },
  { name: 'replicasDiverged', type: 'i32', notRun: -1, noLoss: -1, scale: 'count', label: 'replicas that diverged' },
] as const satisfies readonly OutputRow[];

type Rows = (typeof OUTPUTS)[number];
type ReplicaRows = (typeof REPLICA_OUTPUTS)[number];
export type OutputName = Rows['name'];
export const OUTPUT_NAMES: readonly OutputName[] = OUTPUTS.map((o) => o.name);
export type ReplicaOutputName = ReplicaRows['name'];
export const REPLICA_OUTPUT_NAMES: readonly ReplicaOutputName[] = REPLICA_OUTPUTS.map((o) => o.name);
/** Any output a sweep can have: a network's (OUTPUTS) or a replica sweep's per cell (REPLICA_OUTPUTS). */
export type AnyOutputName = OutputName | ReplicaOutputName;

/** A replica sweep's per-cell summary arrays: one per REPLICA_OUTPUTS row. */
export type ReplicaOutputs = { [R in ReplicaRows as R['name']]: R['type'] extends 'f64' ? Float64Array : Int32Array };

/**
 * Per-cell outputs of a sweep: one array per OUTPUTS row, Float64Array or Int32Array by its type; in a replica sweep
 * also one per REPLICA_OUTPUTS row.
 */
export type SweepOutputs = { [R in Rows as R['name']]: R['type'] extends 'f64' ? Float64Array : Int32Array } & Partial<ReplicaOutputs>;

/** The rows `outputs` holds, in table order: OUTPUTS, then REPLICA_OUTPUTS when it is a replica sweep's. */
export function rowsOf(outputs: SweepOutputs): readonly OutputRow[] {
  return outputs.pConverged ? [...OUTPUTS, ...REPLICA_OUTPUTS] : OUTPUTS;
}

/** The rows a sweep of `spec` has: OUTPUTS, then REPLICA_OUTPUTS when it has replicas. */
export function rowsOfSpec(spec: { replicas?: unknown }): readonly OutputRow[] {
  return spec.replicas ? [...OUTPUTS, ...REPLICA_OUTPUTS] : OUTPUTS;
}

/** The array of any output of `outputs` (a replica row of a plain sweep's outputs: undefined). */
export const outputArray = (outputs: SweepOutputs, name: AnyOutputName): Float64Array | Int32Array | undefined => (outputs as Record<string, Float64Array | Int32Array | undefined>)[name];

/** One cell's outputs. */
export type CellOutputs = Record<OutputName, number>;

/** The row of `name` (OUTPUTS or REPLICA_OUTPUTS). */
export const outputRow = (name: AnyOutputName): OutputRow => [...OUTPUTS, ...REPLICA_OUTPUTS].find((o) => o.name === name)!;

export type { OutputRow };

/**
 * The classes of a computed cell. "left": it reached the threshold and ended above it again (only under the
 * ends-below rule; the other rules have no such class).
 */
export const CELL_CLASSES = ['converged', 'left', 'stalled', 'diverged'] as const;
export type CellClass = (typeof CELL_CLASSES)[number];

/**
 * When a cell that did not diverge counts as converged: one row per rule. A sweep's spec names its rule
 * (`convergence`), and every class, count, dimension, comparison and figure of the sweep uses it.
 */
export const CONVERGENCE_RULES = [
  { name: 'ends-below', label: 'ends below the threshold', detail: 'the loss after the last step is below the threshold; a cell that reached it and ended above is "left"' },
  { name: 'reached', label: 'reached the threshold once', detail: 'the loss was below the threshold at some step, whatever came after' },
  { name: 'tail-mean', label: "the fractal paper's rule", detail: `the mean of the last ${TAIL_LOSSES} losses, each divided by the first, is below 1` },
] as const;
export type ConvergenceRule = (typeof CONVERGENCE_RULES)[number]['name'];
export const CONVERGENCE_RULE_NAMES: readonly ConvergenceRule[] = CONVERGENCE_RULES.map((r) => r.name);
export const DEFAULT_CONVERGENCE: ConvergenceRule = 'ends-below';

/** A rule's label: "ends below the threshold". */
export const convergenceLabel = (rule: ConvergenceRule): string => CONVERGENCE_RULES.find((r) => r.name === rule)!.label;

/** The classes a rule can give, in legend order. */
export function classesOf(rule: ConvergenceRule): readonly CellClass[] {
  return rule === 'ends-below' ? CELL_CLASSES : CELL_CLASSES.filter((c) => c !== 'left');
}

/**
 * Allocates outputs for `cellCount` cells, each cell marked "not computed" (every row's notRun); with `replicas`, also
 * the REPLICA_OUTPUTS rows.
 */
export function allocateOutputs(cellCount: number, replicas = false): SweepOutputs {
  const rows: readonly OutputRow[] = replicas ? [...OUTPUTS, ...REPLICA_OUTPUTS] : OUTPUTS;
  return Object.fromEntries(rows.map((o) => [o.name, (o.type === 'f64' ? new Float64Array(cellCount) : new Int32Array(cellCount)).fill(o.notRun)])) as unknown as SweepOutputs;
}

/** Stores one cell's outputs at `index`. */
export function setCell(outputs: SweepOutputs, index: number, cell: CellOutputs): void {
  for (const name of OUTPUT_NAMES) outputs[name][index] = cell[name];
}

/**
 * Copies of the outputs at positions first … end − 1: of the cells, or with `order`, of cells order[first …]. Entry j
 * of the result belongs to position first + j.
 */
export function outputsAt(outputs: SweepOutputs, first: number, end: number, order?: ArrayLike<number>): SweepOutputs {
  const at = allocateOutputs(Math.max(0, end - first), !!outputs.pConverged);
  for (const { name } of rowsOf(outputs)) {
    const from = outputArray(outputs, name as AnyOutputName)!, to = outputArray(at, name as AnyOutputName)!;
    if (!order) { to.set(from.subarray(first, end)); continue; }
    for (let j = 0; j < end - first; j++) to[j] = from[order[first + j]];
  }
  return at;
}

/** Copies every row `from` holds at cell `source` into `into` at cell `target`. */
export function copyCell(from: SweepOutputs, source: number, into: SweepOutputs, target: number): void {
  for (const { name } of rowsOf(from)) outputArray(into, name as AnyOutputName)![target] = outputArray(from, name as AnyOutputName)![source];
}

/**
 * Whether cell `index` was computed. Exact, not a guess: a computed cell either diverged (divergedAt ≥ 0) or has a
 * finite finalLoss (every loss it evaluated was finite), while a cell not computed keeps every row's notRun.
 */
export function isComputed(outputs: SweepOutputs, index: number): boolean {
  return outputs.divergedAt[index] >= 0 || !Number.isNaN(outputs.finalLoss[index]);
}

/** One output of a computed cell for people: losses to 4 significant digits, step indices or their row's "never". */
export function formatOutput(name: AnyOutputName, value: number): string {
  const row = outputRow(name);
  if (row.scale === 'steps') return value >= 0 ? String(value) : row.never ?? '–';
  if (row.scale === 'count') return value >= 0 ? String(value) : '–';
  if (row.scale === 'probability') return Number.isNaN(value) ? '–' : `${(100 * value).toFixed(1)}%`;
  if (value === 0) return '0';
  return Number.isFinite(value) ? value.toExponential(3) : value === Infinity ? '+∞' : value === -Infinity ? '−∞' : 'none';
}

/** A cell's outputs in words: "finalLoss 3.533e-11, …, divergedAt did not diverge (converged)", or that it was not run. */
export function describeOutputs(outputs: SweepOutputs, index: number, rule: ConvergenceRule): string {
  if (!isComputed(outputs, index)) return 'not run yet';
  return `${OUTPUT_NAMES.map((name) => `${name} ${formatOutput(name, outputs[name][index])}`).join(', ')} (${classOf(outputs, index, rule)})`;
}

/** A results file's null back to a number: the row's noLoss in a cell diverged at k = 0, else its notRun. */
export function fromNull(name: OutputName, divergedAt: number): number {
  const row = outputRow(name);
  return divergedAt === 0 ? row.noLoss : row.notRun;
}

/**
 * The class of a computed cell under `rule`: diverged if divergedAt ≥ 0; else, by the rule, converged when
 * ends-below: settledAt ≥ 0 (the last loss is below the threshold), reached: stepsToThreshold ≥ 0, tail-mean:
 * tailLossRatio < 1; else "left" under ends-below when it reached the threshold once, and stalled otherwise.
 */
export function classifyCell(cell: Pick<CellOutputs, 'divergedAt' | 'stepsToThreshold' | 'settledAt' | 'tailLossRatio'>, rule: ConvergenceRule): CellClass {
  return classOfValues(rule, cell.divergedAt, cell.stepsToThreshold, cell.settledAt, cell.tailLossRatio);
}

/** The class of computed cell `index` of `outputs` under `rule` (classifyCell; no record built: it runs per pixel). */
export function classOf(outputs: SweepOutputs, index: number, rule: ConvergenceRule): CellClass {
  return classOfValues(rule, outputs.divergedAt[index], outputs.stepsToThreshold[index], outputs.settledAt[index], outputs.tailLossRatio[index]);
}

function classOfValues(rule: ConvergenceRule, divergedAt: number, stepsToThreshold: number, settledAt: number, tailLossRatio: number): CellClass {
  if (divergedAt >= 0) return 'diverged';
  if (rule === 'reached') return stepsToThreshold >= 0 ? 'converged' : 'stalled';
  if (rule === 'tail-mean') return tailLossRatio < 1 ? 'converged' : 'stalled';
  return settledAt >= 0 ? 'converged' : stepsToThreshold >= 0 ? 'left' : 'stalled';
}

/** Cells of each class under `rule`, and not computed, among cells first … end − 1 (default: all). */
export function countClasses(outputs: SweepOutputs, rule: ConvergenceRule, first = 0, end = outputs.divergedAt.length): Record<CellClass | 'notRun', number> {
  const counts = { converged: 0, left: 0, stalled: 0, diverged: 0, notRun: 0 };
  for (let i = first; i < end; i++) {
    if (isComputed(outputs, i)) counts[classOf(outputs, i, rule)]++;
    else counts.notRun++;
  }
  return counts;
}

/**
 * What is wrong with outputs read back from a file, or undefined: each cell is either not computed (every row its
 * notRun) or computed (a step index −1 … `steps` in each i32 row; finite losses unless it diverged, +∞ / −∞ for min
 * and peak only when it diverged at k = 0), and `computed` cells are computed (all of them for a complete run).
 * Messages name the row and the cell: "finalLoss[5]: …".
 */
export function outputsProblem(outputs: SweepOutputs, steps: number, computed: number): string | undefined {
  const n = outputs.divergedAt.length;
  let count = 0;
  const rows: readonly OutputRow[] = OUTPUTS;
  for (let i = 0; i < n; i++) {
    const divergedAt = outputs.divergedAt[i];
    if (!isComputed(outputs, i)) {
      const set = OUTPUTS.find((o) => !Object.is(outputs[o.name][i], o.notRun));
      if (set) return `${set.name}[${i}]: ${outputs[set.name][i]} in a cell not computed (finalLoss none, divergedAt −1): the file is damaged or edited`;
      continue;
    }
    count++;
    for (const o of rows) {
      const v = outputs[o.name as OutputName][i];
      if (o.type === 'i32') {
        if (v < -1 || v > steps) return `${o.name}[${i}]: ${v} is not a step index −1 … ${steps}`;
      } else if (o.scale === 'loss' && !Number.isFinite(v) && !(divergedAt >= 0 && (o.ofEnd || (divergedAt === 0 && Object.is(v, o.noLoss))))) {
        return `${o.name}[${i}]: ${v} in a cell that ${divergedAt >= 0 ? `diverged at step ${divergedAt}` : 'did not diverge'}: the file is damaged or edited`;
      }
    }
  }
  if (count !== computed) return `${count.toLocaleString('en-US')} cells are computed, but the file says ${computed.toLocaleString('en-US')}: the file is damaged or edited`;
  return undefined;
}
