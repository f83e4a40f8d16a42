/**
 * The CPU engine in Node: the WebAssembly kernel read from wasm/build/train.wasm (npm run wasm builds it) and a pool
 * of worker threads, one per core by default.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { CpuPool } from '../cpu/pool';
import type { FromWorker } from '../cpu/protocol';
import { moduleWorker } from './module-worker';

let kernelModule: WebAssembly.Module | undefined;

/** The compiled kernel; says how to build it when it is missing. */
export function loadKernelModule(): WebAssembly.Module {
  if (kernelModule) return kernelModule;
  const url = new URL('../../wasm/build/train.wasm', import.meta.url);
  let bytes: Buffer;
  try {
    bytes = readFileSync(url);
  } catch {
    throw new Error(`the CPU engine is not built (${url.pathname} is missing): run npm run wasm, or any npm script, which builds it first`);
  }
  return (kernelModule = new WebAssembly.Module(new Uint8Array(bytes)));
}

/** A pool of `threads` worker threads (default: every core Node reports, os.availableParallelism()). */
export function createNodePool(threads = availableParallelism()): CpuPool {
  return new CpuPool((onMessage, onError) => {
    const worker = moduleWorker('cpu-worker', import.meta.url);
    let terminating = false; // terminate() makes the thread exit with code 1: not a failure
    worker.on('message', (message: FromWorker) => onMessage(message));
    worker.on('error', onError);
    worker.on('exit', (code) => { if (code !== 0 && !terminating) onError(new Error(`worker thread exited with code ${code}`)); });
    return { post: (message) => worker.postMessage(message), terminate: () => { terminating = true; void worker.terminate(); } };
  }, loadKernelModule(), threads);
}
