/**
 * Results on disk: DIR/<base>.json (results.json, or part-I-of-N.json for a shard) with the outputs inline for up to
 * INLINE_MAX_CELLS cells, else in .npy files beside it; and a stopped GPU run's checkpoint as two .npy files. Every
 * file is written atomically, the .npy files first under names of their own (<base>.<write id>.<what>.npy) and the
 * JSON last, so a process killed at any moment leaves the previous complete set; older companions are removed after.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gridSize } from '../core/grid';
import { decodeNpy, encodeNpy } from '../core/npy';
import { allocateOutputs, fromNull, OUTPUT_NAMES, outputRow, type OutputName, type SweepOutputs } from '../core/outputs';
import { INLINE_MAX_AXIS, INLINE_MAX_CELLS, RESULTS_FORMAT, type ReadResults, type ResultsHead } from '../core/results';
import type { Checkpoint } from '../core/run';
import { writeAtomically, writeFileAtomic } from './atomic';

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/** Writes the head and the outputs as one JSON document, 65,536 values at a time (a 1M-cell file is ~80 M characters). */
function writeJson(path: string, head: ResultsHead, outputs?: SweepOutputs): void {
  writeAtomically(path, (fd) => {
    if (!outputs) { writeFileSync(fd, JSON.stringify(head)); return; }
    writeFileSync(fd, `${JSON.stringify(head).slice(0, -1)},"outputs":{`);
    OUTPUT_NAMES.forEach((name, i) => {
      const values = outputs[name];
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
 * Writes DIR/<base>.json for `head` and `outputs` (of the whole sweep, or of the part), with `checkpoint` if given.
 * Returns the files written, the JSON last.
 */
export function writeResults(dir: string, base: string, head: ResultsHead, outputs: SweepOutputs, checkpoint?: Checkpoint): string[] {
  const replaced = companionsNamedBy(join(dir, `${base}.json`), base);
  const written: string[] = [];
  const id = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const companion = (what: string) => `${base}.${id}.${what}.npy`;
  const put = (file: string, bytes: Uint8Array) => { writeFileAtomic(join(dir, file), bytes); written.push(join(dir, file)); };
  const cells = outputs.finalLoss.length;
  const large = cells > INLINE_MAX_CELLS;
  const file: ResultsHead = { ...head };
  delete file.outputFiles;
  delete file.checkpoint;
  for (const axis of ['x', 'y'] as const) {
    const a = head[axis];
    if (a && 'values' in a && a.values.length > INLINE_MAX_AXIS) {
      put(companion(`${axis}-values`), encodeNpy(Float64Array.from(a.values)));
      file[axis] = { param: a.param, valuesFile: companion(`${axis}-values`) };
    }
  }
  if (large) {
    const { nx, ny } = gridSize(head.spec);
    const shape = head.part || !head.spec.y ? [cells] : [ny, nx];
    file.outputFiles = {} as Record<OutputName, string>;
    for (const name of OUTPUT_NAMES) {
      put(companion(name), encodeNpy(outputs[name], shape));
      file.outputFiles[name] = companion(name);
    }
  }
  if (checkpoint) {
    put(companion('checkpoint-cells'), encodeNpy(checkpoint.cells));
    put(companion('checkpoint-state'), encodeNpy(checkpoint.state, [checkpoint.cells.length, checkpoint.state.length / Math.max(1, checkpoint.cells.length)]));
    file.checkpoint = { stepsDone: checkpoint.stepsDone, cellsFile: companion('checkpoint-cells'), stateFile: companion('checkpoint-state') };
  }
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
  const name = new RegExp(`"(${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.[0-9a-z]+\\.[A-Za-z-]+\\.npy)"`, 'g');
  return [...new Set(Array.from(text.matchAll(name), (m) => m[1]))];
}

type Read = { ok: true; results: ReadResults; checkpoint?: Checkpoint } | { ok: false; error: string };

/** Reads a results or part file and its .npy companions. */
export function readResults(path: string): Read {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, error: `${path}: cannot read it (${(e as Error).message})` };
  }
  let head: ResultsHead & { outputs?: Record<OutputName, Array<number | null>> };
  try {
    head = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${path}: not valid JSON (${(e as Error).message}): the file was cut short or edited` };
  }
  if (typeof head !== 'object' || head === null || head.format !== RESULTS_FORMAT) return { ok: false, error: `${path}: not a results file (format ${JSON.stringify(head?.format)}, expected ${RESULTS_FORMAT})` };
  const npy = (file: string) => {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(dirname(path), basename(file)));
    } catch (e) {
      throw new Error(`${file}, beside it, cannot be read (${(e as Error).message})`);
    }
    const decoded = decodeNpy(bytes);
    if (!decoded.ok) throw new Error(`${file}: ${decoded.error}`);
    return decoded.values;
  };
  const named = head.outputFiles ?? head.outputs;
  const missing = named && typeof named === 'object' ? OUTPUT_NAMES.filter((name) => !(name in named)) : [];
  if (missing.length && missing.length < OUTPUT_NAMES.length) {
    return { ok: false, error: `${path}: has no ${missing.join(' or ')}: it was written by an earlier version of this tool, before those outputs existed; run its sweep again (the spec is in the file, under "spec")` };
  }
  try {
    const { outputs: inline, ...rest } = head;
    let outputs: SweepOutputs;
    if (head.outputFiles) {
      outputs = Object.fromEntries(OUTPUT_NAMES.map((name) => [name, npy(head.outputFiles![name])])) as unknown as SweepOutputs;
    } else if (inline) {
      outputs = fromInline(inline);
    } else {
      return { ok: false, error: `${path}: has neither "outputs" nor "outputFiles"` };
    }
    for (const name of OUTPUT_NAMES) {
      const want = outputRow(name).type === 'f64' ? Float64Array : Int32Array;
      if (!(outputs[name] instanceof want)) return { ok: false, error: `${path}: ${name} is ${outputs[name] ? `a ${outputs[name].constructor.name}` : 'missing'}, not a ${want.name}` };
    }
    for (const axis of ['x', 'y'] as const) {
      const a = rest[axis];
      if (a && 'valuesFile' in a) rest[axis] = { param: a.param, values: Array.from(npy(a.valuesFile)) };
    }
    const checkpoint = head.checkpoint ? { stepsDone: head.checkpoint.stepsDone, cells: npy(head.checkpoint.cellsFile) as Int32Array, state: npy(head.checkpoint.stateFile) as Uint32Array } : undefined;
    return { ok: true, results: { name: path, head: rest, outputs }, checkpoint };
  } catch (e) {
    return { ok: false, error: `${path}: ${(e as Error).message}` };
  }
}

/** Inline JSON arrays back to typed outputs (null: each row's notRun, or noLoss in a cell diverged at k = 0). */
function fromInline(inline: Record<OutputName, Array<number | null>>): SweepOutputs {
  const n = inline.finalLoss?.length ?? 0;
  if (OUTPUT_NAMES.some((name) => inline[name]?.length !== n)) throw new Error('the output arrays are missing or differ in length: the file is damaged or edited');
  const outputs = allocateOutputs(n);
  for (let i = 0; i < n; i++) {
    const divergedAt = inline.divergedAt[i] ?? -1;
    for (const name of OUTPUT_NAMES) outputs[name][i] = inline[name][i] ?? fromNull(name, divergedAt);
  }
  return outputs;
}
