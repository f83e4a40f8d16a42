/**
 * A pool of CPU workers, each with its own instance of the WebAssembly kernel: splits a sweep into blocks of cells,
 * keeps every worker busy (two blocks in flight each), merges the outputs as blocks return, reports progress and
 * stops within two blocks (about 2 × BLOCK_TARGET_MS) of a cancel: the block running and the one queued behind it. Works the same over web workers and worker_threads;
 * no SharedArrayBuffer, so no cross-origin isolation is needed.
 */
import { networkCount } from '../core/grid';
import { runReplicas } from '../core/replica-run';
import { allocateOutputs, OUTPUT_NAMES } from '../core/outputs';
import type { Arithmetic } from '../core/arithmetic';
import { rate, type RunOptions, type RunResult } from '../core/run';
import type { SweepSpec } from '../core/spec';
import type { BlockResult, FromWorker, ToWorker } from './protocol';
import { progressGate } from '../core/progress';

/** One worker as the pool drives it: a channel to post on, and the end of it. */
export interface PoolWorker {
  post(message: ToWorker): void;
  terminate(): void;
}

/** Starts a worker whose messages go to `onMessage` and whose crash goes to `onError`. */
export type SpawnWorker = (onMessage: (message: FromWorker) => void, onError: (error: Error) => void) => PoolWorker;

/** Duration aimed at per block, in ms: progress comes about this often, and a cancel within about twice this. */
export const BLOCK_TARGET_MS = 25;
/** Blocks in flight per worker: the next one waits in its queue, so no worker idles between blocks. */
const IN_FLIGHT = 2;
/** Cells per block: a multiple of the kernel's group of 8 cells, at most this many. */
const GROUP = 8, MAX_BLOCK = 1 << 16;

interface Block { first: number; count: number; worker: number }

/** The state of one run, owned by CpuPool.run. */
interface Run { onDone(message: BlockResult): void; onCrash(error: Error): void }

export class CpuPool {
  private readonly workers: PoolWorker[] = [];
  private readyWorkers = 0;
  private waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private readonly runs = new Map<number, Run>();
  private lastRun = 0;

  /**
   * @param spawn starts one worker (a web worker or a worker thread running src/cpu/block-worker.ts)
   * @param module the compiled kernel (wasm/build/train.wasm), sent to every worker
   * @param threads workers to run: navigator.hardwareConcurrency or os.availableParallelism() by default
   */
  constructor(private readonly spawn: SpawnWorker, private readonly module: WebAssembly.Module, readonly threads: number) {
    if (!(Number.isInteger(threads) && threads >= 1)) throw new Error(`threads must be a positive integer; got ${threads}`);
  }

  private ensureWorkers(): void {
    while (this.workers.length < this.threads) {
      // Messages and errors of a worker that was stopped (a late 'ready', its exit) no longer count.
      const current = () => this.workers.includes(worker);
      const worker: PoolWorker = this.spawn(
        (message) => {
          if (!current()) return;
          if (message.type === 'failed') this.stop(new Error(message.message));
          else if (message.type !== 'ready') this.runs.get(message.run)?.onDone(message);
          else if (++this.readyWorkers === this.threads) for (const w of this.waiting.splice(0)) w.resolve();
        },
        (error) => { if (current()) this.stop(new Error(`a CPU worker stopped: ${error.message}`)); },
      );
      worker.post({ type: 'init', module: this.module });
      this.workers.push(worker);
    }
  }

