/**
 * What `npm run mnist` (and the sweep command, on a full disk) trusts: an empty --out, more copies than the machine
 * holds, a full disk (SWEEPER_TEST_FULL_DISK: src/cli/atomic.ts), a malformed mnist.json for --figure, and how often
 * the progress files are rewritten (issue 19, findings 6–9).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProgressWriter } from '../../src/cli/progress-writer';
import { checkMnistResults, maxCopies, newResults, type MnistResults } from '../../src/mnist/sweep';
import { DEFAULT_COPY, DEFAULT_RUN } from '../../src/mnist/training';

const dir = mkdtempSync(join(tmpdir(), 'mnist-checks-'));
/** tsx's loader by its path: `--import tsx` resolves from the working folder, which one test moves. */
const TSX = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;
const run = (script: string, args: string[], options: { cwd?: string; env?: Record<string, string>; timeout?: number } = {}) =>
  spawnSync(process.execPath, ['--import', TSX, resolve('src/cli', script), ...args], { encoding: 'utf8', cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: options.timeout ?? 60_000 });
const mnist = (args: string[], options?: Parameters<typeof run>[2]) => run('mnist.ts', args, options);
/** A run of a few seconds: 256 training and 100 test images, one epoch. */
const TINY = ['--backend', 'cpu', '--train-limit', '256', '--test-limit', '100', '--epochs', '1', '--batch', '64'];
const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .*[(:]\d+/);

