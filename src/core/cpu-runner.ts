/**
 * Runs a whole sweep on the CPU reference, in blocks of cells, yielding between blocks for progress and cancel.
 */
import { cellSetupWriter, gridSize } from './grid';
import { CELL_SETUP_LENGTH } from './network';
import { allocateOutputs, setCell } from './outputs';
import type { Arithmetic } from './arithmetic';
import { trainCell } from './reference';
import { rate, type RunOptions, type RunResult } from './run';
import { isMlp, type SweepSpec } from './spec';
import type { CellOutputs } from './outputs';
import { mlpInitialWeights, mlpProblem, mlpSetupWriter, MLP_SETUP, MLP_SETUP_LENGTH } from '../mlp/problem';
import { trainMlpCell } from '../mlp/reference';

/**
 * The oracle's trainer of one cell of `spec`, by network kind: cell index → outputs (float64, or float32-faithful).
 * Shared set-up (the MLP's data and draws) is built once per call of this function.
 */
export function referenceCellTrainer(spec: SweepSpec, arithmetic: Arithmetic): (index: number) => CellOutputs {
  if (isMlp(spec)) {
    const problem = mlpProblem(spec), write = mlpSetupWriter(spec), setup = new Float64Array(MLP_SETUP_LENGTH);
    const draws = new Map<number, Float64Array>();
    return (index) => {
      write(index, setup);
      const k = setup[MLP_SETUP.draw];
      let drawn = draws.get(k);
      if (!drawn) draws.set(k, (drawn = mlpInitialWeights(spec, k)));
      return trainMlpCell(problem, setup, drawn, arithmetic);
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
  const { cells } = gridSize(spec);
  const outputs = allocateOutputs(cells);
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
      setCell(outputs, index, train(index));
    }
    done = end;
    const elapsedMs = performance.now() - start;
    await options.onProgress?.({ cellsDone: done, cells: total, networkStepsDone: done * spec.steps, networkSteps: total * spec.steps, elapsedMs, outputs });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const elapsedMs = performance.now() - start;
  return { outputs, status: done < total ? 'cancelled' : 'complete', cellsDone: done, elapsedMs, networkStepsPerSecond: rate(done, spec.steps, elapsedMs) };
}
