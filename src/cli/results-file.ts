/**
 * Results on disk: DIR/<base>.json (results.json, or part-I-of-N.json for a shard) with the outputs inline for up to
 * INLINE_MAX_CELLS cells, else in .npy files beside it; and a stopped GPU run's checkpoint as two .npy files. Every
 * file is written atomically, the .npy files first under names of their own (<base>.<write id>.<what>.npy) and the
 * JSON last, so a process killed at any moment leaves the previous complete set; older companions are removed after.
 * A replica sweep's rows go with the others; with keep "all", every replica's outputs are .npy files [ny, nx, R].
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gridSize } from '../core/grid';
import { decodeNpy, encodeNpy, type NpyArray } from '../core/npy';
import { allocateOutputs, fromNull, isComputed, outputArray, OUTPUT_NAMES, outputRow, outputsProblem, REPLICA_OUTPUT_NAMES, rowsOf, rowsOfSpec, type AnyOutputName, type OutputName, type SweepOutputs } from '../core/outputs';
import { keptReplicasProblem, replicaRowsProblem } from '../core/replica-check';
import { INLINE_MAX_AXIS, INLINE_MAX_CELLS, RESULTS_FORMAT, type ReadResults, type ResultsHead } from '../core/results';
import { checkHead, checkpointProblem, quote } from '../core/results-check';
import { drawIsInline, mlpDraws, nested, type Draw, type DrawName } from '../core/results-draws';
import { isMlp, replicaCount } from '../core/spec';
import type { Checkpoint } from '../core/run';
import { CELL_STATE } from '../gpu/layout';
import { writeAtomically, writeFileAtomic } from './atomic';

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/** Writes the head and the outputs as one JSON document, 65,536 values at a time (a 1M-cell file is ~80 M characters). */
function writeJson(path: string, head: ResultsHead, outputs?: SweepOutputs): void {
  writeAtomically(path, (fd) => {
    if (!outputs) { writeFileSync(fd, JSON.stringify(head)); return; }
    writeFileSync(fd, `${JSON.stringify(head).slice(0, -1)},"outputs":{`);
    rowsOf(outputs).forEach(({ name }, i) => {
      const values = outputArray(outputs, name as AnyOutputName)!;
      writeFileSync(fd, `${i ? ',' : ''}${JSON.stringify(name)}:[`);
      for (let start = 0; start < values.length; start += 65536) {
        writeFileSync(fd, `${start ? ',' : ''}${JSON.stringify(Array.from(values.subarray(start, start + 65536), finiteOrNull)).slice(1, -1)}`);
      }
      writeFileSync(fd, ']');
    });
    writeFileSync(fd, '}}');
  });
}

/**
 * Writes DIR/<base>.json for `head` and `outputs` (of the whole sweep, or of the part), with `checkpoint` if given, and
 * for a replica sweep that keeps them all, `replicaOutputs` (network c·R + r for cell c of `outputs`). Returns the
 * files written, the JSON last.
 */
