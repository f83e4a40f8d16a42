/**
 * Worker threads on a sibling module, from the TypeScript sources (through tsx, `npm run …`) or from the compiled
 * package (lib/, plain JavaScript): the one place that knows which.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running module `name` (no extension) beside the module at `base` (its import.meta.url). From a .ts
 * module the entry starts through ts-worker.mjs (Node 20 applies no --import loader to a worker's entry file); from a
 * compiled .js module it starts as it is. workerData gains `entry`, the module's file URL.
 */
export function moduleWorker(name: string, base: string, options: WorkerOptions = {}): Worker {
  const compiled = !base.endsWith('.ts');
  const entry = new URL(`./${name}.${compiled ? 'js' : 'ts'}`, base);
  const workerData = { ...(options.workerData as object | undefined), entry: entry.href };
  return new Worker(compiled ? entry : new URL('./ts-worker.mjs', import.meta.url), { ...options, workerData });
}
