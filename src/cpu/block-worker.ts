/**
 * The body of a CPU pool worker, the same in Node (worker_threads) and in the page (a web worker): instantiates the
 * kernel, then trains the blocks it is sent, one at a time, and posts their outputs back (transferred).
 */
import { cellSetupWriter } from '../core/grid';
import { CELL_SETUP_LENGTH } from '../core/network';
import type { Arithmetic } from '../core/arithmetic';
import { isMlp, usesMomentum, type SweepSpec } from '../core/spec';
import { allocateOutputs, setCell } from '../core/outputs';
import { referenceCellTrainer } from '../core/cpu-runner';
import { mlpBlockTrainer, type MlpBlockTrainer } from './mlp-block';
import { WasmKernel } from './kernel';
import { outputBuffers, type FromWorker, type ToWorker } from './protocol';

/** What a worker needs of its side of the channel. */
export interface WorkerSide {
  post(message: FromWorker, transfer: ArrayBuffer[]): void;
  listen(handler: (message: ToWorker) => void): void;
}

/** Serves blocks on `side` until the worker ends. */
export function serveBlocks(side: WorkerSide): void {
  let kernel: Promise<WasmKernel> | undefined;
  // The sweeps of the latest runs (a cancelled run's last blocks may still be queued behind the next run's spec).
  const runs = new Map<number, { spec: SweepSpec; arithmetic: Arithmetic; write: ReturnType<typeof cellSetupWriter>; mlp?: MlpBlockTrainer }>();
  // Messages are handled in order: each waits for the one before (instantiation is asynchronous).
  let queue = Promise.resolve();
  side.listen((message) => {
    queue = queue.then(async () => {
      if (message.type === 'init') {
        kernel = WasmKernel.create(message.module);
        try {
          await kernel;
          side.post({ type: 'ready' }, []);
        } catch (e) {
          side.post({ type: 'failed', message: `the WebAssembly kernel could not start here (${(e as Error).message})` }, []);
        }
        return;
      }
      if (message.type === 'spec') {
        const mlp = isMlp(message.spec) && message.arithmetic === 'float64' ? mlpBlockTrainer(message.spec) : undefined;
        runs.set(message.run, { ...message, write: isMlp(message.spec) ? () => {} : cellSetupWriter(message.spec), mlp });
        for (const run of runs.keys()) if (runs.size > 4) runs.delete(run);
        return;
      }
      const { run, block, first, count, cells } = message;
      try {
        const current = runs.get(run);
        if (!kernel || !current) throw new Error(`block ${block} of run ${run} arrived before its kernel or spec`);
        const { spec, arithmetic, write, mlp } = current;
        const started = performance.now();
        const cellAt = (j: number) => (cells ? cells[j] : first + j);
        // float64 MLP cells: the WebAssembly MLP kernel (wasm/mlp.ts). float32-faithful MLP cells have no kernel of
        // their own on the CPU yet: they stay on the TypeScript oracle (trainMlpCell with Math.fround).
        const mlpCell = isMlp(spec) && !mlp ? referenceCellTrainer(spec, arithmetic) : undefined;
        const outputs = mlp ? mlp(await kernel, count, cellAt) : mlpCell ? (() => { const o = allocateOutputs(count); for (let j = 0; j < count; j++) setCell(o, j, mlpCell(cellAt(j))); return o; })() : (await kernel).train(spec, arithmetic, count, (setups) => {
          for (let j = 0; j < count; j++) write(cellAt(j), setups, j * CELL_SETUP_LENGTH);
        }, usesMomentum(spec));
        side.post({ type: 'done', run, block, outputs, elapsedMs: performance.now() - started }, outputBuffers(outputs));
      } catch (e) {
        side.post({ type: 'error', run, block, message: (e as Error).message }, []);
      }
    });
  });
}
