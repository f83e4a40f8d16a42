/**
 * One writer per output folder (issue 19): a second sweep, resume or merge into a folder being written refuses and
 * names the holder; parts of a sharded sweep still run at once into one folder; a lock whose process is gone is taken
 * over; a merge refuses an --out holding another run and leaves it as it was.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'lock-'));
const specFile = (name: string, spec: object) => { const path = join(dir, `${name}.json`); writeFileSync(path, JSON.stringify(spec)); return path; };
// Each part about 0.2 s of one thread; the big one about 90 s (stopped long before).
const small = specFile('small', { steps: 20000, x: { param: 'lr', min: 0.1, max: 10, count: 32, scale: 'log' }, y: { param: 'initScale', min: 0.5, max: 2, count: 32 } });
const big = specFile('big', { steps: 1_000_000, x: { param: 'lr', min: 0.1, max: 10, count: 64, scale: 'log' }, y: { param: 'initScale', min: 0.5, max: 2, count: 64 } });
const parts = join(dir, 'parts'), held = join(dir, 'held');

const started: ChildProcess[] = [];
afterAll(() => { for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });

/** Starts a command-line entry (src/cli/<script>.ts) through tsx, as npm run sweep / merge do. */
function cli(script: 'main' | 'merge', args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  return child;
}

/** The exit code and standard error of `child`. */
function ended(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdout!.resume();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

/** Resolves once `path` exists (the child's lock), polling every 2 ms; rejects if `child` ends first, or after 20 s. */
function lockOf(child: ChildProcess, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const poll = setInterval(() => {
      if (existsSync(path)) { clearInterval(poll); resolve(); }
      else if (performance.now() - started > 20_000) { clearInterval(poll); reject(new Error(`process ${child.pid} made no ${path} in 20 s`)); }
    }, 2);
    child.on('exit', () => { clearInterval(poll); if (!existsSync(path)) reject(new Error(`process ${child.pid} ended without ${path}`)); });
  });
}

const sweep = (spec: string, ...args: string[]) => cli('main', [spec, '--backend', 'cpu', '--threads', '1', ...args]);
const lockFiles = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.lock'));

describe('one writer per output folder', () => {
  it('runs two parts into one folder at once, each under its own lock; a second copy of a part refuses', async () => {
    const shards = [0, 1].map((i) => sweep(small, '--shard', `${i}/2`, '--out', parts));
    const exits = shards.map(ended);
    // Each is paused as soon as it holds its lock: both hold them at the same moment, however fast the machine.
    await Promise.all(shards.map((s, i) => lockOf(s, join(parts, `.part-${i}-of-2.lock`)).then(() => s.kill('SIGSTOP'))));
    const again = await ended(sweep(small, '--shard', '0/2', '--out', parts));
    for (const s of shards) s.kill('SIGCONT');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`--out ${parts} (part 0 of 2) is being written by process ${shards[0].pid} (npm run sweep -- ${small} --backend cpu --threads 1 --shard 0/2 --out ${parts}), since `);
    expect((await Promise.all(exits)).map((e) => e.code)).toEqual([0, 0]);
    expect(readdirSync(parts).filter((f) => f.endsWith('.json')).sort()).toEqual(['part-0-of-2.json', 'part-1-of-2.json']);
    expect(lockFiles(parts)).toEqual([]); // released at the normal end
    expect(readdirSync(parts).filter((f) => f.endsWith('.draft'))).toEqual([]); // no lock drafts left behind
  }, 60_000);

  it('refuses a second sweep, a --resume and a merge into a folder being written, naming the process; SIGTERM then writes and releases', async () => {
    const first = sweep(big, '--out', held);
    const firstExit = ended(first);
    await lockOf(first, join(held, '.lock'));
    const others = await Promise.all([sweep(small, '--out', held), cli('main', ['--resume', held]), cli('merge', [parts, '--out', held])].map(ended));
    for (const other of others) {
      expect(other.code).toBe(1);
      expect(other.stderr).toContain(`--out ${held} is being written by process ${first.pid} (npm run sweep -- ${big} --backend cpu --threads 1 --out ${held}), since `);
      expect(other.stderr).toContain(`or stop it (kill ${first.pid}), or give another --out`);
    }
    first.kill('SIGTERM');
    expect((await firstExit).code).toBe(130); // stopped: what was done is written, to continue with --resume
    expect(JSON.parse(readFileSync(join(held, 'results.json'), 'utf8')).status).not.toBe('complete');
    expect(lockFiles(held)).toEqual([]);
  }, 60_000);

  it('refuses to merge into a folder holding a stopped run of another spec, and leaves its files as they were', async () => {
    const before = new Map(readdirSync(held).map((f) => [f, readFileSync(join(held, f))]));
    const merge = await ended(cli('merge', [parts, '--out', held]));
    expect(merge.code).toBe(1);
    expect(merge.stderr).toMatch(`cannot merge: --out ${held} holds a stopped run (cancelled, `);
    expect(merge.stderr).toContain(`continue it with npm run sweep -- --resume ${held}, or give another --out`);
    expect(readdirSync(held).sort()).toEqual([...before.keys()].sort());
    for (const [f, bytes] of before) expect(readFileSync(join(held, f)).equals(bytes), f).toBe(true);
    expect([...lockFiles(held), ...lockFiles(parts)]).toEqual([]); // released on failing too
  }, 60_000);

  it('takes over a lock whose process is gone, with a note', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid; // a process id that just ended
    const lock = join(parts, '.part-1-of-2.lock');
    writeFileSync(lock, JSON.stringify({ pid: gone, host: hostname(), since: '2026-01-01T00:00:00.000Z', command: 'npm run sweep -- killed.json' }));
    const run = await ended(sweep(small, '--shard', '1/2', '--out', parts));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`note: ${lock} was left by process ${gone} (npm run sweep -- killed.json), since 2026-01-01T00:00:00.000Z, which is gone: taken over`);
    expect(existsSync(lock)).toBe(false);
  }, 60_000);
});