export function writeResults(dir: string, base: string, head: ResultsHead, outputs: SweepOutputs, checkpoint?: Checkpoint, replicaOutputs?: SweepOutputs): string[] {
  const replaced = companionsNamedBy(join(dir, `${base}.json`), base);
  const written: string[] = [];
  const id = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const companion = (what: string) => `${base}.${id}.${what}.npy`;
  const sums: Record<string, string> = {};
  const put = (file: string, bytes: Uint8Array) => { writeFileAtomic(join(dir, file), bytes); written.push(join(dir, file)); sums[file] = sha256(bytes); };
  const cells = outputs.finalLoss.length;
  const large = cells > INLINE_MAX_CELLS;
  const file: ResultsHead = { ...head };
  delete file.outputFiles;
  delete file.replicaFiles;
  delete file.checkpoint;
  delete file.draws;
  delete file.drawFiles;
  for (const axis of ['x', 'y'] as const) {
    const a = head[axis];
    if (a && 'values' in a && a.values.length > INLINE_MAX_AXIS) {
      put(companion(`${axis}-values`), encodeNpy(Float64Array.from(a.values)));
      file[axis] = { param: a.param, valuesFile: companion(`${axis}-values`) };
    }
  }
  if (isMlp(head.spec)) {
    // The draws, recomputed from the spec (never copied from a head read back), small ones inline.
    for (const [name, draw] of Object.entries(mlpDraws(head.spec)) as Array<[DrawName, Draw]>) {
      if (drawIsInline(draw)) (file.draws ??= {})[name] = nested(draw);
      else {
        put(companion(`draws-${name}`), encodeNpy(draw.values, draw.shape));
        (file.drawFiles ??= {})[name] = companion(`draws-${name}`);
      }
    }
  }
  const { nx, ny } = gridSize(head.spec);
  const shape = head.part || !head.spec.y ? [cells] : [ny, nx];
  if (large) {
    file.outputFiles = {} as Record<OutputName, string>;
    for (const { name } of rowsOf(outputs)) {
      put(companion(name), encodeNpy(outputArray(outputs, name as AnyOutputName)!, shape));
      file.outputFiles[name as OutputName] = companion(name);
    }
  }
  if (head.spec.replicas?.keep === 'all') {
    if (replicaOutputs?.finalLoss.length !== cells * replicaCount(head.spec)) throw new RangeError(`a replica sweep that keeps every replica needs their outputs (${cells} cells × ${replicaCount(head.spec)} replicas)`);
    file.replicaFiles = {} as Record<OutputName, string>;
    for (const name of OUTPUT_NAMES) {
      put(companion(`replicas-${name}`), encodeNpy(replicaOutputs[name], [...shape, replicaCount(head.spec)]));
      file.replicaFiles[name] = companion(`replicas-${name}`);
    }
  }
  if (checkpoint) {
    put(companion('checkpoint-cells'), encodeNpy(checkpoint.cells));
    put(companion('checkpoint-state'), encodeNpy(checkpoint.state, [checkpoint.cells.length, checkpoint.state.length / Math.max(1, checkpoint.cells.length)]));
    file.checkpoint = { stepsDone: checkpoint.stepsDone, cellsFile: companion('checkpoint-cells'), stateFile: companion('checkpoint-state') };
  }
  if (!large) sums.outputs = outputsDigest(outputs);
  sums.head = sha256(Buffer.from(JSON.stringify(file)));
  file.sha256 = sums;
  writeJson(join(dir, `${base}.json`), file, large ? undefined : outputs);
  written.push(join(dir, `${base}.json`));
  // The companions of the file just replaced are stale now; others (a renamed copy's, another writer's) are not ours.
  for (const f of replaced) if (!written.includes(join(dir, f))) rmSync(join(dir, f), { force: true });
  return written;
}

/**
 * The companions that the results file `path` names (outputFiles, valuesFile, the checkpoint's files): every JSON
 * string in it of the form <base>.<write id>.<what>.npy, found without parsing its (up to ~80 MB of) inline outputs.
 * None if it cannot be read.
 */
function companionsNamedBy(path: string, base: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const name = new RegExp(`"(${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.[0-9a-z]+\\.[A-Za-z0-9-]+\\.npy)"`, 'g');
  return [...new Set(Array.from(text.matchAll(name), (m) => m[1]))];
}

type Read = { ok: true; results: ReadResults; checkpoint?: Checkpoint } | { ok: false; error: string };

/** SHA-256 (hex) of bytes. */
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * SHA-256 of outputs as the file's "outputs" entry has them: each row's bytes (every row they hold, rowsOf), every
 * non-finite float64 as NaN, −0 as 0.
 */
