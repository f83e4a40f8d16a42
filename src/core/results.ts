/**
 * The results file written by the command line and exported by the page: format "backprop-sweeper/results@1". Its
 * head (spec, engine, status, timings, axes) is JSON; the per-cell outputs are JSON arrays in the same file for sweeps
 * up to INLINE_MAX_CELLS cells (non-finite numbers as null), and .npy files beside it for larger ones
 * (`outputFiles`: float64 losses and int32 step counts, shape [ny, nx] or [cells]), which numpy and most languages
 * read directly and which need no string of the whole sweep. A sharded sweep writes parts (`part`: cells firstCell …
 * firstCell + cells − 1 of the whole), which mergeResults joins. A run stopped mid-tile on the GPU also records the
 * partly trained cells (`checkpoint`) so that `--resume` continues them. A replica sweep's outputs also hold every
 * REPLICA_OUTPUTS row (inline or in .npy files, as the others), and with keep "all" every replica's OUTPUTS rows are
 * .npy files shaped [ny, nx, R] (`replicaFiles`).
 */
import { axisValues, gridSize } from './grid';
import { allocateOutputs, fromNull, outputArray, OUTPUT_NAMES, outputsAt, outputsProblem, rowsOf, rowsOfSpec, type AnyOutputName, type OutputName, type SweepOutputs } from './outputs';
import { rate, type RunResult, type RunStatus } from './run';
import type { DrawName } from './results-draws';
import { replicaCount, type SweepSpec } from './spec';

export const RESULTS_FORMAT = 'backprop-sweeper/results@1';

/** Sweeps up to this many cells keep their outputs inline in results.json; larger ones in .npy files beside it. */
export const INLINE_MAX_CELLS = 1 << 20;

/** Part `index` of `count` of a sharded sweep: its cells are firstCell … firstCell + cells − 1 (row-major). */
export interface ResultsPart { index: number; count: number; firstCell: number; cells: number }

/**
 * Cells a stopped GPU run had partly trained: their indices and their state after `stepsDone` loss evaluations (the
 * WGSL kernel's CellState records), in the named .npy files beside results.json.
 */
export interface CheckpointRef { stepsDone: number; cellsFile: string; stateFile: string }

/** Axes longer than this keep their values in a .npy file (`valuesFile`) rather than in the JSON. */
export const INLINE_MAX_AXIS = 1 << 16;

/** An axis's parameter and values, inline or in a .npy file (float64) beside results.json. */
export type AxisValues = { param: string; values: number[] } | { param: string; valuesFile: string };

/** Everything but the outputs. */
export interface ResultsHead {
  format: typeof RESULTS_FORMAT;
  spec: SweepSpec;
  /** "webgpu", "cpu" (float64) or "cpu-f32" (float32-faithful). */
  backend: string;
  adapter: string;
  /** "complete", or "cancelled" / "interrupted" when only `cellsDone` cells (the rest null / −1) were computed. */
  status: RunStatus;
  /** Cells computed (of the part, for a part file). */
  cellsDone: number;
  timings: { elapsedMs: number; networkStepsPerSecond: number };
  /** The axis values in cell order; for an axis of more than INLINE_MAX_AXIS values, in a .npy file beside it. */
  x: AxisValues;
  y: AxisValues | null;
  /** Present in a part file only; its outputs then hold the part's cells only. */
  part?: ResultsPart;
  /** Present when a stopped GPU run left partly trained cells. */
  checkpoint?: CheckpointRef;
  /** Present instead of `outputs` for large sweeps: the .npy file of each output (a replica sweep's rows too), beside results.json. */
  outputFiles?: Record<OutputName, string> & Partial<Record<AnyOutputName, string>>;
  /**
   * A replica sweep with keep "all": every replica's outputs, one .npy file per OUTPUTS row beside results.json, shaped
   * [ny, nx, R] (replica r of cell iy · nx + ix at [iy][ix][r]); [cells, R] for a 1-D sweep or a part.
   */
  replicaFiles?: Record<OutputName, string>;
  /**
   * Written by the command line for an MLP sweep (src/core/results-draws.ts): its random draws x [P][d], y [P][o],
   * w0 [d][n], w1 [n][o] (draw 0; draw k of a seed axis is mlpInitialWeights(spec, k)) and, for a minibatch run,
   * batches [steps][m], as row-major nested lists; those of more than DRAW_INLINE_MAX numbers are .npy files beside
   * it instead, named under `drawFiles`. Checked against the spec when read.
   */
  draws?: Partial<Record<DrawName, number[][]>>;
  drawFiles?: Partial<Record<DrawName, string>>;
  /**
   * Written by the command line: the SHA-256 (hex) of each companion .npy file, by its name, and under "outputs" of
   * the inline outputs (each row's values as float64 or int32 bytes, every non-finite value as NaN); compared when read.
   */
  sha256?: Record<string, string>;
}