  /** Starts the workers (if need be) and resolves when every one has its kernel: set-up kept out of a run's timing. */
  ready(): Promise<void> {
    this.ensureWorkers();
    return this.readyWorkers === this.threads ? Promise.resolve() : new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Ends every worker; runs going on and waits for ready() fail with `error`. A later run starts new workers. */
  private stop(error: Error): void {
    this.readyWorkers = 0;
    for (const w of this.workers.splice(0)) w.terminate();
    for (const w of this.waiting.splice(0)) w.reject(error);
    for (const run of [...this.runs.values()]) run.onCrash(error);
  }

  /**
   * Trains every cell of `spec` (or options.cellOrder's, in that order) in `arithmetic`; resolves with complete or,
   * after a cancel, the cells finished (always a prefix of the order: blocks in flight are waited for).
   */
  run(spec: SweepSpec, arithmetic: Arithmetic, options: RunOptions = {}): Promise<RunResult> {
    if (spec.replicas && !options.compact) return runReplicas(spec, options, (networks) => this.run(spec, arithmetic, { ...options, ...networks }));
    this.ensureWorkers();
    const cells = networkCount(spec);
    const order = options.cellOrder;
    const total = order ? order.length : cells;
    const outputs = allocateOutputs(options.compact ? total : cells);
    const id = ++this.lastRun;
    for (const w of this.workers) w.post({ type: 'spec', run: id, spec, arithmetic });
    const start = performance.now();
    const inFlight = new Array<number>(this.workers.length).fill(0);
    let next = 0, prefix = 0, cellsFinished = 0, stepsPerMs: number | undefined, nextBlock = 0;
    const due = progressGate();
    const finished = new Map<number, number>(); // first position → end, for blocks done beyond the prefix
    const blocks = new Map<number, Block>();

    return new Promise<RunResult>((resolve, reject) => {
      const settle = (result: RunResult | Error) => {
        if (!this.runs.has(id)) return;
        if (!(result instanceof Error)) report(true);
        this.runs.delete(id);
        options.signal?.removeEventListener('abort', onAbort);
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      const result = (): RunResult => {
        const elapsedMs = performance.now() - start;
        return { outputs, status: prefix < total ? 'cancelled' : 'complete', cellsDone: prefix, elapsedMs, networkStepsPerSecond: rate(prefix, spec.steps, elapsedMs) };
      };
      const report = (force: boolean) => {
        if (!options.onProgress || !due(force)) return;
        const now = performance.now();
        const progress = { cellsDone: prefix, cells: total, networkStepsDone: cellsFinished * spec.steps, networkSteps: total * spec.steps, elapsedMs: now - start, outputs };
        void Promise.resolve(options.onProgress(progress)).catch(() => undefined);
      };
      const dispatch = () => {
        if (options.signal?.aborted) next = total;
        for (let w = 0; w < this.workers.length && next < total; w++) {
          while (inFlight[w] < IN_FLIGHT && next < total) {
            const remaining = total - next;
            // Until a block reports, blocks of one group: a step's cost is unknown (an MLP step can cost 10⁴ times a
            // 2-2-2 step), and a first block sized for the wrong one held a 64² MLP sweep, its progress and Ctrl-C for a minute.
            const wanted = stepsPerMs === undefined ? GROUP : Math.min(MAX_BLOCK, Math.ceil(remaining / this.workers.length), Math.round((BLOCK_TARGET_MS * stepsPerMs) / Math.max(1, spec.steps)));
            const count = Math.min(remaining, Math.max(GROUP, Math.ceil(wanted / GROUP) * GROUP));
            const block = nextBlock++;
            blocks.set(block, { first: next, count, worker: w });
            const first = next;
            this.workers[w].post({ type: 'block', run: id, block, first, count, cells: order ? Int32Array.from({ length: count }, (_, j) => order[first + j]) : undefined });
            inFlight[w]++;
            next += count;
          }
        }
        if (blocks.size === 0) settle(result());
      };
      const onDone = (message: BlockResult) => {
        const b = blocks.get(message.block);
        if (!b) return;
        blocks.delete(message.block);
        inFlight[b.worker]--;
        if (message.type === 'error') { settle(new Error(`CPU worker: ${message.message}`)); return; }
        for (let j = 0; j < b.count; j++) {
          const cell = order && !options.compact ? order[b.first + j] : b.first + j;
          for (const name of OUTPUT_NAMES) outputs[name][cell] = message.outputs[name][j];
        }
        cellsFinished += b.count;
        if (message.elapsedMs > 0 || stepsPerMs === undefined) stepsPerMs = (b.count * spec.steps) / Math.max(message.elapsedMs, 0.01);
        finished.set(b.first, b.first + b.count);
        while (finished.has(prefix)) { const end = finished.get(prefix)!; finished.delete(prefix); prefix = end; }
        dispatch();
        if (this.runs.has(id)) report(false);
      };
      const onAbort = () => dispatch();
      this.runs.set(id, { onDone, onCrash: (error) => settle(error) });
      options.signal?.addEventListener('abort', onAbort);
      dispatch();
    });
  }

  /** Ends every worker (a run still going fails with a message saying so); a later run starts new ones. */
  close(): void {
    this.stop(new Error('the CPU pool was closed'));
  }
}
