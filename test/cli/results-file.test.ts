import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults, writeResults } from '../../src/cli/results-file';
import { decodeNpy, encodeNpy } from '../../src/core/npy';
import { allocateOutputs, OUTPUT_NAMES, REPLICA_OUTPUT_NAMES } from '../../src/core/outputs';
import { wilson } from '../../src/core/replicas';
import { buildResults, INLINE_MAX_CELLS, resultsHead } from '../../src/core/results';
import { parseSpec } from '../../src/core/spec';

function sweep(nx: number, ny: number) {
  const r = parseSpec({ x: { param: 'lr', min: 0.1, max: 10, count: nx, scale: 'log' }, y: { param: 'initScale', min: 0.5, max: 2, count: ny } });
  if (!r.ok) throw new Error(r.errors.join());
  return r.spec;
}
/** Outputs of a stopped run: every 7th cell not computed (NaN / −1), the others with recognisable values. */
function outputs(cells: number) {
  const o = allocateOutputs(cells);
  o.finalLoss.forEach((_, i) => { if (i % 7) { o.finalLoss[i] = 1 / (i + 1); o.stepsToThreshold[i] = i % 2; o.minLoss[i] = 1 / (i + 2); o.peakLoss[i] = i; } });
  return o;
}
/** Bit equality of two typed arrays (toEqual on a million entries takes seconds). */
const sameBits = (a: ArrayBufferView, b: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const run = (o: ReturnType<typeof outputs>) => ({ outputs: o, status: 'cancelled' as const, cellsDone: o.finalLoss.length - Math.ceil(o.finalLoss.length / 7), elapsedMs: 1, networkStepsPerSecond: 1 });

describe('results files on disk', () => {
  it('hold small sweeps inline: exactly the JSON of the document, written in pieces, read back the same', () => {
    const spec = sweep(300, 300), o = outputs(90_000);
    const dir = mkdtempSync(join(tmpdir(), 'results-'));
    const files = writeResults(dir, 'results', resultsHead(spec, 'cpu', 'test', run(o)), o);
    expect(files).toEqual([join(dir, 'results.json')]);
    const { sha256, ...document } = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(JSON.stringify(document)).toBe(JSON.stringify(buildResults(spec, 'cpu', 'test', run(o))));
    expect(Object.keys(sha256)).toEqual(['outputs', 'head']);
    const back = readResults(join(dir, 'results.json'));
    expect(back.ok && back.results.outputs).toEqual(o);
  });

  it('put the outputs of large sweeps in .npy files numpy reads, shape [ny, nx], and drop stale ones on rewrite', () => {
    const nx = 1100, ny = 1000, o = outputs(nx * ny);
    expect(nx * ny).toBeGreaterThan(INLINE_MAX_CELLS);
    const spec = sweep(nx, ny), dir = mkdtempSync(join(tmpdir(), 'results-'));
    const head = resultsHead(spec, 'cpu', 'test', run(o));
    writeResults(dir, 'results', head, o);
    const files = writeResults(dir, 'results', head, o); // a second write replaces the first one's companions
    expect(files).toHaveLength(OUTPUT_NAMES.length + 1); // one .npy per output, then results.json
    expect(readdirSync(dir).filter((f) => f.endsWith('.npy')).sort()).toEqual(files.slice(0, OUTPUT_NAMES.length).map((f) => f.slice(dir.length + 1)).sort());
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(json.outputs).toBeUndefined();
    const loss = decodeNpy(readFileSync(join(dir, json.outputFiles.finalLoss)));
    expect(loss.ok && loss.shape).toEqual([ny, nx]);
    expect(loss.ok && sameBits(loss.values, o.finalLoss)).toBe(true);
    const back = readResults(join(dir, 'results.json'));
    if (!back.ok) throw new Error(back.error);
    for (const name of ['finalLoss', 'minLoss', 'stepsToThreshold', 'divergedAt'] as const) expect(sameBits(back.results.outputs[name], o[name]), name).toBe(true);
  });

  it('say which companion is missing', () => {
    const nx = 1100, ny = 1000, o = outputs(nx * ny), dir = mkdtempSync(join(tmpdir(), 'results-'));
    const files = writeResults(dir, 'results', resultsHead(sweep(nx, ny), 'cpu', 'test', run(o)), o);
    readdirSync(dir).filter((f) => f.includes('minLoss')).forEach((f) => rmSync(join(dir, f)));
    const back = readResults(files.at(-1)!);
    expect(!back.ok && back.error).toMatch(/results\.json: results\.[^ ]*minLoss\.npy, beside it, cannot be read/);
  });

  it('refuse a companion replaced by a valid .npy of another length, shape or values, naming the file and the field, and leave it as it was', () => {
    const nx = 1100, ny = 1000, o = outputs(nx * ny), dir = mkdtempSync(join(tmpdir(), 'results-'));
    const files = writeResults(dir, 'results', resultsHead(sweep(nx, ny), 'cpu', 'test', run(o)), o);
    const loss = files.find((f) => f.includes('finalLoss'))!, name = loss.slice(dir.length + 1);
    const swaps: Array<[Uint8Array, string]> = [
      [encodeNpy(new Float64Array(10)), 'holds 10 values; expected 1,100,000'], // the probe's 10 values, once read as "complete"
      [encodeNpy(new Float64Array(2_000_000)), 'holds 2,000,000 values; expected 1,100,000'], // once "RangeError: offset is out of bounds"
      [encodeNpy(new Int32Array(nx * ny), [ny, nx]), 'holds Int32Array values, not Float64Array'],
      [encodeNpy(o.finalLoss, [nx * ny]), 'has shape (1100000); expected (1000, 1100)'],
      [encodeNpy(o.finalLoss.map((v) => v * 2), [ny, nx]), 'its SHA-256 is not the one recorded'],
    ];
    for (const [bytes, message] of swaps) {
      writeFileSync(loss, bytes);
      const back = readResults(join(dir, 'results.json'));
      expect(!back.ok && back.error).toContain(`${join(dir, 'results.json')}: ${name} (outputFiles.finalLoss)`);
      expect(!back.ok && back.error, message).toContain(message);
      expect(readFileSync(loss).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('keep an axis of more than 65,536 values in a .npy file, and read it back as values', () => {
    const r = parseSpec({ steps: 1, x: { param: 'lr', min: 0.01, max: 100, count: 70_000, scale: 'log' } });
    if (!r.ok) throw new Error(r.errors.join());
    const o = outputs(70_000), dir = mkdtempSync(join(tmpdir(), 'results-'));
    const head = resultsHead(r.spec, 'cpu', 'test', run(o));
    writeResults(dir, 'results', head, o);
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(json.x.values).toBeUndefined();
    expect(json.x.valuesFile).toMatch(/^results\..+\.x-values\.npy$/);
    const back = readResults(join(dir, 'results.json'));
    expect(back.ok && back.results.head.x).toEqual(head.x);
  });

  it('remove on rewrite only the companions the replaced file named, not those of a copy kept under another name', async () => {
    const o = outputs(64), dir = mkdtempSync(join(tmpdir(), 'results-'));
    const head = resultsHead(sweep(8, 8), 'cpu', 'test', run(o));
    const checkpoint = { stepsDone: 5, cells: Int32Array.of(3, 4), state: new Uint32Array(8) }; // two companions
    const companions = (file: string) => Object.values(JSON.parse(readFileSync(file, 'utf8')).checkpoint).filter((v): v is string => typeof v === 'string');
    const nextWrite = () => new Promise((resolve) => setTimeout(resolve, 5)); // a write id is the time in ms and the pid
    writeResults(dir, 'results', head, o, checkpoint);
    renameSync(join(dir, 'results.json'), join(dir, 'kept.json')); // the user keeps that run: its companions are its own
    const kept = companions(join(dir, 'kept.json'));
    await nextWrite();
    writeResults(dir, 'results', head, o, checkpoint);
    const second = companions(join(dir, 'results.json'));
    await nextWrite();
    writeResults(dir, 'results', head, o, checkpoint);
    const npy = readdirSync(dir).filter((f) => f.endsWith('.npy'));
    expect(kept.every((f) => npy.includes(f))).toBe(true);
    expect(second.some((f) => npy.includes(f))).toBe(false); // replaced: removed
    expect(npy.sort()).toEqual([...kept, ...companions(join(dir, 'results.json'))].sort());
  });

  it('put a large replica sweep\'s rows in .npy files too, [ny, nx], and read them back checked', () => {
    const nx = 1100, ny = 1000, R = 3, o = outputs(nx * ny), { low, high } = wilson(0, R);
    // Each computed cell: its three replicas stalled.
    const withRows = { ...allocateOutputs(nx * ny, true), ...o };
    for (let i = 0; i < nx * ny; i++) {
      if (!(i % 7)) continue;
      withRows.replicasConverged![i] = 0; withRows.replicasStalled![i] = R; withRows.replicasDiverged![i] = 0;
      withRows.pConverged![i] = 0; withRows.pConvergedLow![i] = low; withRows.pConvergedHigh![i] = high; withRows.medianFinalLoss![i] = o.finalLoss[i];
    }
    const r = parseSpec({ replicas: { count: R }, x: { param: 'lr', min: 0.1, max: 10, count: nx, scale: 'log' }, y: { param: 'initScale', min: 0.5, max: 2, count: ny } });
    if (!r.ok) throw new Error(r.errors.join());
    const dir = mkdtempSync(join(tmpdir(), 'results-'));
    writeResults(dir, 'results', resultsHead(r.spec, 'cpu', 'test', run(o)), withRows);
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(Object.keys(json.outputFiles)).toEqual([...OUTPUT_NAMES, ...REPLICA_OUTPUT_NAMES]);
    const p = decodeNpy(readFileSync(join(dir, json.outputFiles.pConvergedHigh)));
    expect(p.ok && p.shape).toEqual([ny, nx]);
    const back = readResults(join(dir, 'results.json'));
    if (!back.ok) throw new Error(back.error);
    for (const name of REPLICA_OUTPUT_NAMES) expect(sameBits(back.results.outputs[name]!, withRows[name]!), name).toBe(true);
    withRows.pConvergedLow![8] = 0.01;
    writeResults(dir, 'results', resultsHead(r.spec, 'cpu', 'test', run(o)), withRows);
    expect(readResults(join(dir, 'results.json'))).toMatchObject({ ok: false, error: expect.stringContaining('results.json: outputFiles.pConvergedLow[8]: 0.01; 0 of 3 converged gives 0') });
  });
});