/** The document with its outputs inline, as small sweeps and the page's export have it. */
export interface ResultsFile extends ResultsHead {
  /** Every OUTPUTS row; in a replica sweep also every REPLICA_OUTPUTS row. */
  outputs: Record<OutputName, Array<number | null>> & Partial<Record<AnyOutputName, Array<number | null>>>;
}

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/** The cells of part `index` of `count`: ⌊index · cells / count⌋ … ⌊(index + 1) · cells / count⌋ − 1. */
export function partRange(cells: number, index: number, count: number): { first: number; end: number } {
  return { first: Math.floor((index * cells) / count), end: Math.floor(((index + 1) * cells) / count) };
}

/** The head of a run's results; with `part`, of that part's cells. */
export function resultsHead(spec: SweepSpec, backend: string, adapter: string, run: Omit<RunResult, 'outputs'>, part?: Pick<ResultsPart, 'index' | 'count'>): ResultsHead {
  const range = part ? partRange(gridSize(spec).cells, part.index, part.count) : undefined;
  return {
    format: RESULTS_FORMAT,
    spec,
    backend,
    adapter,
    status: run.status,
    cellsDone: run.cellsDone,
    timings: { elapsedMs: Math.round(run.elapsedMs * 1000) / 1000, networkStepsPerSecond: Math.round(run.networkStepsPerSecond) },
    x: { param: spec.x.param, values: axisValues(spec.x) },
    y: spec.y ? { param: spec.y.param, values: axisValues(spec.y) } : null,
    ...(part && range ? { part: { ...part, firstCell: range.first, cells: range.end - range.first } } : {}),
  };
}

/** Outputs as JSON arrays (non-finite numbers as null), every row they hold (rowsOf). */
export function inlineOutputs(outputs: SweepOutputs): ResultsFile['outputs'] {
  return Object.fromEntries(rowsOf(outputs).map(({ name }) => [name, Array.from(outputArray(outputs, name as AnyOutputName)!, finiteOrNull)])) as ResultsFile['outputs'];
}

/** The whole document of a run (run.outputs are whole-sweep sized; with `part`, only that part's cells go in). */
export function buildResults(spec: SweepSpec, backend: string, adapter: string, run: RunResult, part?: Pick<ResultsPart, 'index' | 'count'>): ResultsFile {
  const head = resultsHead(spec, backend, adapter, run, part);
  const cells = head.part ? outputsAt(run.outputs, head.part.firstCell, head.part.firstCell + head.part.cells) : run.outputs;
  return { ...head, outputs: inlineOutputs(cells) };
}

/**
 * Outputs back from a results document's arrays (null: each row's notRun, or noLoss in a cell diverged at k = 0; a
 * replica row's null is its notRun, NaN).
 */
export function outputsFromResults(outputs: ResultsFile['outputs']): SweepOutputs {
  const n = outputs.finalLoss.length;
  const o = allocateOutputs(n, outputs.pConverged !== undefined);
  for (let i = 0; i < n; i++) for (const name of OUTPUT_NAMES) o[name][i] = outputs[name][i] ?? fromNull(name, outputs.divergedAt[i] ?? -1);
  for (const { name, notRun } of rowsOf(o).slice(OUTPUT_NAMES.length)) {
    const from = outputs[name as AnyOutputName]!, to = outputArray(o, name as AnyOutputName)!;
    for (let i = 0; i < n; i++) to[i] = from[i] ?? notRun;
  }
  return o;
}

/**
 * A results file as read: its head and its outputs (of the whole sweep, or of the part); with keep "all", every
 * replica's outputs (network c·R + r for cell c of the outputs).
 */
export interface ReadResults { name: string; head: ResultsHead; outputs: SweepOutputs; replicaOutputs?: SweepOutputs }

/**
 * Joins the parts of a sharded sweep into the head and outputs the unsharded run writes (timings: the parts' elapsed
 * times summed, and the speed over that sum), a replica sweep's rows and kept replicas too. Every part must be there
 * once, complete, of the same spec and backend.
 */
