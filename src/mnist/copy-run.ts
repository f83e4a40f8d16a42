/**
 * Training one copy from start to end, reporting as it goes: the body of a CPU copy worker, in Node (src/cli/
 * mnist-worker.ts) and in the page (src/worker/mnist-copy.worker.ts).
 */
import type { DigitSet } from './idx';
import type { LayerSpec } from './model';
import type { Network } from './network';
import { trainEpoch, Trainer, type CopySettings, type EpochMetrics, type RunSettings } from './training';
import { progressGate } from '../core/progress';

/** What a copy worker is asked to do. float64: the reference (slow, exact); otherwise float32 WebAssembly. */
export interface CopyJob { layers: LayerSpec[]; run: RunSettings; copy: CopySettings; float64: boolean }

/** What a copy worker reports: each epoch with the weights after it, progress within an epoch, the end. */
export type CopyEvent =
  | { type: 'epoch'; metrics: EpochMetrics; params: Float32Array | Float64Array; stats: Float32Array | Float64Array; predictions: Uint8Array }
  | { type: 'progress'; epoch: number; iteration: number; iterations: number }
  | { type: 'done' }
  | { type: 'error'; message: string };


/** Trains `net` (fresh weights from the job's seed) for every epoch of the job, posting events. */
export function trainCopy(net: Network, job: CopyJob, train: DigitSet, test: DigitSet, post: (event: CopyEvent) => void): void {
  const trainer = new Trainer(net, job.run, job.copy);
  const due = progressGate();
  for (let epoch = 0; epoch < job.run.epochs; epoch++) {
    const { metrics, predictions } = trainEpoch(trainer, train, test, epoch, (iteration, iterations) => {
      if (due()) post({ type: 'progress', epoch, iteration, iterations });
      return true;
    })!;
    post({ type: 'epoch', metrics, params: net.params.slice(), stats: net.stats.slice(), predictions });
  }
  post({ type: 'done' });
}
