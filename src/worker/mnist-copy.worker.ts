/**
 * A CPU copy worker of the page's MNIST sweeps: trains one copy (src/mnist/copy-run.ts) in float32 WebAssembly and
 * posts its events. Receives { job, train, test, kernel } once.
 */
import { trainCopy, type CopyEvent, type CopyJob } from '../mnist/copy-run';
import type { DigitSet } from '../mnist/idx';
import { placeModel } from '../mnist/model';
import { wasmNetwork } from '../mnist/wasm-conv';

self.onmessage = async (e: MessageEvent<{ job: CopyJob; train: DigitSet; test: DigitSet; kernel: WebAssembly.Module }>) => {
  const post = (event: CopyEvent) => self.postMessage(event);
  try {
    const { job, train, test, kernel } = e.data;
    trainCopy(await wasmNetwork(kernel, placeModel(job.layers), job.run.batch), job, train, test, post);
  } catch (error) {
    post({ type: 'error', message: (error as Error).message });
  }
};
