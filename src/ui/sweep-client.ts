/** The page's handle on a sweep worker (comlink). */
import * as Comlink from 'comlink';
import type { SweepWorkerApi } from '../worker/sweep.worker';

export type SweepWorker = Comlink.Remote<SweepWorkerApi>;

/** Starts a module worker running src/worker/sweep.worker.ts. */
export function startSweepWorker(): SweepWorker {
  // One expression: Vite rewrites `new Worker(new URL(...))` only in this exact form (the production build breaks otherwise).
  return Comlink.wrap<SweepWorkerApi>(new Worker(new URL('../worker/sweep.worker.ts', import.meta.url), { type: 'module' }));
}

export const proxy = Comlink.proxy;
