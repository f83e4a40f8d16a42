/**
 * The CPU pool of an MNIST sweep: runs its copies, at most `threads` at a time, each in a worker started by an
 * injected `spawn` (a worker thread in the command line, a web worker in the page; as src/cpu/pool.ts takes a
 * SpawnWorker), and passes on their reports as CopyEvents (the copy's index added). Pure: no Node, no DOM; tested with
 * a fake spawn (test/mnist/copy-pool.test.ts).
 */
import type { CopyEvent, CopyReport } from './sweep';

/** One copy's worker, as the pool holds it. */
export interface CopyWorker { terminate(): void }

/**
 * Starts a worker training `job`: its reports go to `onReport`; its crash, or its exit before its last report
 * ('copy-done' or 'copy-failed'), to `onError`. What a worker says after its copy ended (a late exit) is ignored.
 */
export type SpawnCopy<Job> = (job: Job, onReport: (report: CopyReport) => void, onError: (error: Error) => void) => CopyWorker;

export interface CopyPoolOptions<Job> {
  spawn: SpawnCopy<Job>;
  /** Copies trained at once: a positive whole number (one per core by default, the caller's choice). */
  threads: number;
  /** Every report of every copy, with its index; a crash or a failed spawn arrives as that copy's 'copy-failed'. */
  onEvent(event: CopyEvent): void;
  /** Stops the sweep: the running workers are terminated at once and no copy starts after. */
  signal?: AbortSignal;
}

/**
 * Trains copy k on `jobs[k]`, starting copies in order as workers free up. Resolves 'finished' when every copy has
 * ended (done or failed: a failure is an event, not a rejection), or 'stopped' when `signal` aborted first; the copies
 * cut short then get no event of their end (the caller marks them stopped).
 */
export function runCopies<Job>(jobs: readonly Job[], { spawn, threads, onEvent, signal }: CopyPoolOptions<Job>): Promise<'finished' | 'stopped'> {
  if (!(Number.isInteger(threads) && threads >= 1)) throw new Error(`threads must be a positive whole number; got ${threads}`);
  return new Promise((resolve) => {
    const live = new Set<number>(); // copies started and not ended
    const workers = new Map<number, CopyWorker>();
    let next = 0, ended = 0, settled = false, filling = false;
    const settle = (outcome: 'finished' | 'stopped') => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = () => {
      live.clear();
      for (const w of workers.values()) w.terminate();
      workers.clear();
      settle('stopped');
    };
    /** Starts copies while a thread is free; a spawn that reports at once re-enters here and returns (no recursion). */
    const fill = () => {
      if (filling) return;
      filling = true;
      try {
        while (!settled && live.size < threads && next < jobs.length) start(next++);
      } finally {
        filling = false;
      }
      if (ended === jobs.length) settle('finished');
    };
    const end = (copy: number) => {
      live.delete(copy);
      workers.get(copy)?.terminate();
      workers.delete(copy);
      ended++;
      fill();
    };
    const hear = (copy: number, report: CopyReport) => {
      if (!live.has(copy)) return; // after its end, or after a stop
      const last = report.type === 'copy-done' || report.type === 'copy-failed';
      try {
        onEvent({ ...report, copy });
      } finally {
        if (last) end(copy);
      }
    };
    const start = (copy: number) => {
      live.add(copy);
      let worker: CopyWorker;
      try {
        worker = spawn(jobs[copy], (report) => hear(copy, report), (error) => hear(copy, { type: 'copy-failed', message: error.message }));
      } catch (e) {
        hear(copy, { type: 'copy-failed', message: `its worker did not start: ${(e as Error).message}` });
        return;
      }
      if (live.has(copy)) workers.set(copy, worker);
      else worker.terminate(); // it ended, or the sweep stopped, before spawn returned
    };
    if (signal?.aborted) { settle('stopped'); return; }
    signal?.addEventListener('abort', onAbort);
    fill();
  });
}
