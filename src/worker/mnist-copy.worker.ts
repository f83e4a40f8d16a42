/**
 * A CPU copy worker of the page's MNIST sweeps: trains one copy (src/mnist/copy-run.ts) in float32 WebAssembly and
 * posts its reports (src/mnist/copy-pool.ts runs it). Receives { job, train, test, kernel } once.
 */
import { trainCopy, type CopyJob } from '../mnist/copy-run';
import type { CopyReport } from '../mnist/sweep';
import type { DigitSet } from '../mnist/idx';
import { placeModel } from '../mnist/model';
import { wasmNetwork } from '../mnist/wasm-conv';

self.onmessage = async (e: MessageEvent<{ job: CopyJob; train: DigitSet; test: DigitSet; kernel: WebAssembly.Module }>) => {
  const post = (report: CopyReport) => self.postMessage(report);
  try {
    const { job, train, test, kernel } = e.data;
    trainCopy(await wasmNetwork(kernel, placeModel(job.layers), job.run.batch), job, train, test, post);
  } catch (error) {
    post({ type: 'copy-failed', message: (error as Error).message });
  }
};
