/**
 * Training one copy from start to end, reporting as it goes: the body of a CPU copy worker, in Node (src/cli/
 * mnist-worker.ts) and in the page (src/worker/mnist-copy.worker.ts), run by the copy pool (./copy-pool.ts).
 */
import type { DigitSet } from './idx';
import type { LayerSpec } from './model';
import type { Network } from './network';
import type { CopyReport } from './sweep';
import { trainEpoch, Trainer, type CopySettings, type RunSettings } from './training';
import { progressGate } from '../core/progress';

/** What a copy worker is asked to do. float64: the reference (slow, exact); otherwise float32 WebAssembly. */
export interface CopyJob { layers: LayerSpec[]; run: RunSettings; copy: CopySettings; float64: boolean }

/** The job of every copy of a sweep, in the sweep's order (a job's index is its copy's). */
export const copyJobs = (layers: LayerSpec[], run: RunSettings, copies: readonly CopySettings[], float64: boolean): CopyJob[] =>
  copies.map((copy) => ({ layers, run, copy, float64 }));

/** Trains `net` (fresh weights from the job's seed) for every epoch of the job, posting its reports, 'copy-done' last. */
export function trainCopy(net: Network, job: CopyJob, train: DigitSet, test: DigitSet, post: (report: CopyReport) => void): void {
  const trainer = new Trainer(net, job.run, job.copy);
  const due = progressGate();
  for (let epoch = 0; epoch < job.run.epochs; epoch++) {
    const { metrics, predictions } = trainEpoch(trainer, train, test, epoch, (iteration, iterations) => {
      if (due()) post({ type: 'progress', epoch, iteration, iterations });
      return true;
    })!;
    post({ type: 'epoch', metrics, params: net.params.slice(), stats: net.stats.slice(), predictions });
  }
  post({ type: 'copy-done' });
}