export function outputsDigest(outputs: SweepOutputs): string {
  const hash = createHash('sha256');
  for (const { name } of rowsOf(outputs)) {
    const v = outputArray(outputs, name as AnyOutputName)!;
    const canonical = v instanceof Float64Array ? v.map((x) => (Number.isFinite(x) ? x + 0 : NaN)) : v;
    hash.update(new Uint8Array(canonical.buffer, canonical.byteOffset, canonical.byteLength));
  }
  return hash.digest('hex');
}

/** A refusal inside readResults: its message names the field; readResults prefixes the file. */
class Refusal extends Error {}
const refuse = (message: string): never => { throw new Refusal(message); };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a results or part file and its .npy companions, checking everything as strictly as a fresh input (the spec
 * through parseSpec, the head's fields, every output's type, length and values, each companion's dtype, shape and
 * SHA-256, the checkpoint): the results, or the first problem with the file and the field named.
 */
export function readResults(path: string): Read {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, error: `${path}: cannot read it (${(e as Error).message})` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${path}: not valid JSON (${(e as Error).message}): the file was cut short or edited` };
  }
  try {
    return readDocument(path, raw);
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, error: `${path}: ${e.message}` };
    throw e;
  }
}

function readDocument(path: string, raw: unknown): Read {
  if (!isObject(raw) || raw.format !== RESULTS_FORMAT) return { ok: false, error: `${path}: not a results file (format ${quote(isObject(raw) ? raw.format : raw)}, expected ${RESULTS_FORMAT})` };
  const sums = raw.sha256 as Record<string, unknown> | undefined;
  if (sums !== undefined && !(isObject(sums) && Object.values(sums).every((v) => typeof v === 'string'))) refuse(`sha256: ${quote(sums)}; expected {"<file>": "<hex digest>", …}`);
  /** A companion's values and shape: of `Type`, `length` long with `shape` (when given), the SHA-256 recorded for it. */
  const npyFile = <T extends NpyArray>(field: string, file: unknown, Type: { new (n: number): T; name: string }, length?: number, shape?: number[]): { values: T; shape: number[] } => {
    if (typeof file !== 'string' || file === '' || basename(file) !== file) return refuse(`${field}: ${quote(file)}; expected the name of a .npy file beside it`);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(dirname(path), file));
    } catch (e) {
      return refuse(`${file}, beside it, cannot be read (${(e as Error).message})`);
    }
    const decoded = decodeNpy(bytes);
    if (!decoded.ok) return refuse(`${file} (${field}): ${decoded.error}`);
    if (!(decoded.values instanceof Type)) return refuse(`${file} (${field}): holds ${decoded.values.constructor.name} values, not ${Type.name}`);
    if (length !== undefined && decoded.values.length !== length) refuse(`${file} (${field}): holds ${decoded.values.length.toLocaleString('en-US')} values; expected ${length.toLocaleString('en-US')}`);
    if (shape && decoded.shape.join() !== shape.join()) refuse(`${file} (${field}): has shape (${decoded.shape.join(', ')}); expected (${shape.join(', ')})`);
    if (sums && sums[file] === undefined) refuse(`sha256: no checksum for ${file} (${field})`);
    if (sums && sums[file] !== sha256(bytes)) refuse(`${file} (${field}): its SHA-256 is not the one recorded under "sha256": the file was replaced or edited`);
    return { values: decoded.values as T, shape: decoded.shape };
  };
  const npy = <T extends NpyArray>(field: string, file: unknown, Type: { new (n: number): T; name: string }, length?: number, shape?: number[]): T => npyFile(field, file, Type, length, shape).values;
  // A file of an earlier version first: its spec and head would be refused too, with a less helpful message.
  const named = raw.outputFiles ?? raw.outputs;
  if (raw.outputFiles !== undefined && raw.outputs !== undefined) refuse('has both "outputs" and "outputFiles"');
  if (!isObject(named)) return refuse(`has neither "outputs" nor "outputFiles" (an object of ${OUTPUT_NAMES.join(', ')})`);
  const missing = OUTPUT_NAMES.filter((name) => !(name in named));
  if (missing.length && missing.length < OUTPUT_NAMES.length) {
    refuse(`has no ${missing.join(' or ')}: it was written by an earlier version of this tool, before those outputs existed; run its sweep again (the spec is in the file, under "spec")`);
  }
  // Axes kept in files first, so that checkHead compares every axis's values with the spec's.
  const document: Record<string, unknown> = { ...raw };
  for (const axis of ['x', 'y'] as const) {
    const a = raw[axis];
    if (isObject(a) && 'valuesFile' in a) document[axis] = { param: a.param, values: Array.from(npy(`${axis}.valuesFile`, a.valuesFile, Float64Array)) };
  }
  // Draws kept in files too, so that checkHead compares every draw with the spec's.
  const drawFiles: Partial<Record<string, Draw>> = {}, drawFileNames: Partial<Record<string, string>> = {};
  if (raw.drawFiles !== undefined) {
    if (!isObject(raw.drawFiles)) refuse(`drawFiles: ${quote(raw.drawFiles)}; expected {"<draw>": "<file>.npy", …}`);
    for (const [name, file] of Object.entries(raw.drawFiles as Record<string, unknown>)) {
      const { values, shape } = npyFile<Float64Array | Int32Array>(`drawFiles.${name}`, file, name === 'batches' ? Int32Array : Float64Array);
      if (shape.length !== 2) refuse(`${file} (drawFiles.${name}): has shape (${shape.join(', ')}); expected (rows, columns)`);
      drawFiles[name] = { values, shape: shape as [number, number] };
      drawFileNames[name] = file as string;
    }
  }
  const checked = checkHead(document, drawFiles, drawFileNames);
  if (!checked.ok) return refuse(checked.error);
  const { outputs: _inline, sha256: _sums, ...head } = checked.head as ResultsHead & { outputs?: unknown };
  const { nx, ny, cells: whole } = gridSize(head.spec);
  const range = head.part ? { first: head.part.firstCell, end: head.part.firstCell + head.part.cells } : { first: 0, end: whole };
  const cells = range.end - range.first;
  const rows = rowsOfSpec(head.spec), field = raw.outputFiles !== undefined ? 'outputFiles' : 'outputs';
  const extra = Object.keys(named).filter((name) => !rows.some((o) => o.name === name));
  if (extra.length) refuse(`${field}.${extra[0]}: ${(REPLICA_OUTPUT_NAMES as readonly string[]).includes(extra[0]) ? 'a row of a replica sweep, but the spec has no replicas' : 'not an output of a sweep'}; the file is damaged or edited`);
  const absent = rows.filter((o) => !(o.name in named));
  if (absent.length) refuse(`${field}: no ${absent.map((o) => o.name).join(', ')}: a replica sweep's file holds every replica row; the file is damaged or edited`);
  const shape = head.part || !head.spec.y ? [cells] : [ny, nx];
  let outputs: SweepOutputs;
  if (raw.outputFiles !== undefined) {
    outputs = Object.fromEntries(rows.map(({ name, type }) => [name, npy<NpyArray>(`outputFiles.${name}`, named[name], type === 'f64' ? Float64Array : Int32Array, cells, shape)])) as unknown as SweepOutputs;
  } else {
    outputs = fromInline(named, cells, !!head.spec.replicas);
    if (sums && sums.outputs !== outputsDigest(outputs)) refuse('outputs: their SHA-256 is not the one recorded under "sha256.outputs": the values were edited');
  }
  if (sums) {
    // Every field of the head as written (without "outputs" and "sha256"), in its order: an edit that leaves a valid
    // file (another backend, status or timing) is still an edit. The head's depth is bounded by checkHead's checks.
    const { outputs: _o, sha256: _s, ...written } = raw;
    let text: string;
    try { text = JSON.stringify(written); } catch { return refuse('nested too deep to be a results file'); }
    if (sums.head !== sha256(Buffer.from(text))) refuse('the head (spec, backend, status, cells, timings, axes, part, checkpoint) is not the one whose SHA-256 is recorded under "sha256.head": the file was edited');
  }
  const problem = outputsProblem(outputs, head.spec.steps, head.cellsDone) ?? (head.spec.replicas ? replicaRowsProblem(outputs, head.spec) : undefined);
  if (problem) refuse(`${field}.${problem}`);
  let replicaOutputs: SweepOutputs | undefined;
  if (head.replicaFiles) {
    const files = head.replicaFiles as Record<string, unknown>, R = replicaCount(head.spec);
    if (!isObject(files) || Object.keys(files).sort().join() !== [...OUTPUT_NAMES].sort().join()) refuse(`replicaFiles: ${quote(files)}; expected {"<output>": "<file>.npy", …} for each of ${OUTPUT_NAMES.join(', ')}`);
    replicaOutputs = Object.fromEntries(OUTPUT_NAMES.map((name) => [name, npy<NpyArray>(`replicaFiles.${name}`, files[name], outputRow(name).type === 'f64' ? Float64Array : Int32Array, cells * R, [...shape, R])])) as unknown as SweepOutputs;
    const wrong = keptReplicasProblem(replicaOutputs, outputs, head.spec, head.cellsDone);
    if (wrong) refuse(`replicaFiles: ${wrong}`);
  }
  let checkpoint: Checkpoint | undefined;
  if (head.checkpoint) {
    const cp = head.checkpoint, words = CELL_STATE.size / 4;
    const cellList = npy('checkpoint.cellsFile', cp.cellsFile, Int32Array);
    const state = npy('checkpoint.stateFile', cp.stateFile, Uint32Array, cellList.length * words, [cellList.length, words]);
    const wrong = checkpointProblem(cellList, state, words, range, (c) => isComputed(outputs, c - range.first));
    if (wrong) refuse(wrong);
    checkpoint = { stepsDone: cp.stepsDone, cells: cellList, state };
  }
  return { ok: true, results: { name: path, head, outputs, ...(replicaOutputs ? { replicaOutputs } : {}) }, checkpoint };
}

