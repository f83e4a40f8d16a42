/** The CPU engine in a browser: the kernel fetched as a static asset of the build, and a pool of web workers. */
import kernelUrl from '../../wasm/build/train.wasm?url';
import { CpuPool } from '../cpu/pool';
import type { FromWorker } from '../cpu/protocol';

let kernelModule: Promise<WebAssembly.Module> | undefined;

/** The compiled WebAssembly kernel (wasm/build/train.wasm), fetched and compiled once. */
export function loadKernelModule(): Promise<WebAssembly.Module> {
  kernelModule ??= fetch(kernelUrl).then((r) => {
    if (!r.ok) throw new Error(`the CPU engine (${kernelUrl}) could not be loaded: HTTP ${r.status}`);
    return r.arrayBuffer();
  }).then((bytes) => WebAssembly.compile(bytes));
  return kernelModule;
}

/** Threads the page may use: one per logical core the browser reports. */
export const browserThreads = () => Math.max(1, navigator.hardwareConcurrency || 1);

/** A pool of `threads` web workers running src/worker/cpu.worker.ts. */
export async function createBrowserPool(threads = browserThreads()): Promise<CpuPool> {
  return new CpuPool((onMessage, onError) => {
    // One expression: Vite rewrites `new Worker(new URL(...))` only in this exact form.
    const worker = new Worker(new URL('./cpu.worker.ts', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => onMessage(e.data));
    worker.addEventListener('error', (e) => onError(new Error(e.message || 'a CPU worker failed to start')));
    return { post: (message) => worker.postMessage(message), terminate: () => worker.terminate() };
  }, await loadKernelModule(), threads);
}