export function mergeResults(parts: ReadResults[]): { ok: true; head: ResultsHead; outputs: SweepOutputs; replicaOutputs?: SweepOutputs } | { ok: false; error: string } {
  if (parts.length === 0) return { ok: false, error: 'no part files given' };
  const first = parts[0].head;
  const specText = JSON.stringify(first.spec);
  const count = first.part?.count;
  const byIndex = new Map<number, ReadResults>();
  for (const p of parts) {
    const { head, name } = p;
    if (typeof head !== 'object' || head === null || head.format !== RESULTS_FORMAT) return { ok: false, error: `${name}: not a results file (format ${JSON.stringify(head?.format)}, expected ${RESULTS_FORMAT})` };
    if (!head.part) return { ok: false, error: `${name}: not a part file (it has no "part"): it is a whole sweep already` };
    const { index, count: of } = head.part;
    if (!(Number.isInteger(index) && Number.isInteger(of) && index >= 0 && index < of)) return { ok: false, error: `${name}: "part" says part ${index} of ${of}; the file is damaged or edited: run its shard again` };
    if (head.backend !== first.backend) return { ok: false, error: `${name}: computed on ${head.backend}, but ${parts[0].name} on ${first.backend}; the merged file would mix arithmetics: run every part with the same --backend` };
    if (JSON.stringify(head.spec) !== specText) return { ok: false, error: `${name}: a different spec from ${parts[0].name}; every part must come from the same spec file` };
    if (of !== count) return { ok: false, error: `${name}: part of ${of}, but ${parts[0].name} is part of ${count}` };
    if (byIndex.has(index)) return { ok: false, error: `${name}: part ${index} is also in ${byIndex.get(index)!.name}` };
    const expected = partRange(gridSize(head.spec).cells, index, of);
    if (head.part.firstCell !== expected.first || head.part.cells !== expected.end - expected.first || rowsOfSpec(head.spec).some(({ name }) => outputArray(p.outputs, name as AnyOutputName)?.length !== head.part!.cells)
      || (head.spec.replicas?.keep === 'all' && p.replicaOutputs?.finalLoss.length !== head.part.cells * replicaCount(head.spec))) {
      return { ok: false, error: `${name}: part ${index} of ${of} should hold cells ${expected.first} … ${expected.end - 1}; the file is damaged or edited: run --shard ${index}/${of} again` };
    }
    const wrong = outputsProblem(p.outputs, head.spec.steps, head.cellsDone);
    if (wrong) return { ok: false, error: `${name}: outputs.${wrong}: run --shard ${index}/${of} again` };
    if (head.status !== 'complete') return { ok: false, error: `${name}: part ${index} is ${head.status} (${head.cellsDone} of ${head.part.cells} cells): finish it with --resume, or run --shard ${index}/${of} again` };
    byIndex.set(index, p);
  }
  const missing = Array.from({ length: count! }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length) return { ok: false, error: `missing part${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count}: run --shard ${missing[0]}/${count}${missing.length > 1 ? ' (and the others)' : ''}` };
  const { cells } = gridSize(first.spec), R = replicaCount(first.spec);
  const outputs = allocateOutputs(cells, !!first.spec.replicas);
  const replicaOutputs = first.spec.replicas?.keep === 'all' ? allocateOutputs(cells * R) : undefined;
  let elapsedMs = 0;
  for (let i = 0; i < count!; i++) {
    const { head, outputs: partOutputs, replicaOutputs: partReplicas } = byIndex.get(i)!;
    for (const { name } of rowsOf(outputs)) outputArray(outputs, name as AnyOutputName)!.set(outputArray(partOutputs, name as AnyOutputName)!, head.part!.firstCell);
    if (replicaOutputs) for (const name of OUTPUT_NAMES) replicaOutputs[name].set(partReplicas![name], head.part!.firstCell * R);
    elapsedMs += head.timings.elapsedMs;
  }
  const { part: _part, checkpoint: _checkpoint, outputFiles: _files, replicaFiles: _replicaFiles, sha256: _sums, draws: _draws, drawFiles: _drawFiles, ...rest } = first;
  return {
    ok: true,
    head: { ...rest, status: 'complete', cellsDone: cells, timings: { elapsedMs: Math.round(elapsedMs * 1000) / 1000, networkStepsPerSecond: Math.round(rate(cells * R, first.spec.steps, elapsedMs)) } },
    outputs,
    ...(replicaOutputs ? { replicaOutputs } : {}),
  };
}