/**
 * Inline JSON arrays back to typed outputs, `cells` long (null in a float64 row: its notRun, or noLoss in a cell
 * diverged at k = 0; an int32 row holds integers only), with a replica sweep's rows when `replicas`.
 */
function fromInline(inline: Record<string, unknown>, cells: number, replicas: boolean): SweepOutputs {
  const outputs = allocateOutputs(cells, replicas);
  for (const { name, type } of rowsOf(outputs)) {
    const values = inline[name];
    if (!Array.isArray(values)) return refuse(`outputs.${name}: ${quote(values)}; expected a list of ${cells.toLocaleString('en-US')} values`);
    if (values.length !== cells) refuse(`outputs.${name}: ${values.length.toLocaleString('en-US')} values; the ${cells.toLocaleString('en-US')} cells need one each`);
    const f64 = type === 'f64';
    for (let i = 0; i < cells; i++) {
      const v = values[i];
      if (f64 ? !(v === null || typeof v === 'number') : !(Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)) {
        refuse(`outputs.${name}[${i}]: ${quote(v)}; expected ${f64 ? 'a number or null' : 'an integer'}`);
      }
    }
  }
  const divergedAt = inline.divergedAt as number[];
  for (let i = 0; i < cells; i++) for (const name of OUTPUT_NAMES) outputs[name][i] = (inline[name] as Array<number | null>)[i] ?? fromNull(name, divergedAt[i]);
  if (replicas) for (const name of REPLICA_OUTPUT_NAMES) outputArray(outputs, name)!.set((inline[name] as Array<number | null>).map((v) => v ?? NaN));
  return outputs;
}
