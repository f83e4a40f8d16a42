/**
 * Issue 19: a results folder edited at random (types, lengths, values, missing keys, in results.json, its .npy
 * companions and a checkpoint) is either refused with a message or read back as exactly what was written, so that
 * `--resume` completes to the uninterrupted run's bits and `merge` to the whole sweep. Most cases call readResults and
 * mergeResults in-process; a handful spawn the command line. The seed is printed; FUZZ_SEED=<n> repeats a run.
 * The GPU's own resume (a checkpoint's state continued on the device) needs a GPU and is not run here: the checkpoint
 * cases check that what the trainer would be given is refused or is the checkpoint as written.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults, writeResults } from '../../src/cli/results-file';
import { encodeNpy } from '../../src/core/npy';
import { allocateOutputs, OUTPUT_NAMES, outputsAt, type SweepOutputs } from '../../src/core/outputs';
import { mergeResults, resultsHead } from '../../src/core/results';
import type { SweepSpec } from '../../src/core/spec';
import { CELL_STATE } from '../../src/gpu/layout';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
console.log(`resume-fuzz seed ${seed} (FUZZ_SEED=${seed} repeats it)`);
/** mulberry32: a small seeded generator, uniform in [0, 1). */
function random(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
const rnd = random(seed);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];

const dir = mkdtempSync(join(tmpdir(), 'resume-fuzz-'));
/** Runs the command line (`main` or `merge`); resolves with its exit code and output, killing it after 60 s. */
function cli(script: 'main' | 'merge', args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}
const sameBits = (a: ArrayBufferView, b: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const sameOutputs = (a: SweepOutputs, b: SweepOutputs) => OUTPUT_NAMES.every((n) => sameBits(a[n], b[n]));
const snapshot = (folder: string) => readdirSync(folder).sort().map((f) => `${f}:${readFileSync(join(folder, f)).toString('base64')}`).join();

// The uninterrupted run: 16 × 16 cells × 100 steps on the CPU engine (a second or two).
const specFile = join(dir, 'spec.json');
writeFileSync(specFile, JSON.stringify({ steps: 100, x: { param: 'lr', min: 0.1, max: 30, count: 16, scale: 'log' }, y: { param: 'initScale', min: 0.2, max: 3, count: 16, scale: 'log' } }));
execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', specFile, '--backend', 'cpu', '--threads', '1', '--out', join(dir, 'whole')], { stdio: 'pipe' });
const whole = readResults(join(dir, 'whole', 'results.json'));
if (!whole.ok) throw new Error(whole.error);
const spec: SweepSpec = whole.results.head.spec;
const wholeOutputs = whole.results.outputs;

/** The whole run stopped after its first 100 cells (the rest not computed), as the CPU engine writes it. */
function stoppedFolder(name: string): string {
  const out = join(dir, name), o = allocateOutputs(256);
  for (const n of OUTPUT_NAMES) o[n].set(wholeOutputs[n].subarray(0, 100));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  writeResults(out, 'results', resultsHead(spec, 'cpu', 'test', { status: 'cancelled', cellsDone: 100, elapsedMs: 5, networkStepsPerSecond: 1 }), o);
  return out;
}
/** A stopped GPU run: 100 cells done and cells 100 … 107 partly trained (a synthetic state, CellState's words a cell). */
function checkpointFolder(name: string): string {
  const out = join(dir, name), o = allocateOutputs(256);
  for (const n of OUTPUT_NAMES) o[n].set(wholeOutputs[n].subarray(0, 100));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  const state = Uint32Array.from({ length: 8 * (CELL_STATE.size / 4) }, (_, i) => (i * 2654435761) >>> 0);
  writeResults(out, 'results', resultsHead(spec, 'webgpu', 'test', { status: 'cancelled', cellsDone: 100, elapsedMs: 5, networkStepsPerSecond: 1 }), o,
    { cells: Int32Array.from({ length: 8 }, (_, j) => 100 + j), stepsDone: 50, state });
  return out;
}

/** Every path into a JSON value (keys and indices), breadth-first, at most `limit`. */
function paths(value: unknown, limit = 4000): Array<Array<string | number>> {
  const found: Array<Array<string | number>> = [], queue: Array<[unknown, Array<string | number>]> = [[value, []]];
  while (queue.length && found.length < limit) {
    const [v, path] = queue.shift()!;
    if (path.length) found.push(path);
    if (typeof v === 'object' && v !== null) for (const [k, child] of Object.entries(v)) queue.push([child, [...path, Array.isArray(v) ? Number(k) : k]]);
  }
  return found;
}
/** Stands for a list nested 20,000 levels deep, which toJson writes in (JSON.stringify itself would overflow). */
const DEEP = 'deep list';
const toJson = (doc: unknown) => JSON.stringify(doc).replaceAll(`"${DEEP}"`, '['.repeat(20_000) + ']'.repeat(20_000));
/** One random edit of a JSON document, in place; returns what it did. */
function editJson(doc: Record<string, unknown>): string {
  const path = pick(paths(doc));
  const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], doc), key = path.at(-1)!, old = parent[key];
  const kind = pick(['type', 'value', 'delete', 'length']);
  if (kind === 'delete' && !Array.isArray(parent)) { delete parent[key]; return `delete ${path.join('.')}`; }
  if (kind === 'length' && Array.isArray(old)) { if (rnd() < 0.5) old.pop(); else old.push(old[0] ?? 1); return `length of ${path.join('.')}`; }
  const value = kind === 'type' ? pick(['x', null, true, {}, [], [old], DEEP])
    : typeof old === 'number' ? pick([old + 1, -old, old * 0.5, -100, -5, 0, 1e9, 2 ** 32, 0.5, old + 1e-9])
      : typeof old === 'string' ? pick(['softplus', 'cpu-f32', 'webgpu', 'cancelled', 'complete', `${old}x`, '']) : pick([0, 'x', null]);
  parent[key] = value;
  return `${path.join('.')} = ${JSON.stringify(value)?.slice(0, 40)}`;
}
/** One random edit of a .npy file's bytes. */
function editNpy(bytes: Buffer): { bytes: Uint8Array; what: string } {
  const kind = pick(['flip', 'cut', 'longer', 'other dtype', 'other length']);
  if (kind === 'flip') { const b = Buffer.from(bytes), at = Math.floor(rnd() * b.length); b[at] ^= 1 << Math.floor(rnd() * 8); return { bytes: b, what: `bit flipped at byte ${at}` }; }
  if (kind === 'cut') return { bytes: bytes.subarray(0, Math.floor(rnd() * bytes.length)), what: 'cut short' };
  if (kind === 'longer') return { bytes: Buffer.concat([bytes, Buffer.alloc(8)]), what: '8 bytes longer' };
  if (kind === 'other dtype') return { bytes: encodeNpy(new Float32Array(8 * 24)), what: 'float32' };
  return { bytes: encodeNpy(new Int32Array(Math.floor(rnd() * 300))), what: 'int32 of another length' };
}

