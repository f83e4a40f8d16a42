/**
 * Replica sweeps on the command line (CPU engine): the replica rows and kept replicas in results.json and its .npy
 * files, read back; each kept replica against the same draw of a seed-axis sweep; a run stopped by SIGTERM and
 * resumed; three shards merged against the unsharded run; a damaged replica row refused naming the field.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readResults, writeResults } from '../../src/cli/results-file';
import { decodeNpy } from '../../src/core/npy';
import { allocateOutputs, OUTPUT_NAMES, REPLICA_OUTPUT_NAMES, outputArray, type SweepOutputs } from '../../src/core/outputs';
import { reduceCell } from '../../src/core/replicas';
import type { ResultsFile } from '../../src/core/results';

/** Runs a command-line entry (src/cli/<script>.ts) through tsx, as npm run sweep / merge do; returns stdout. */
const cli = (script: 'main' | 'merge', args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const dir = mkdtempSync(join(tmpdir(), 'replicas-'));
const specFile = (name: string, spec: object) => { const path = join(dir, `${name}.json`); writeFileSync(path, JSON.stringify(spec)); return path; };
const read = (path: string) => { const r = readResults(path); if (!r.ok) throw new Error(r.error); return r.results; };
const sameBits = (a: ArrayBufferView, b: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const course = { preset: 'era-v1', threshold: 1e-4, init: { distribution: 'normal', scale: 1, seed: 7 } };
/** lr × initScale, 6 replicas each, all kept: 35 cells with both outcomes (slow, saturated and fast corners). */
const R2 = 6, grid = specFile('grid', { ...course, steps: 300, replicas: { count: R2, keep: 'all' }, x: { param: 'lr', min: 0.05, max: 3000, count: 7, scale: 'log' }, y: { param: 'initScale', min: 0.2, max: 8, count: 5, scale: 'log' } });
/** A 1-D learning-rate sweep of 48 × 32 networks: long enough on one thread that a SIGTERM lands mid-run. */
const R1 = 32, lr = { param: 'lr', min: 0.01, max: 10000, count: 48, scale: 'log' }, line = { ...course, steps: 3000, init: { ...course.init, scale: 2 }, x: lr };

describe('replica sweeps on the command line', () => {
  /** The grid's unsharded run (its summary as printed), which the first and last tests read. */
  let out = '';
  beforeAll(() => { out = cli('main', [grid, '--backend', 'cpu', '--threads', '2', '--out', join(dir, 'whole')]); }, 60_000);

  it('write every replica row and every replica as .npy [ny, nx, R], read back; three shards (one stopped and resumed) merged equal the unsharded run', () => {
    expect(out).toMatch(/replicas {4}6 per cell, common draws/);
    expect(out).toMatch(/networks {4}210 \(cells × replicas\): converged [\d,]+/);
    expect(out).toMatch(/pConverged {2}mean 0\.\d{3} over 35 cells; [1-9]\d* cells with 0 < p < 1/);
    expect(out).toMatch(/pConverged\.png +viridis 0 \(dark blue\) … 1 \(yellow\)/);
    const file = JSON.parse(readFileSync(join(dir, 'whole', 'results.json'), 'utf8')) as ResultsFile;
    expect(Object.keys(file.outputs)).toEqual([...OUTPUT_NAMES, ...REPLICA_OUTPUT_NAMES]);
    expect(Object.keys(file.replicaFiles!)).toEqual([...OUTPUT_NAMES]);
    const whole = read(join(dir, 'whole', 'results.json'));
    for (const name of OUTPUT_NAMES) {
      const npy = decodeNpy(readFileSync(join(dir, 'whole', file.replicaFiles![name])));
      expect(npy.ok && npy.shape, name).toEqual([5, 7, R2]);
      expect(npy.ok && sameBits(npy.values, whole.replicaOutputs![name]), name).toBe(true);
    }
    for (const i of [2, 0, 1]) cli('main', [grid, '--backend', 'cpu', '--threads', '2', '--shard', `${i}/3`, '--out', join(dir, 'parts')]);
    const part = read(join(dir, 'parts', 'part-1-of-3.json'));
    expect(part.replicaOutputs!.finalLoss).toHaveLength(12 * R2); // cells 11 … 22
    // Part 1 as if stopped after 7 of its 12 cells (its last 5 cells and their replicas not run), then resumed.
    const blank = allocateOutputs(1, true);
    for (let c = 7; c < 12; c++) {
      for (const name of [...OUTPUT_NAMES, ...REPLICA_OUTPUT_NAMES]) outputArray(part.outputs, name)![c] = outputArray(blank, name)![0];
      for (const name of OUTPUT_NAMES) part.replicaOutputs![name].fill(blank[name][0], c * R2, (c + 1) * R2);
    }
    writeResults(join(dir, 'parts'), 'part-1-of-3', { ...part.head, status: 'cancelled', cellsDone: 7 }, part.outputs, undefined, part.replicaOutputs);
    expect(cli('main', ['--resume', join(dir, 'parts'), '--shard', '1/3'])).toMatch(/\(cells 11 … 22\)/);
    expect(cli('merge', [join(dir, 'parts')])).toMatch(/merged {6}3 parts, 35 cells/);
    const merged = read(join(dir, 'parts', 'results.json'));
    for (const { name } of [...OUTPUT_NAMES, ...REPLICA_OUTPUT_NAMES].map((n) => ({ name: n }))) expect(sameBits(outputArray(merged.outputs, name)!, outputArray(whole.outputs, name)!), name).toBe(true);
    for (const name of OUTPUT_NAMES) expect(sameBits(merged.replicaOutputs![name], whole.replicaOutputs![name]), name).toBe(true);
    expect(readFileSync(join(dir, 'parts', 'pConverged.png')).equals(readFileSync(join(dir, 'whole', 'pConverged.png')))).toBe(true);
  }, 120_000);

  it('stopped by SIGTERM keeps whole cells; resumed, each replica is the same draw of a seed-axis sweep bit for bit', async () => {
    const out = join(dir, 'stopped'), spec = specFile('line', { ...line, replicas: { count: R1, keep: 'all' } });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', spec, '--backend', 'cpu', '--threads', '1', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => { if (/cpu: \d/.test(d.toString())) child.kill('SIGTERM'); });
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(130);
    const stopped = read(join(out, 'results.json')); // the reader checks every cell is whole: R replicas or none
    expect(stopped.head.status).toBe('cancelled');
    console.log(`SIGTERM stopped the replica run with ${stopped.head.cellsDone} of 48 cells done`);
    expect(stopped.head.cellsDone).toBeGreaterThan(0);
    expect(stopped.head.cellsDone).toBeLessThan(48);
    expect(Array.from(stopped.outputs.replicasConverged!).filter((k) => k >= 0)).toHaveLength(stopped.head.cellsDone);
    expect(cli('main', ['--resume', out])).toMatch(/wrote {7}/);
    const resumed = read(join(out, 'results.json'));
    expect(resumed.head.status).toBe('complete');

    // The same networks as a seed axis: network (ix, seed r) is replica r of cell ix. (Run as its one part, which
    // writes no figures: the outputs are the whole sweep's.)
    cli('main', [specFile('seeds', { ...line, y: { param: 'seed', count: R1 } }), '--backend', 'cpu', '--threads', '2', '--shard', '0/1', '--out', join(dir, 'seeds')]);
    const seeds = read(join(dir, 'seeds', 'part-0-of-1.json')).outputs;
    const asReplicas = allocateOutputs(48 * R1);
    for (let ix = 0; ix < 48; ix++) for (let r = 0; r < R1; r++) for (const name of OUTPUT_NAMES) asReplicas[name][ix * R1 + r] = seeds[name][r * 48 + ix];
    for (const name of OUTPUT_NAMES) expect(sameBits(resumed.replicaOutputs![name], asReplicas[name]), name).toBe(true);
    const folded = allocateOutputs(48, true);
    for (let ix = 0; ix < 48; ix++) reduceCell(asReplicas, ix * R1, R1, resumed.head.spec.convergence, folded, ix);
    for (const name of [...OUTPUT_NAMES, ...REPLICA_OUTPUT_NAMES]) expect(sameBits(outputArray(resumed.outputs, name)!, outputArray(folded, name)!), name).toBe(true);
    const p = Array.from(resumed.outputs.pConverged!);
    expect(p.some((v) => v > 0 && v < 1) && p.includes(1) && p.includes(0), 'a transition').toBe(true);
  }, 120_000);

  it('refuse a damaged replica row or kept replica, naming the field and the cell', () => {
    const { head, outputs, replicaOutputs } = read(join(dir, 'whole', 'results.json'));
    const rewritten = (edit: (o: SweepOutputs, kept: SweepOutputs) => void) => {
      const o = structuredClone(outputs), kept = structuredClone(replicaOutputs!);
      edit(o, kept);
      const folder = mkdtempSync(join(dir, 'damaged-'));
      writeResults(folder, 'results', head, o, undefined, kept); // a valid file, checksums and all
      const r = readResults(join(folder, 'results.json'));
      return r.ok ? 'read back' : r.error;
    };
    expect(rewritten(() => {})).toBe('read back');
    expect(rewritten((o) => { o.replicasDiverged![4] = 7; })).toMatch(/results\.json: outputs\.replicasDiverged\[4\]: 7 is not a count of replicas 0 … 6/);
    expect(rewritten((o) => { o.pConverged![9] = 0.5; o.replicasConverged![9] = 2; })).toMatch(/outputs\.(replicasStalled|pConverged)\[9\]/);
    expect(rewritten((_, kept) => { kept.stepsToThreshold[13] = 301; })).toMatch(/results\.json: replicaFiles: stepsToThreshold\[13\]: 301 is not a step index/);
    const text = readFileSync(join(dir, 'whole', 'results.json'), 'utf8');
    const edited = join(mkdtempSync(join(dir, 'edited-')), 'results.json');
    writeFileSync(edited, text.replace('"pConvergedLow":', '"pConvergedLower":'));
    expect(readResults(edited)).toMatchObject({ ok: false, error: expect.stringMatching(/outputs\.pConvergedLower: not an output of a sweep/) });
    writeFileSync(edited, text.replace(/"pConvergedLow":\[[^\]]*\],/, ''));
    expect(readResults(edited)).toMatchObject({ ok: false, error: expect.stringMatching(/outputs: no pConvergedLow: a replica sweep's file holds every replica row/) });
    const { replicas: _, ...plain } = head.spec, folder = mkdtempSync(join(dir, 'plain-'));
    writeResults(folder, 'results', { ...head, spec: plain }, outputs); // a plain sweep's file with a replica sweep's rows
    expect(readResults(join(folder, 'results.json'))).toMatchObject({ ok: false, error: expect.stringMatching(/outputs\.pConverged: a row of a replica sweep, but the spec has no replicas/) });
  });
});
