/**
 * A worker thread of `npm run mnist`: trains one copy on the CPU (float32 WebAssembly, or the float64 reference) and
 * posts each epoch's metrics with the weights after it, then `done` with the test predictions.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { referenceConv } from '../mnist/conv';
import { placeModel } from '../mnist/model';
import { FLOAT64_ARENA, Network } from '../mnist/network';
import { evaluate, trainEpoch, Trainer, type CopySettings, type RunSettings } from '../mnist/training';
import { wasmNetwork } from '../mnist/wasm-conv';
import type { LayerSpec } from '../mnist/model';
import { readMnist } from './mnist-data';

export interface MnistJob { layers: LayerSpec[]; run: RunSettings; copy: CopySettings; float64: boolean }
export type FromMnistWorker =
  | { type: 'epoch'; metrics: import('../mnist/training').EpochMetrics; params: number[]; stats: number[] }
  | { type: 'progress'; iteration: number; iterations: number }
  | { type: 'done'; predictions: Uint8Array }
  | { type: 'error'; message: string };

const post = (m: FromMnistWorker) => parentPort!.postMessage(m);

try {
  const job = workerData.job as MnistJob;
  const { train, test } = readMnist();
  const model = placeModel(job.layers);
  const net = job.float64
    ? new Network(model, job.run.batch, FLOAT64_ARENA, referenceConv)
    : await wasmNetwork(new WebAssembly.Module(readFileSync(new URL('../../wasm/build/mnist.wasm', import.meta.url))), model, job.run.batch);
  const trainer = new Trainer(net, job.run, job.copy);
  let last = 0;
  for (let epoch = 0; epoch < job.run.epochs; epoch++) {
    const metrics = trainEpoch(trainer, train, test, epoch, (iteration, iterations) => {
      const now = performance.now();
      if (now - last > 1000) { last = now; post({ type: 'progress', iteration, iterations }); }
      return true;
    })!;
    post({ type: 'epoch', metrics, params: Array.from(net.params), stats: Array.from(net.stats) });
  }
  post({ type: 'done', predictions: evaluate(net, test, job.run.testLimit).predictions });
} catch (e) {
  post({ type: 'error', message: (e as Error).message });
}