/** What a refusal must look like: a message naming the file, no stack trace. */
function expectMessage(error: string, file: string, what: string) {
  expect(error, what).toContain(file);
  expect(error, what).not.toMatch(/^\s+at /m);
}

describe('a results folder edited at random', () => {
  it('is refused with a message, or read back exactly as written (results.json and checkpoints)', () => {
    const cases = { refused: 0, same: 0 };
    for (const [name, make] of [['stopped', stoppedFolder], ['checkpoint', checkpointFolder]] as const) {
      const original = make(`${name}-original`), file = join(original, 'results.json');
      const expected = readResults(file);
      if (!expected.ok) throw new Error(expected.error);
      for (let c = 0; c < 120; c++) {
        const folder = make(`${name}-edited`), target = join(folder, 'results.json');
        const companions = readdirSync(folder).filter((f) => f.startsWith('results.') && f.includes('checkpoint'));
        let what: string;
        if (companions.length && rnd() < 0.3) {
          const f = pick(companions), edit = editNpy(readFileSync(join(folder, f)));
          writeFileSync(join(folder, f), edit.bytes);
          what = `${f}: ${edit.what}`;
        } else {
          const doc = JSON.parse(readFileSync(target, 'utf8'));
          what = editJson(doc);
          writeFileSync(target, toJson(doc));
        }
        const before = snapshot(folder), started = performance.now();
        const read = readResults(target);
        expect(performance.now() - started, what).toBeLessThan(2000);
        expect(snapshot(folder), what).toBe(before); // reading changes nothing
        if (!read.ok) { expectMessage(read.error, target, what); cases.refused++; continue; }
        // Accepted: exactly the run as written, so resuming computes the same cells the same way.
        expect(read.results.head.spec, what).toEqual(spec);
        expect([read.results.head.backend, read.results.head.status, read.results.head.cellsDone, read.results.head.part], what)
          .toEqual([expected.results.head.backend, expected.results.head.status, expected.results.head.cellsDone, expected.results.head.part]);
        expect(sameOutputs(read.results.outputs, expected.results.outputs), what).toBe(true);
        expect(read.checkpoint && { ...read.checkpoint, cells: Array.from(read.checkpoint.cells), state: Array.from(read.checkpoint.state) }, what)
          .toEqual(expected.checkpoint && { ...expected.checkpoint, cells: Array.from(expected.checkpoint.cells), state: Array.from(expected.checkpoint.state) });
        cases.same++;
      }
    }
    console.log(`results.json and checkpoints: ${cases.refused} edits refused, ${cases.same} read back as written`);
    expect(cases.refused).toBeGreaterThan(100);
  }, 30_000);

  it('merge: a part edited at random is refused, or the merge is the whole sweep', () => {
    const folder = join(dir, 'parts');
    const cases = { refused: 0, same: 0 };
    for (let c = 0; c < 80; c++) {
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder);
      for (const index of [0, 1]) {
        const first = index * 128;
        writeResults(folder, `part-${index}-of-2`, resultsHead(spec, 'cpu', 'test', { status: 'complete', cellsDone: 128, elapsedMs: 5, networkStepsPerSecond: 1 }, { index, count: 2 }), outputsAt(wholeOutputs, first, first + 128));
      }
      const target = join(folder, `part-${c % 2}-of-2.json`), doc = JSON.parse(readFileSync(target, 'utf8'));
      const what = editJson(doc);
      writeFileSync(target, toJson(doc));
      const reads = [0, 1].map((i) => readResults(join(folder, `part-${i}-of-2.json`)));
      const refused = reads.find((r) => !r.ok);
      if (refused && !refused.ok) { expectMessage(refused.error, target, what); cases.refused++; continue; }
      const merged = mergeResults(reads.map((r) => (r.ok ? r.results : undefined!)));
      if (!merged.ok) { expect(merged.error, what).not.toMatch(/^\s+at /m); cases.refused++; continue; }
      expect(merged.head.spec, what).toEqual(spec);
      expect(sameOutputs(merged.outputs, wholeOutputs), what).toBe(true);
      cases.same++;
    }
    console.log(`merge parts: ${cases.refused} edits refused, ${cases.same} merged to the whole sweep`);
    expect(cases.refused).toBeGreaterThan(60);
  }, 20_000);
});

