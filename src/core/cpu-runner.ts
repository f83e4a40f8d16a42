/**
 * Runs a whole sweep on the CPU reference, in blocks of cells, yielding between blocks for progress and cancel.
 */
import { cellSetupWriter, gridSize } from './grid';
import { CELL_SETUP_LENGTH } from './network';
import { allocateOutputs, setCell } from './outputs';
import type { Arithmetic } from './arithmetic';
import { trainCell } from './reference';
import { rate, type RunOptions, type RunResult } from './run';
import type { SweepSpec } from './spec';

/** Trains every cell of `spec` (or the cells of options.cellOrder, in that order) on the CPU. */
export async function runReference(spec: SweepSpec, arithmetic: Arithmetic, options: RunOptions = {}): Promise<RunResult> {
  const { cells } = gridSize(spec);
  const outputs = allocateOutputs(cells);
  const config = { activation: spec.activation, biases: spec.biases, steps: spec.steps, threshold: spec.threshold };
  const indices = options.cellOrder ?? { length: cells };
  const total = indices.length;
  const block = Math.max(1, Math.floor(2_000_000 / (spec.steps + 1)));
  const setup = new Float64Array(CELL_SETUP_LENGTH);
  const writeSetup = cellSetupWriter(spec);
  const start = performance.now();
  let done = 0;
  while (done < total) {
    if (options.signal?.aborted) break;
    const end = Math.min(total, done + block);
    for (let n = done; n < end; n++) {
      const index = options.cellOrder ? options.cellOrder[n] : n;
      writeSetup(index, setup);
      setCell(outputs, index, trainCell(setup, config, arithmetic));
    }
    done = end;
    const elapsedMs = performance.now() - start;
    await options.onProgress?.({ cellsDone: done, cells: total, networkStepsDone: done * spec.steps, networkSteps: total * spec.steps, elapsedMs, outputs });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const elapsedMs = performance.now() - start;
  return { outputs, status: done < total ? 'cancelled' : 'complete', cellsDone: done, elapsedMs, networkStepsPerSecond: rate(done, spec.steps, elapsedMs) };
}
