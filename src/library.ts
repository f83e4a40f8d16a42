/**
 * What the library's two entries share (src/index.ts for Node, src/browser.ts for the browser): the options both take,
 * the result both give, the spec check and its error. One definition, so a sweep reads the same in either.
 */
import { axisValues } from './core/grid';
import type { SweepOutputs } from './core/outputs';
import type { ReplicaRunResult } from './core/replica-run';
import type { RunProgress, RunResult, RunStatus } from './core/run';
import { parseSpec, parseSpecText, type SweepSpec } from './core/spec';

/** The options of either entry but the engine (each entry names the engines it has). */
export interface SweepOptionsBase {
  /** CPU threads (default: every core the platform reports). */
  threads?: number;
  /** Stops at the next chunk; the promise then resolves with what is finished (status "cancelled"). */
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
}

/** An axis and its values in cell order (x along a row, y down the rows; y null for a 1-D sweep). */
export interface Axes { x: { param: string; values: number[] }; y: { param: string; values: number[] } | null }

export interface SweepResult {
  /** The spec as run: normalised, every default filled in. */
  spec: SweepSpec;
  axes: Axes;
  outputs: SweepOutputs;
  /** A replica sweep with keep "all": every replica's outputs, network c · R + r. */
  replicaOutputs?: SweepOutputs;
  /** "webgpu", "cpu" (float64) or "cpu-f32". */
  backend: 'webgpu' | 'cpu' | 'cpu-f32';
  adapter: string;
  /** Why this engine (the command line's "engine" line). */
  reason: string;
  status: RunStatus;
  cellsDone: number;
  elapsedMs: number;
  networkStepsPerSecond: number;
  /** A lost GPU device's message, when it stopped the run. */
  error?: string;
}

/** A spec the command line would refuse: its messages, as the command line prints them. */
export class SpecError extends Error {
  constructor(readonly errors: string[]) {
    super(`invalid sweep spec:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'SpecError';
  }
}

/** The spec (an object, or its JSON text) checked and normalised; a SpecError when the command line would refuse it. */
export function checkedSpec(spec: unknown): SweepSpec {
  const parsed = typeof spec === 'string' ? parseSpecText(spec) : parseSpec(spec);
  if (!parsed.ok) throw new SpecError(parsed.errors);
  return parsed.spec;
}

/** `threads` as given (a positive whole number) or `fallback` when left out; a RangeError naming the fix otherwise. */
export function checkedThreads(threads: number | undefined, fallback: number): number {
  if (threads === undefined) return fallback;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive whole number, not ${String(threads)}; leave it out to use every core`);
  return threads;
}

export const axesOf = (spec: SweepSpec): Axes => ({ x: { param: spec.x.param, values: axisValues(spec.x) }, y: spec.y ? { param: spec.y.param, values: axisValues(spec.y) } : null });

/** The result of `run` of `spec` on the engine named by `engine` (why: `reason`); `error`: what stopped it early. */
export function toSweepResult(spec: SweepSpec, run: RunResult, engine: Pick<SweepResult, 'backend' | 'adapter' | 'reason'>, error?: string): SweepResult {
  return {
    spec, axes: axesOf(spec), outputs: run.outputs, replicaOutputs: (run as ReplicaRunResult).replicaOutputs, ...engine,
    status: run.status, cellsDone: run.cellsDone, elapsedMs: run.elapsedMs, networkStepsPerSecond: run.networkStepsPerSecond,
    ...(error ? { error } : {}),
  };
}
