/**
 * Runs a whole sweep on the CPU reference, in blocks of cells, yielding between blocks for progress and cancel.
 */
import { cellSetupWriter, networkCount } from './grid';
import { runReplicas } from './replica-run';
import { CELL_SETUP_LENGTH } from './network';
import { allocateOutputs, setCell } from './outputs';
import type { Arithmetic } from './arithmetic';
import { trainCell } from './reference';
import { rate, type RunOptions, type RunResult } from './run';
import { isMlp, type SweepSpec } from './spec';
import type { CellOutputs } from './outputs';
import { drawCache, mlpProblem, mlpSetupWriter, MLP_SETUP, MLP_SETUP_LENGTH } from '../mlp/problem';
import { trainMlpCell } from '../mlp/reference';

/**
 * The oracle's trainer of one network of `spec` (a cell, in a plain sweep), by network kind: network index → outputs (float64, or float32-faithful).
 * Shared set-up (the MLP's data and draws) is built once per call of this function.
 */
export function referenceCellTrainer(spec: SweepSpec, arithmetic: Arithmetic): (index: number) => CellOutputs {
  if (isMlp(spec)) {
    const problem = mlpProblem(spec), write = mlpSetupWriter(spec), setup = new Float64Array(MLP_SETUP_LENGTH);
    const drawn = drawCache(spec);
    return (index) => {
      write(index, setup);
      return trainMlpCell(problem, setup, drawn(setup[MLP_SETUP.draw]), arithmetic);
    };
  }
  const config = { activation: spec.activation, biases: spec.biases, steps: spec.steps, threshold: spec.threshold };
  const setup = new Float64Array(CELL_SETUP_LENGTH), writeSetup = cellSetupWriter(spec);
  return (index) => {
    writeSetup(index, setup);
    return trainCell(setup, config, arithmetic);
  };
}

/** Trains every cell of `spec` (or the cells of options.cellOrder, in that order) on the CPU. */
export async function runReference(spec: SweepSpec, arithmetic: Arithmetic, options: RunOptions = {}): Promise<RunResult> {
  if (spec.replicas && !options.compact) return runReplicas(spec, options, (networks) => runReference(spec, arithmetic, { ...options, ...networks }));
  const cells = networkCount(spec);
  const outputs = allocateOutputs(options.compact ? options.cellOrder!.length : cells);
  const indices = options.cellOrder ?? { length: cells };
  const total = indices.length;
  const block = Math.max(1, Math.floor(2_000_000 / ((spec.steps + 1) * (isMlp(spec) ? spec.data.points * 40 : 1))));
  const train = referenceCellTrainer(spec, arithmetic);
  const start = performance.now();
  let done = 0;
  while (done < total) {
    if (options.signal?.aborted) break;
    const end = Math.min(total, done + block);
    for (let n = done; n < end; n++) {
      const index = options.cellOrder ? options.cellOrder[n] : n;
      setCell(outputs, options.compact ? n : index, train(index));
    }
    done = end;
    const elapsedMs = performance.now() - start;
    await options.onProgress?.({ cellsDone: done, cells: total, networkStepsDone: done * spec.steps, networkSteps: total * spec.steps, elapsedMs, outputs });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const elapsedMs = performance.now() - start;
  return { outputs, status: done < total ? 'cancelled' : 'complete', cellsDone: done, elapsedMs, networkStepsPerSecond: rate(done, spec.steps, elapsedMs) };
}
