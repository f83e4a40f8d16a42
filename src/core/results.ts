/**
 * The results file written by the command line and exported by the page (DESIGN §2): format
 * "backprop-sweeper/results@1". JSON has no NaN or Infinity: non-finite numbers are written as null.
 */
import { axisValues } from './grid';
import { OUTPUT_NAMES, type OutputName } from './outputs';
import type { RunResult, RunStatus } from './run';
import type { SweepSpec } from './spec';

export const RESULTS_FORMAT = 'backprop-sweeper/results@1';

export interface ResultsFile {
  format: typeof RESULTS_FORMAT;
  spec: SweepSpec;
  /** "webgpu", "cpu" (float64 reference) or "cpu-f32" (float32-faithful reference). */
  backend: string;
  adapter: string;
  /** "complete", or "cancelled" / "interrupted" when only `cellsDone` cells (the rest null / −1) were computed. */
  status: RunStatus;
  cellsDone: number;
  timings: { elapsedMs: number; networkStepsPerSecond: number };
  x: { param: string; values: number[] };
  y: { param: string; values: number[] } | null;
  outputs: Record<OutputName, Array<number | null>>;
}

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/** Builds the results document of a run. */
export function buildResults(spec: SweepSpec, backend: string, adapter: string, run: RunResult): ResultsFile {
  return {
    format: RESULTS_FORMAT,
    spec,
    backend,
    adapter,
    status: run.status,
    cellsDone: run.cellsDone,
    timings: { elapsedMs: Math.round(run.elapsedMs * 1000) / 1000, networkStepsPerSecond: Math.round(run.networkStepsPerSecond) },
    x: { param: spec.x.param, values: axisValues(spec.x) },
    y: spec.y ? { param: spec.y.param, values: axisValues(spec.y) } : null,
    outputs: Object.fromEntries(OUTPUT_NAMES.map((name) => [name, Array.from(run.outputs[name], finiteOrNull)])) as ResultsFile['outputs'],
  };
}