describe('npm run mnist --out', () => {
  it('refuses an empty --out before writing anything (it would write into the current folder)', () => {
    const cwd = join(dir, 'cwd');
    mkdirSync(cwd);
    const r = mnist([...TINY, '--out', ''], { cwd });
    expect(r.stderr).toMatch(/^--out: an empty path; give a folder \(default out\/mnist\)/);
    expect(r.status).toBe(2);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('npm run mnist copy limit', () => {
  it('derives the most copies from the longest string and the memory: 131,586 of 15 epochs in Node 20 with 4 GiB', () => {
    // mnist.json: 180 + 260 × 15 = 4,080 characters a copy; 536,870,888 / 4,080 = 131,586.0; memory 2 GiB / 3 / 4,080 = 175,448.
    expect(maxCopies(15, { maxStringLength: 536_870_888, memoryBytes: 4 * 2 ** 30 })).toBe(131_586);
    // 1 GiB of memory binds first: 2^29 / 3 / 4,080 = 43,862.
    expect(maxCopies(15, { maxStringLength: 536_870_888, memoryBytes: 2 ** 30 })).toBe(43_862);
    // 1,000 epochs: 260,180 characters a copy, 2,063 copies.
    expect(maxCopies(1000, { maxStringLength: 536_870_888, memoryBytes: 4 * 2 ** 30 })).toBe(2_063);
  });

  it('refuses 1,000 learning rates × 10,000 seeds at once, saying what this machine takes (it crashed after 69 s)', () => {
    const lrs = Array.from({ length: 1000 }, (_, i) => ((i + 1) / 1000).toFixed(3)).join(',');
    const r = mnist(['--lr', lrs, '--seeds', '10000', '--out', join(dir, 'many')], { timeout: 20_000 });
    expect(r.stderr).toMatch(/^--lr × --dropout × --seeds: 1,000 × 1 × 10,000 = 10,000,000 copies; this machine takes at most [\d,]+ copies of 15 epochs: mnist\.json needs about 4,080 characters a copy/);
    expect(r.stderr).toMatch(/Give fewer learning rates, dropout rates or seeds, or fewer --epochs/);
    expect(r.status).toBe(2);
    expect(existsSync(join(dir, 'many', 'mnist.json'))).toBe(false);
  });
});

describe('npm run mnist progress files', () => {
  it('rewrites them so that writing takes at most a tenth of the time, however many copies (not after every epoch)', () => {
    // A run of n copies: an epoch finishes every 10 ms, and writing n copies' files takes n ms (it grows with them).
    let clockMs = 0, writes = 0, writingMs = 0;
    const epochEvents = (copies: number) => {
      clockMs = 0; writes = 0; writingMs = 0;
      const writer = new ProgressWriter(() => { writes++; writingMs += copies; clockMs += copies; }, () => clockMs);
      for (let k = 0; k < copies * 15; k++) { clockMs += 10; writer.soon(); }
      return { writes, share: writingMs / clockMs };
    };
    // 1 copy: every epoch (1 ms of writing, next after 9 ms: before the 10 ms epoch ends).
    expect(epochEvents(1)).toEqual({ writes: 15, share: 1 / 11 });
    // A tenth, and the last write, which may come just before the end.
    for (const copies of [100, 1000]) expect(epochEvents(copies).share).toBeLessThan(0.11);
    // 1,000 copies after every epoch would write 15,000 times, 15,000 × 1,000 ms: 100 times the 150 s of training.
    expect(epochEvents(1000).writes).toBeLessThan(200);
  });
});

describe('a full disk', () => {
  it('npm run mnist: names the file, marks the unfinished copies stopped, exits 1, no stack trace', () => {
    const out = join(dir, 'full');
    // Copy 0 finishes; writing copy 1's weights after its epoch fails; copy 2 has not started (one thread).
    const r = mnist([...TINY, '--seeds', '3', '--threads', '1', '--out', out], { env: { SWEEPER_TEST_FULL_DISK: 'weights-1.json' } });
    expect(r.stderr).toMatch(new RegExp(`^cannot write ${join(out, 'weights-1.json')} \\(ENOSPC: no space left on device.*\\): the disk is full\\nstopped: .*mnist\\.json marks the unfinished copies stopped`));
    noStackTrace(r.stderr);
    expect(r.status).toBe(1);
    const results = JSON.parse(readFileSync(join(out, 'mnist.json'), 'utf8')) as MnistResults;
    expect(results.copies.map((c) => [c.state, c.epochs.length])).toEqual([['finished', 1], ['stopped', 1], ['stopped', 0]]);
  }, 60_000);

  it('npm run mnist: a full disk at the first write of mnist.json names it', () => {
    const out = join(dir, 'full-at-once');
    const r = mnist([...TINY, '--out', out], { env: { SWEEPER_TEST_FULL_DISK: 'mnist.json' } });
    expect(r.stderr).toMatch(new RegExp(`^cannot write ${join(out, 'mnist.json')} \\(ENOSPC.*the disk is full\\nstopped: ${join(out, 'mnist.json')} could not be rewritten either`));
    noStackTrace(r.stderr);
    expect(r.status).toBe(1);
  });

  it('npm run sweep: names results.json and keeps the earlier one', () => {
    const out = join(dir, 'sweep-full'), spec = join(dir, 'tiny.json');
    writeFileSync(spec, JSON.stringify({ steps: 50, x: { param: 'lr', min: 0.1, max: 10, count: 4, scale: 'log' } }));
    expect(run('main.ts', [spec, '--backend', 'cpu', '--threads', '1', '--out', out]).status).toBe(0);
    const earlier = readFileSync(join(out, 'results.json'));
    const r = run('main.ts', [spec, '--backend', 'cpu', '--threads', '1', '--out', out], { env: { SWEEPER_TEST_FULL_DISK: 'results.json' } });
    expect(r.stderr).toMatch(new RegExp(`cannot write ${join(out, 'results.json')} \\(ENOSPC.*\\): the disk is full`));
    noStackTrace(r.stderr);
    expect(r.status).not.toBe(0);
    expect(readFileSync(join(out, 'results.json'))).toEqual(earlier);
  }, 60_000);
});

describe('npm run mnist --figure', () => {
  const good = (): MnistResults => {
    const results = newResults({ ...DEFAULT_RUN, epochs: 2 }, [{ ...DEFAULT_COPY }], 'cpu');
    results.copies[0].epochs.push({ epoch: 1, trainLoss: 0.5, trainAccuracy: 0.9, testLoss: 0.4, testAccuracy: 0.92, lr: 0.05, seconds: 3 });
    return results;
  };

  it('checks every field the figure reads, naming the first that is wrong', () => {
    expect(checkMnistResults(good()).copies).toHaveLength(1);
    const broken = (edit: (r: any) => void) => { const r = good(); edit(r); return () => checkMnistResults(JSON.parse(JSON.stringify(r))); };
    expect(broken((r) => { r.format = 'x'; })).toThrow('not the results of npm run mnist (format backprop-sweeper-mnist, version 1)');
    expect(broken((r) => { delete r.run; })).toThrow('run: expected an object of run settings; got missing');
    expect(broken((r) => { r.run.epochs = -1; })).toThrow('run.epochs: expected a whole number from 1 to 1000; got -1');
    expect(broken((r) => { r.copies = {}; })).toThrow('copies: expected a list of at least one copy; got an object');
    expect(broken((r) => { r.copies[0].settings.seed = '1'; })).toThrow('copies[0].settings.seed: expected a number; got "1"');
    expect(broken((r) => { r.copies[0].state = 'done'; })).toThrow('copies[0].state: expected waiting, running, finished, stopped, failed; got "done"');
    expect(broken((r) => { r.copies[0].epochs[0].testAccuracy = 'x'; })).toThrow('copies[0].epochs[0].testAccuracy: expected a number; got "x"');
    expect(broken((r) => { r.copies[0].epochs[0].epoch = 2; })).toThrow('copies[0].epochs[0].epoch: expected 1; got 2');
    expect(broken((r) => { r.copies[0].epochs.push(...r.copies[0].epochs, ...r.copies[0].epochs); })).toThrow('copies[0].epochs: expected a list of at most 2 epochs; got an array');
  });

  it('refuses a malformed mnist.json with its name and the field, not a TypeError', () => {
    const folder = join(dir, 'figure');
    mkdirSync(folder);
    writeFileSync(join(folder, 'mnist.json'), JSON.stringify({ format: 'backprop-sweeper-mnist', version: 1 }));
    const r = mnist(['--figure', folder]);
    expect(r.stderr).toBe(`--figure ${folder}: ${join(folder, 'mnist.json')}: run: expected an object of run settings; got missing; is it the mnist.json of npm run mnist?\n`);
    expect(r.status).toBe(2);
    writeFileSync(join(folder, 'mnist.json'), '{"format": ');
    expect(mnist(['--figure', folder]).stderr).toMatch(/^--figure .*figure: .*mnist\.json: not valid JSON \(/);
    expect(mnist(['--figure', '']).stderr).toMatch(/^--figure: an empty path/);
    expect(existsSync(join(folder, 'mnist.svg'))).toBe(false);
  });
});
