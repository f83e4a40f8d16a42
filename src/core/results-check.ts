/**
 * A results file's head read back, checked as strictly as a fresh input: the spec through parseSpec (and it must be
 * the normalized spec as written: a spec the parser would change is refused), the backend, status and cell counts,
 * the axes against the spec, a part's range, and a checkpoint's fields against what the GPU trainer accepts. Every
 * message names the field; the caller prefixes the file. Nothing here recurses over the file's own JSON, which may
 * nest 10⁵ levels deep.
 */
import { axisValues, gridSize } from './grid';
import { partRange, RESULTS_FORMAT, type ResultsHead } from './results';
import { drawsProblem, type Draw } from './results-draws';
import { describeValue, parseSpec, type SweepSpec } from './spec';

/** The backends a results file may name. */
export const RESULTS_BACKENDS = ['webgpu', 'cpu', 'cpu-f32'] as const;
const STATUSES = ['complete', 'cancelled', 'interrupted'];
const HEAD_KEYS = ['format', 'spec', 'backend', 'adapter', 'status', 'cellsDone', 'timings', 'x', 'y', 'part', 'checkpoint', 'outputFiles', 'replicaFiles', 'draws', 'drawFiles', 'sha256', 'outputs'];

/** A value as a message quotes it, at any depth (JSON.stringify and String recurse into nested lists). */
export function quote(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length} entries`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return value === undefined ? 'nothing' : describeValue(value);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** Deep equality of two JSON values of bounded depth (a spec that parseSpec accepted is at most 8 levels deep). */
function sameJson(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => k in b && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The first field where `stored` differs from the normalized spec, e.g. "spec.momentum: missing; the parser gives 0". */
function specDifference(stored: Record<string, unknown>, normal: SweepSpec): string | undefined {
  const want = normal as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(want), ...Object.keys(stored)])) {
    if (!sameJson(stored[key], want[key])) return `spec.${key}: ${key in stored ? quote(stored[key]) : 'missing'}; the spec parser gives ${quote(want[key])}`;
  }
  return undefined;
}

type Checked = { ok: true; head: ResultsHead } | { ok: false; error: string };

/**
 * Checks a parsed results document's head (its axes already read in from any valuesFile; `drawFiles` the draws read
 * from the .npy files its drawFiles names, by draw, with `drawFileNames`): returns it typed, or the first problem,
 * naming the field ("status: …", "spec: invalid sweep spec: …", "draws.w0[3][7]: …").
 */
export function checkHead(raw: unknown, drawFiles: Partial<Record<string, Draw>> = {}, drawFileNames: Partial<Record<string, string>> = {}): Checked {
  if (!isObject(raw) || raw.format !== RESULTS_FORMAT) return { ok: false, error: `not a results file (format ${quote(isObject(raw) ? raw.format : raw)}, expected ${RESULTS_FORMAT})` };
  const unknown = Object.keys(raw).filter((k) => !HEAD_KEYS.includes(k));
  if (unknown.length) return { ok: false, error: `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map(quote).join(', ')}; a results file has ${HEAD_KEYS.join(', ')}` };
  const parsed = parseSpec(raw.spec);
  if (!parsed.ok) return { ok: false, error: `spec: invalid sweep spec:\n${parsed.errors.map((e) => `  - ${e}`).join('\n')}` };
  const spec = parsed.spec;
  const changed = specDifference(raw.spec as Record<string, unknown>, spec);
  if (changed) return { ok: false, error: `${changed}: the file is damaged or edited (run its sweep again from a spec file)` };
  const wrongDraws = drawsProblem(spec, raw.draws, drawFiles, drawFileNames);
  if (wrongDraws) return { ok: false, error: `${wrongDraws}: the file is damaged or edited (run its sweep again from a spec file)` };
  const { cells } = gridSize(spec);
  if (!(RESULTS_BACKENDS as readonly unknown[]).includes(raw.backend)) return { ok: false, error: `backend: ${quote(raw.backend)}; expected one of ${RESULTS_BACKENDS.join(', ')}` };
  if (typeof raw.adapter !== 'string') return { ok: false, error: `adapter: ${quote(raw.adapter)}; expected a string` };
  if (!STATUSES.includes(raw.status as string)) return { ok: false, error: `status: ${quote(raw.status)}; expected one of ${STATUSES.join(', ')}` };
  const t = raw.timings;
  if (!isObject(t) || !(typeof t.elapsedMs === 'number' && t.elapsedMs >= 0 && typeof t.networkStepsPerSecond === 'number' && t.networkStepsPerSecond >= 0)) {
    return { ok: false, error: `timings: ${quote(t)}; expected {"elapsedMs": ≥ 0, "networkStepsPerSecond": ≥ 0}` };
  }
  let range = { first: 0, end: cells };
  const part = raw.part;
  if (part !== undefined) {
    if (!isObject(part) || !isCount(part.count, 1, cells) || !isCount(part.index, 0, part.count - 1)) {
      return { ok: false, error: `part: ${isObject(part) ? `part ${quote(part.index)} of ${quote(part.count)}` : quote(part)}; a part of this ${cells.toLocaleString('en-US')}-cell sweep is {"index": 0 … count − 1, "count": 1 … ${cells}, …}` };
    }
    range = partRange(cells, part.index, part.count);
    if (part.firstCell !== range.first || part.cells !== range.end - range.first) {
      return { ok: false, error: `part: part ${part.index} of ${part.count} holds cells ${range.first} … ${range.end - 1}, not firstCell ${quote(part.firstCell)}, cells ${quote(part.cells)}` };
    }
  }
  const size = range.end - range.first;
  if (!isCount(raw.cellsDone, 0, size)) return { ok: false, error: `cellsDone: ${quote(raw.cellsDone)}; expected an integer from 0 to ${size.toLocaleString('en-US')} (the cells of the ${part ? 'part' : 'sweep'})` };
  if ((raw.status === 'complete') !== (raw.cellsDone === size)) return { ok: false, error: `status: ${raw.status} with ${raw.cellsDone.toLocaleString('en-US')} of ${size.toLocaleString('en-US')} cells done` };
  for (const name of ['x', 'y'] as const) {
    const axis = spec[name], a = raw[name];
    if (!axis) {
      if (a !== null && a !== undefined) return { ok: false, error: `y: ${quote(a)}, but the spec has no y axis` };
      continue;
    }
    if (!isObject(a) || a.param !== axis.param || !Array.isArray(a.values) || !sameJson(a.values, axisValues(axis))) {
      return { ok: false, error: `${name}: ${isObject(a) ? `param ${quote(a.param)}, values ${quote(a.values)}` : quote(a)}; the spec's ${name} axis is ${axis.param} with ${axisValues(axis).length.toLocaleString('en-US')} values` };
    }
  }
  if ((spec.replicas?.keep === 'all') !== (raw.replicaFiles !== undefined)) {
    return { ok: false, error: `replicaFiles: ${quote(raw.replicaFiles)}, but the spec ${spec.replicas?.keep === 'all' ? 'keeps every replica (replicas.keep "all"): the file must name them' : 'keeps no replicas'}; the file is damaged or edited` };
  }
  const checkpoint = raw.checkpoint;
  if (checkpoint !== undefined) {
    // The trainer saves the state after stepsDone = 1 … steps loss evaluations (after k = 0 … steps − 1 and its update).
    if (raw.backend !== 'webgpu') return { ok: false, error: `checkpoint: the ${raw.backend} engine writes none; the file is damaged or edited` };
    if (raw.status === 'complete') return { ok: false, error: 'checkpoint: in a complete run; the file is damaged or edited' };
    if (spec.replicas) return { ok: false, error: 'checkpoint: in a replica sweep, which keeps whole cells only; the file is damaged or edited' };
    if (!isObject(checkpoint) || !isCount(checkpoint.stepsDone, 1, spec.steps) || typeof checkpoint.cellsFile !== 'string' || typeof checkpoint.stateFile !== 'string') {
      return { ok: false, error: `checkpoint: ${isObject(checkpoint) ? `stepsDone ${quote(checkpoint.stepsDone)}` : quote(checkpoint)}; expected stepsDone 1 … ${spec.steps} (steps), cellsFile and stateFile` };
    }
  }
  return { ok: true, head: { ...(raw as unknown as ResultsHead), spec } };
}

/**
 * Checks a checkpoint's cells and state against the head and outputs: cells within the file's range, unique, not
 * already computed; `stateWords` state words per cell. Returns the problem, or undefined.
 */
export function checkpointProblem(cells: Int32Array, state: Uint32Array, stateWords: number, range: { first: number; end: number }, computed: (cell: number) => boolean): string | undefined {
  if (cells.length === 0) return 'checkpoint.cellsFile: no cells';
  const seen = new Set<number>();
  for (let j = 0; j < cells.length; j++) {
    const c = cells[j];
    if (c < range.first || c >= range.end) return `checkpoint.cellsFile: cell ${c} (entry ${j}) is outside cells ${range.first} … ${range.end - 1}`;
    if (seen.has(c)) return `checkpoint.cellsFile: cell ${c} appears twice`;
    if (computed(c)) return `checkpoint.cellsFile: cell ${c} is computed already`;
    seen.add(c);
  }
  if (state.length !== cells.length * stateWords) return `checkpoint.stateFile: ${state.length.toLocaleString('en-US')} words; ${cells.length.toLocaleString('en-US')} cells need ${(cells.length * stateWords).toLocaleString('en-US')} (${stateWords} each)`;
  return undefined;
}
