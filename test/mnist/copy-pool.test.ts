/**
 * The MNIST copy pool (src/mnist/copy-pool.ts) with a fake spawn: the test plays each worker, reporting when it
 * chooses, and sees what the pool starts, terminates and passes on.
 */
import { describe, expect, it } from 'vitest';
import { runCopies, type SpawnCopy } from '../../src/mnist/copy-pool';
import type { CopyEvent, CopyReport } from '../../src/mnist/sweep';

interface FakeWorker { job: string; report(r: CopyReport): void; crash(message: string): void; terminated: boolean }

/** A spawn whose workers do nothing until the test speaks for them; `started` lists them in the order spawned. */
function fakeSpawn() {
  const started: FakeWorker[] = [];
  const spawn: SpawnCopy<string> = (job, onReport, onError) => {
    const w: FakeWorker = { job, report: onReport, crash: (m) => onError(new Error(m)), terminated: false };
    started.push(w);
    return { terminate: () => { w.terminated = true; } };
  };
  const running = () => started.filter((w) => !w.terminated).map((w) => w.job);
  return { spawn, started, running };
}

const JOBS = ['a', 'b', 'c', 'd', 'e'];
const settled = async <T>(p: Promise<T>) => Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), 0))]);

describe('the MNIST copy pool', () => {
  it('runs at most `threads` copies at once, starts them in order as others end, and adds the copy index', async () => {
    const { spawn, started, running } = fakeSpawn();
    const events: CopyEvent[] = [];
    const done = runCopies(JOBS, { spawn, threads: 2, onEvent: (e) => events.push(e) });
    expect(running()).toEqual(['a', 'b']);
    started[1].report({ type: 'progress', epoch: 0, iteration: 1, iterations: 4 });
    started[1].report({ type: 'copy-done' });
    expect(running()).toEqual(['a', 'c']); // b's worker is terminated once its copy ended
    started[0].report({ type: 'copy-done' });
    expect(running()).toEqual(['c', 'd']);
    expect(await settled(done)).toBe('pending');
    for (const k of [2, 3, 4]) started[k].report({ type: 'copy-done' });
    expect(started.map((w) => w.job)).toEqual(JOBS);
    expect(await done).toBe('finished');
    expect(events.slice(0, 3)).toEqual([
      { type: 'progress', copy: 1, epoch: 0, iteration: 1, iterations: 4 }, { type: 'copy-done', copy: 1 }, { type: 'copy-done', copy: 0 },
    ]);
    expect(events.map((e) => e.copy)).toEqual([1, 1, 0, 2, 3, 4]);
    expect(running()).toEqual([]);
  });

  it('passes on a copy\'s failure and goes on with the next copies', async () => {
    const { spawn, started, running } = fakeSpawn();
    const events: CopyEvent[] = [];
    const done = runCopies(JOBS.slice(0, 3), { spawn, threads: 1, onEvent: (e) => events.push(e) });
    started[0].report({ type: 'copy-failed', message: 'out of memory' });
    expect(running()).toEqual(['b']);
    started[1].report({ type: 'copy-done' });
    started[2].report({ type: 'copy-done' });
    expect(await done).toBe('finished');
    expect(events).toEqual([{ type: 'copy-failed', copy: 0, message: 'out of memory' }, { type: 'copy-done', copy: 1 }, { type: 'copy-done', copy: 2 }]);
  });

  it('makes a crash, or an exit before the copy ended, that copy\'s failure; what a worker says after its end is ignored', async () => {
    const { spawn, started } = fakeSpawn();
    const events: CopyEvent[] = [];
    const done = runCopies(['a', 'b'], { spawn, threads: 2, onEvent: (e) => events.push(e) });
    started[0].crash('its worker exited');
    started[0].report({ type: 'copy-done' }); // too late: the copy has failed
    started[1].report({ type: 'copy-done' });
    started[1].crash('its worker exited'); // the exit that follows every worker's end
    expect(await done).toBe('finished');
    expect(events).toEqual([{ type: 'copy-failed', copy: 0, message: 'its worker exited' }, { type: 'copy-done', copy: 1 }]);
    expect(started.every((w) => w.terminated)).toBe(true);
  });

  it('makes a spawn that throws that copy\'s failure', async () => {
    const events: CopyEvent[] = [];
    const spawn: SpawnCopy<string> = () => { throw new Error('no Worker here'); };
    expect(await runCopies(['a', 'b'], { spawn, threads: 1, onEvent: (e) => events.push(e) })).toBe('finished');
    expect(events).toEqual([0, 1].map((copy) => ({ type: 'copy-failed', copy, message: 'its worker did not start: no Worker here' })));
  });

  it('stops: terminates the running workers, starts no other copy, hears nothing after, resolves stopped', async () => {
    const { spawn, started, running } = fakeSpawn();
    const events: CopyEvent[] = [];
    const stop = new AbortController();
    const done = runCopies(JOBS, { spawn, threads: 2, onEvent: (e) => events.push(e), signal: stop.signal });
    started[0].report({ type: 'copy-done' });
    expect(running()).toEqual(['b', 'c']);
    stop.abort();
    expect(running()).toEqual([]);
    started[1].report({ type: 'copy-done' });
    expect(await done).toBe('stopped');
    expect(started.map((w) => w.job)).toEqual(['a', 'b', 'c']);
    expect(events).toEqual([{ type: 'copy-done', copy: 0 }]);
  });

  it('starts nothing when stopped before it began, and finishes at once with no copies', async () => {
    const { spawn, started } = fakeSpawn();
    const stop = new AbortController();
    stop.abort();
    expect(await runCopies(JOBS, { spawn, threads: 2, onEvent: () => undefined, signal: stop.signal })).toBe('stopped');
    expect(await runCopies([], { spawn, threads: 2, onEvent: () => undefined })).toBe('finished');
    expect(started).toEqual([]);
  });

  it('refuses a thread count that is not a positive whole number', () => {
    const { spawn } = fakeSpawn();
    expect(() => runCopies(JOBS, { spawn, threads: 0, onEvent: () => undefined })).toThrow('threads must be a positive whole number; got 0');
  });
});