describe('the command line on edited folders', () => {
  it('--resume refuses each probe case with a message, changing nothing, and completes an untouched stopped run to the uninterrupted bits', async () => {
    const edited = (name: string, make: (folder: string) => string, edit: (doc: any) => void) => {
      const folder = make(name), file = join(folder, 'results.json'), doc = JSON.parse(readFileSync(file, 'utf8'));
      edit(doc);
      writeFileSync(file, toJson(doc));
      return folder;
    };
    const probes: Array<[string, string, RegExp]> = [
      [edited('steps', stoppedFolder, (d) => { d.spec.steps = -5; }), 'spec.steps = −5', /results\.json: spec: invalid sweep spec:\n {2}- steps: must be an integer from 1 to 1000000; got -5/],
      [edited('softplus', stoppedFolder, (d) => { d.spec.activation = 'softplus'; }), 'activation softplus', /results\.json: spec: invalid sweep spec:\n {2}- activation: must be one of/],
      [edited('count', stoppedFolder, (d) => { d.spec.x.count = 2 ** 32; }), 'x.count 2^32', /results\.json: spec: invalid sweep spec:\n {2}- x\.count × y\.count: the sweep has/],
      [edited('nospec', stoppedFolder, (d) => { delete d.spec; }), 'no spec', /results\.json: spec: invalid sweep spec:\n {2}- spec: must be a JSON object/],
      [edited('nested', stoppedFolder, (d) => { d.spec = DEEP; }), 'spec nested 20,000 deep', /results\.json: spec: invalid sweep spec:\n {2}- spec: nested more than 8 levels deep/],
      [edited('string', stoppedFolder, (d) => { d.outputs.finalLoss[5] = 'x'; }), 'finalLoss[5] = "x"', /results\.json: outputs\.finalLoss\[5\]: "x"; expected a number or null/],
      [edited('steps-done', checkpointFolder, (d) => { d.checkpoint.stepsDone = 1e9; }), 'checkpoint stepsDone 10^9', /results\.json: checkpoint: stepsDone 1000000000; expected stepsDone 1 … 100/],
      [edited('steps-done-negative', checkpointFolder, (d) => { d.checkpoint.stepsDone = -100; }), 'checkpoint stepsDone −100', /results\.json: checkpoint: stepsDone -100; expected stepsDone 1 … 100/],
    ];
    // Every probe through readResults in-process, the first three and an untouched folder through the command line.
    for (const [folder, what, message] of probes) {
      const read = readResults(join(folder, 'results.json'));
      expect(!read.ok && read.error, what).toMatch(message);
    }
    const spawned = probes.slice(0, 3), clean = stoppedFolder('clean');
    const before = spawned.map(([folder]) => snapshot(folder));
    const runs = await Promise.all([...spawned.map(([folder]) => cli('main', ['--resume', folder])), cli('main', ['--resume', clean, '--threads', '1'])]);
    spawned.forEach(([folder, what, message], i) => {
      expect(runs[i].code, what).toBe(1);
      expect(runs[i].output, what).toMatch(message);
      expect(runs[i].output, what).not.toMatch(/^\s+at |RangeError|TypeError/m);
      expect(snapshot(folder), what).toBe(before[i]);
    });
    const resumed = runs.at(-1)!;
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toMatch(/resume {6}156 cells to go/);
    const after = readResults(join(clean, 'results.json'));
    expect(after.ok && after.results.head.status).toBe('complete');
    expect(after.ok && sameOutputs(after.results.outputs, wholeOutputs)).toBe(true);
  }, 60_000);

  it('merge refuses a part whose finalLoss[5] is "x", and writes nothing', async () => {
    const folder = join(dir, 'merge-x');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    for (const index of [0, 1]) writeResults(folder, `part-${index}-of-2`, resultsHead(spec, 'cpu', 'test', { status: 'complete', cellsDone: 128, elapsedMs: 5, networkStepsPerSecond: 1 }, { index, count: 2 }), outputsAt(wholeOutputs, index * 128, index * 128 + 128));
    const part = join(folder, 'part-1-of-2.json'), doc = JSON.parse(readFileSync(part, 'utf8'));
    doc.outputs.finalLoss[5] = 'x';
    writeFileSync(part, JSON.stringify(doc));
    const before = snapshot(folder);
    const merged = await cli('merge', [folder]);
    expect(merged.code).toBe(1);
    expect(merged.output).toMatch(`cannot merge: ${part}: outputs.finalLoss[5]: "x"; expected a number or null`);
    expect(snapshot(folder)).toBe(before);
  }, 60_000);
});
