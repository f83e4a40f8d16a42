/**
 * The results file written by the command line and exported by the page (DESIGN §2): format
 * "backprop-sweeper/results@1". JSON has no NaN or Infinity: non-finite numbers are written as null. A sharded sweep
 * writes parts (`part`: cells firstCell … firstCell + cells − 1 of the whole), which mergeResults joins.
 */
import { axisValues, gridSize } from './grid';
import { allocateOutputs, OUTPUT_NAMES, type OutputName, type SweepOutputs } from './outputs';
import { rate, type RunResult, type RunStatus } from './run';
import type { SweepSpec } from './spec';

export const RESULTS_FORMAT = 'backprop-sweeper/results@1';

/** Part `index` of `count` of a sharded sweep: its cells are firstCell … firstCell + cells − 1 (row-major). */
export interface ResultsPart { index: number; count: number; firstCell: number; cells: number }

export interface ResultsFile {
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
  x: { param: string; values: number[] };
  y: { param: string; values: number[] } | null;
  /** Present in a part file only; its outputs then hold the part's cells only. */
  part?: ResultsPart;
  outputs: Record<OutputName, Array<number | null>>;
}

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/** The cells of part `index` of `count`: ⌊index · cells / count⌋ … ⌊(index + 1) · cells / count⌋ − 1. */
export function partRange(cells: number, index: number, count: number): { first: number; end: number } {
  return { first: Math.floor((index * cells) / count), end: Math.floor(((index + 1) * cells) / count) };
}

/** Builds the results document of a run; with `part`, of that part's cells (run.outputs stay whole-sweep sized). */
export function buildResults(spec: SweepSpec, backend: string, adapter: string, run: RunResult, part?: Omit<ResultsPart, 'firstCell' | 'cells'>): ResultsFile {
  const { cells } = gridSize(spec);
  const range = part ? partRange(cells, part.index, part.count) : { first: 0, end: cells };
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
    ...(part ? { part: { ...part, firstCell: range.first, cells: range.end - range.first } } : {}),
    outputs: Object.fromEntries(OUTPUT_NAMES.map((name) => [name, Array.from(run.outputs[name].subarray(range.first, range.end), finiteOrNull)])) as ResultsFile['outputs'],
  };
}

/**
 * Outputs back from a results document's arrays: null is NaN for finalLoss, +Infinity for the minLoss of a cell that
 * diverged at k = 0 (it has no finite loss), NaN otherwise.
 */
export function outputsFromResults(outputs: ResultsFile['outputs']): SweepOutputs {
  const n = outputs.finalLoss.length;
  const o = allocateOutputs(n);
  for (let i = 0; i < n; i++) {
    o.finalLoss[i] = outputs.finalLoss[i] ?? NaN;
    o.stepsToThreshold[i] = outputs.stepsToThreshold[i] ?? -1;
    o.divergedAt[i] = outputs.divergedAt[i] ?? -1;
    o.minLoss[i] = outputs.minLoss[i] ?? (o.divergedAt[i] === 0 ? Infinity : NaN);
  }
  return o;
}

/**
 * Joins the parts of a sharded sweep into the document the unsharded run writes (timings: the parts' elapsed times
 * summed, and the speed over that sum). Every part must be there once, complete, of the same spec.
 */
export function mergeResults(parts: Array<{ name: string; file: ResultsFile }>): { ok: true; results: ResultsFile } | { ok: false; error: string } {
  if (parts.length === 0) return { ok: false, error: 'no part files given' };
  const first = parts[0].file;
  const specText = JSON.stringify(first.spec);
  const count = first.part?.count;
  const byIndex = new Map<number, { name: string; file: ResultsFile }>();
  for (const p of parts) {
    const { file, name } = p;
    if (typeof file !== 'object' || file === null || file.format !== RESULTS_FORMAT) return { ok: false, error: `${name}: not a results file (format ${JSON.stringify(file?.format)}, expected ${RESULTS_FORMAT})` };
    if (!file.part) return { ok: false, error: `${name}: not a part file (it has no "part"): it is a whole sweep already` };
    const { index, count: of } = file.part;
    if (!(Number.isInteger(index) && Number.isInteger(of) && index >= 0 && index < of)) return { ok: false, error: `${name}: "part" says part ${index} of ${of}; the file is damaged or edited: run its shard again` };
    if (file.backend !== first.backend) return { ok: false, error: `${name}: computed on ${file.backend}, but ${parts[0].name} on ${first.backend}; the merged file would mix arithmetics: run every part with the same --backend` };
    if (JSON.stringify(file.spec) !== specText) return { ok: false, error: `${name}: a different spec from ${parts[0].name}; every part must come from the same spec file` };
    if (file.part.count !== count) return { ok: false, error: `${name}: part of ${file.part.count}, but ${parts[0].name} is part of ${count}` };
    if (byIndex.has(file.part.index)) return { ok: false, error: `${name}: part ${file.part.index} is also in ${byIndex.get(file.part.index)!.name}` };
    const expected = partRange(gridSize(file.spec).cells, file.part.index, file.part.count);
    if (file.part.firstCell !== expected.first || file.part.cells !== expected.end - expected.first || OUTPUT_NAMES.some((n) => file.outputs?.[n]?.length !== file.part!.cells)) {
      return { ok: false, error: `${name}: part ${file.part.index} of ${count} should hold cells ${expected.first} … ${expected.end - 1}; the file is damaged or edited: run --shard ${file.part.index}/${count} again` };
    }
    if (file.status !== 'complete') return { ok: false, error: `${name}: part ${file.part.index} is ${file.status} (${file.cellsDone} of ${file.part.cells} cells): run it again with --shard ${file.part.index}/${count}` };
    byIndex.set(file.part.index, p);
  }
  const missing = Array.from({ length: count! }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length) return { ok: false, error: `missing part${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count}: run --shard ${missing[0]}/${count}${missing.length > 1 ? ' (and the others)' : ''}` };
  const ordered = Array.from({ length: count! }, (_, i) => byIndex.get(i)!.file);
  const join = (values: string[]) => [...new Set(values)].join(', ');
  const elapsedMs = ordered.reduce((sum, f) => sum + f.timings.elapsedMs, 0);
  const { cells } = gridSize(first.spec);
  return {
    ok: true,
    results: {
      format: RESULTS_FORMAT,
      spec: first.spec,
      backend: first.backend,
      adapter: join(ordered.map((f) => f.adapter)),
      status: 'complete',
      cellsDone: cells,
      timings: { elapsedMs: Math.round(elapsedMs * 1000) / 1000, networkStepsPerSecond: Math.round(rate(cells, first.spec.steps, elapsedMs)) },
      x: first.x,
      y: first.y,
      outputs: Object.fromEntries(OUTPUT_NAMES.map((name) => [name, ordered.flatMap((f) => f.outputs[name])])) as ResultsFile['outputs'],
    },
  };
}
