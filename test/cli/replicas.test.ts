/**
 * Replica sweeps on the command line (CPU engine): the replica rows and kept replicas in results.json and its .npy
 * files, read back; each kept replica against the same draw of a seed-axis sweep; a run stopped by SIGTERM and
 * resumed; three shards merged against the unsharded run; a damaged replica row refused naming the field.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readResults, writeResults } from '../../src/cli/results-file';
import { decodeNpy, encodeNpy } from '../../src/core/npy';
import { uniform01 } from '../../src/core/random';
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
    // Its finished cells' counts were folded under its rule: another rule is refused, by flag or by spec file.
    const other = spec.replace('line.json', 'line-reached.json');
    writeFileSync(other, JSON.stringify({ ...line, replicas: { count: R1, keep: 'all' }, convergence: 'reached' }));
    expect(() => cli('main', ['--resume', out, '--convergence', 'reached'])).toThrow(/counted its finished cells' replicas under "ends-below"/);
    expect(() => cli('main', [other, '--resume', out])).toThrow(/counted its finished cells' replicas under the rule "ends-below"/);
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

  it('--compare sets each cell\'s count of converged replicas beside the float64 reference\'s', () => {
    const small = specFile('compare', { ...course, activation: 'tanh', steps: 200, threshold: 1e-3, replicas: { count: 8 }, x: { param: 'lr', min: 0.3, max: 60, count: 6, scale: 'log' } });
    const printed = cli('main', [small, '--backend', 'cpu-f32', '--compare', '--threads', '2', '--out', join(dir, 'compare')]);
    expect(printed).toMatch(/converged replicas {5}the same count in \d+\.\d{3}% of cells/);
    expect(printed).toMatch(/class agreement .*; replica 0\)/);
    const saved = JSON.parse(readFileSync(join(dir, 'compare', 'compare.json'), 'utf8'));
    expect(saved.replicas).toMatchObject({ cells: 6 });
    expect(saved.replicas.countDisagreements).toBe(Math.round((1 - saved.replicas.countAgreementRate) * 6));
  }, 60_000);

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

  it('edited at random (replica rows, kept replicas, their checksums), is refused with a message or read back exactly', () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    console.log(`replica fuzz seed ${seed} (FUZZ_SEED=${seed} repeats it)`);
    let draws = 0;
    const rnd = () => uniform01(seed, draws++, 0), pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
    const original = join(dir, 'whole'), expected = read(join(original, 'results.json'));
    const rows = [...OUTPUT_NAMES, ...REPLICA_OUTPUT_NAMES];
    const counts = { refused: 0, same: 0 };
    for (let c = 0; c < 150; c++) {
      const folder = mkdtempSync(join(dir, 'fuzz-')), target = join(folder, 'results.json');
      for (const f of readdirSync(original).filter((f) => f.startsWith('results.'))) cpSync(join(original, f), join(folder, f));
      const doc = JSON.parse(readFileSync(target, 'utf8'));
      // Without checksums (half the cases) the rows' own checks must catch an edit of a cell's summary: with every
      // replica kept, the summary is a function of them.
      const unsummed = rnd() < 0.5;
      if (unsummed) delete doc.sha256;
      let what: string;
      const kind = unsummed ? 'row' : pick(['row', 'npy', 'key']);
      if (kind === 'npy') {
        const name = pick(OUTPUT_NAMES), file = join(folder, doc.replicaFiles[name]), bytes = readFileSync(file);
        const edit = pick(['flip', 'shape', 'cut']);
        if (edit === 'flip') { const at = 128 + Math.floor(rnd() * (bytes.length - 128)); bytes[at] ^= 1 << Math.floor(rnd() * 8); writeFileSync(file, bytes); }
        else if (edit === 'shape') writeFileSync(file, encodeNpy(decodeNpy(bytes).ok ? (decodeNpy(bytes) as { values: Float64Array }).values : new Float64Array(1), [35, R2]));
        else writeFileSync(file, bytes.subarray(0, Math.floor(rnd() * bytes.length)));
        what = `replicaFiles.${name}: ${edit}`;
      } else if (kind === 'key') {
        const edit = pick(['replicaFiles', 'replicaFiles.score', 'spec.replicas.keep', 'spec.replicas.count', 'spec.replicas']);
        if (edit === 'replicaFiles') delete doc.replicaFiles;
        else if (edit === 'replicaFiles.score') delete doc.replicaFiles.score;
        else if (edit === 'spec.replicas') delete doc.spec.replicas;
        else if (edit === 'spec.replicas.keep') doc.spec.replicas.keep = 'summary';
        else doc.spec.replicas.count = pick([1, 5, 7, 4096]);
        what = `edit ${edit}`;
      } else {
        const name = unsummed ? pick(REPLICA_OUTPUT_NAMES) : pick(rows), cell = Math.floor(rnd() * 35), old = doc.outputs[name][cell];
        const value = pick([null, 0, 1, -1, R2, R2 + 1, 0.5, typeof old === 'number' ? old + 1 : 2, typeof old === 'number' ? old * (1 + 2 ** -40) : 3, typeof old === 'number' ? -old : 4]);
        doc.outputs[name][cell] = value;
        what = `outputs.${name}[${cell}]: ${old} → ${value}${unsummed ? ' (no checksums)' : ''}`;
      }
      writeFileSync(target, JSON.stringify(doc));
      const r = readResults(target);
      if (!r.ok) {
        expect(r.error, what).toContain(target);
        expect(r.error, what).not.toMatch(/^\s+at /m);
        counts.refused++;
        continue;
      }
      for (const name of rows) expect(sameBits(outputArray(r.results.outputs, name)!, outputArray(expected.outputs, name)!), `${what}: ${name}`).toBe(true);
      for (const name of OUTPUT_NAMES) expect(sameBits(r.results.replicaOutputs![name], expected.replicaOutputs![name]), `${what}: kept ${name}`).toBe(true);
      counts.same++;
    }
    console.log(`replica files: ${counts.refused} edits refused, ${counts.same} read back as written`);
    expect(counts.refused).toBeGreaterThan(120);
  });
});
