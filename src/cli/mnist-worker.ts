/** A worker thread of `npm run mnist`: trains one copy on the CPU (src/mnist/copy-run.ts) and posts its reports. */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { referenceConv } from '../mnist/conv';
import { trainCopy, type CopyJob } from '../mnist/copy-run';
import type { CopyReport } from '../mnist/sweep';
import { placeModel } from '../mnist/model';
import { FLOAT64_ARENA, Network } from '../mnist/network';
import { wasmNetwork } from '../mnist/wasm-conv';
import { readMnist } from './mnist-data';

const post = (report: CopyReport) => parentPort!.postMessage(report);

try {
  const job = workerData.job as CopyJob;
  const { train, test } = readMnist();
  const model = placeModel(job.layers);
  const net = job.float64
    ? new Network(model, job.run.batch, FLOAT64_ARENA, referenceConv)
    : await wasmNetwork(new WebAssembly.Module(readFileSync(new URL('../../wasm/build/mnist.wasm', import.meta.url))), model, job.run.batch);
  trainCopy(net, job, train, test, post);
} catch (e) {
  post({ type: 'copy-failed', message: (e as Error).message });
}
