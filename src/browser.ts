/**
 * The library in a browser, `import { sweep } from 'backprop-sweeper'` under a bundler's "browser" condition (or
 * 'backprop-sweeper/browser'): the Node entry's sweep() (src/index.ts) run in the page's own sweep worker
 * (src/worker/sweep.worker.ts: the WebGPU trainer, or the WebAssembly kernel on a pool of web workers), one worker per
 * call, ended when the sweep is. The same SweepResult; no readResults (no file system).
 */
import * as Comlink from 'comlink';
import { chooseDevice, cpuAdapter } from './core/engine';
import { gridSize } from './core/grid';
import { allocateOutputs, copyCell, type SweepOutputs } from './core/outputs';
import type { Checkpoint, RunProgress, RunStatus } from './core/run';
import type { SweepSpec } from './core/spec';
import type { RanOn, SweepProgress, SweepWorkerApi } from './worker/sweep.worker';
import { checkedSpec, checkedThreads, toSweepResult, type SweepOptionsBase, type SweepResult } from './library';

export type { SweepSpec, SweepOutputs, RunProgress, RunStatus, Checkpoint };
export { OUTPUT_NAMES } from './core/outputs';
export { SpecError, type Axes, type SweepResult } from './library';

/**
 * How to run: the engine ('auto': WebGPU unless the browser has none or only a CPU emulation; 'webgpu' rejects where
 * there is none), CPU threads (default: navigator.hardwareConcurrency).
 */
export interface SweepOptions extends SweepOptionsBase {
  backend?: 'auto' | 'webgpu' | 'cpu';
}

const BACKENDS = ['auto', 'webgpu', 'cpu'];

/** The result's engine fields for what the worker ran on. */
const engineOf = (ranOn: RanOn): Pick<SweepResult, 'backend' | 'adapter'> => ranOn.device === 'webgpu'
  ? { backend: 'webgpu', adapter: ranOn.adapter }
  : { backend: ranOn.arithmetic === 'float32' ? 'cpu-f32' : 'cpu', adapter: cpuAdapter(ranOn.arithmetic, ranOn.threads) };

/** Runs a sweep spec (an object, or its JSON text) as `backprop-sweeper sweep` does, in a web worker. */
export async function sweep(spec: unknown, options: SweepOptions = {}): Promise<SweepResult> {
  const checked = checkedSpec(spec);
  const asked = options.backend ?? 'auto';
  if (!BACKENDS.includes(asked)) throw new Error(`backend "${asked}" is not one of ${BACKENDS.join(', ')} in a browser`);
  checkedThreads(options.threads, 1);
  // One expression: bundlers (Vite, webpack) rewrite `new Worker(new URL(...))` only in this exact form.
  const worker = new Worker(new URL('./worker/sweep.worker.ts', import.meta.url), { type: 'module' });
  const failed = new Promise<never>((_, reject) => worker.addEventListener('error', (e) => reject(new Error(`the sweep worker failed: ${e.message || 'it could not start'}`))));
  const api = Comlink.wrap<SweepWorkerApi>(worker);
  const { signal } = options;
  let running = false;
  const cancel = () => { if (running) void api.cancel(); };
  signal?.addEventListener('abort', cancel);
  try {
    const work = (async () => {
      if (options.threads !== undefined) await api.useThreads(options.threads);
      // 'cpu' asks the worker nothing (init would start the GPU); 'auto' and 'webgpu' need what it finds.
      const caps = asked === 'cpu' ? undefined : await api.init();
      if (asked === 'webgpu' && caps && 'missing' in caps.gpu) throw new Error(caps.gpu.missing);
      const choice = caps && (asked === 'webgpu' ? chooseDevice('webgpu', caps.gpu, caps.threads) : caps.auto);
      const outputs = allocateOutputs(gridSize(checked).cells, !!checked.replicas);
      const onProgress = options.onProgress && ((p: SweepProgress) => {
        const { fresh, ...counters } = p;
        if (fresh) for (let j = 0; j < fresh.outputs.finalLoss.length; j++) copyCell(fresh.outputs, j, outputs, fresh.first + j);
        options.onProgress!({ ...counters, outputs });
      });
      const pending = api.run(checked, { arithmetic: choice?.device === 'webgpu' ? 'float32' : 'float64' }, Comlink.proxy(onProgress ?? (() => {})));
      running = true;
      if (signal?.aborted) cancel();
      const run = await pending;
      return { run, reason: choice?.reason ?? chooseDevice('cpu', { missing: 'not asked for' }, (run.ranOn as { threads: number }).threads).reason };
    })();
    work.catch(() => {}); // a worker that failed to start settles the race first; this one may reject after it
    const { run, reason } = await Promise.race([work, failed]);
    return toSweepResult(checked, run, { ...engineOf(run.ranOn), reason }, run.error);
  } finally {
    signal?.removeEventListener('abort', cancel);
    worker.terminate();
  }
}
