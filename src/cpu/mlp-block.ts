/**
 * A block of MLP cells on the WebAssembly kernel: the sweep's shared problem and draws built once, then each block's
 * set-up records and starting weights written into the kernel's memory (float64 only; see block-worker.ts).
 */
import type { SweepOutputs } from '../core/outputs';
import type { MlpSweepSpec } from '../core/spec';
import { drawCache, MLP_SETUP, MLP_SETUP_LENGTH, mlpProblem, mlpSetupWriter } from '../mlp/problem';
import { startingWeights } from '../mlp/reference';
import type { WasmKernel } from './kernel';

/** Trains cells cellAt(0 … count − 1) of the sweep; returns their outputs in that order. */
export type MlpBlockTrainer = (kernel: WasmKernel, count: number, cellAt: (j: number) => number) => SweepOutputs;

/** A trainer for the blocks of `spec` (its problem and each draw's weights computed once, on first use). */
export function mlpBlockTrainer(spec: MlpSweepSpec): MlpBlockTrainer {
  const problem = mlpProblem(spec), write = mlpSetupWriter(spec), drawn = drawCache(spec);
  const setup = new Float64Array(MLP_SETUP_LENGTH);
  return (kernel, count, cellAt) => kernel.trainMlp(problem, count, (setups, weights) => {
    for (let j = 0; j < count; j++) {
      write(cellAt(j), setup);
      setups.set(setup, j * MLP_SETUP_LENGTH);
      weights.set(startingWeights(problem, setup, drawn(setup[MLP_SETUP.draw])), j * problem.weightCount);
    }
  });
}
