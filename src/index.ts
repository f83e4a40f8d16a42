/**
 * The library, `import { sweep, readResults } from 'backprop-sweeper'` (Node): the command line's sweep without its
 * files, and its results read back. Outputs are the typed arrays the command line writes (SweepOutputs: one row per
 * output name, cell iy · nx + ix; float64 for losses, int32 for step counts and class).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { cpuAdapter } from './core/engine';
import type { SweepOutputs } from './core/outputs';
import type { ResultsHead } from './core/results';
import type { Checkpoint, RunProgress, RunStatus } from './core/run';
import type { SweepSpec } from './core/spec';
import { BACKENDS, type BackendFlag } from './cli/args';
import { pickEngine, runOnGpu } from './cli/engines';
import { createNodePool } from './cli/node-cpu';
import { readResults as readResultsFile } from './cli/results-file';
import { axesOf, checkedSpec, checkedThreads, toSweepResult, type Axes, type SweepOptionsBase, type SweepResult } from './library';

export type { SweepSpec, SweepOutputs, RunProgress, RunStatus, ResultsHead, Checkpoint };
export { OUTPUT_NAMES } from './core/outputs';
export { SpecError, type Axes, type SweepResult } from './library';

/** How to run: the engine ('auto' as the command line: the GPU unless it is missing or a CPU emulation), CPU threads (default: os.availableParallelism()). */
export interface SweepOptions extends SweepOptionsBase {
  backend?: BackendFlag;
}

/** Runs a sweep spec (an object, or its JSON text) as `backprop-sweeper sweep` does, without writing files. */
export async function sweep(spec: unknown, options: SweepOptions = {}): Promise<SweepResult> {
  const parsed = checkedSpec(spec);
  const asked = options.backend ?? 'auto', threads = checkedThreads(options.threads, availableParallelism());
  if (!BACKENDS.includes(asked)) throw new RangeError(`backend "${String(asked)}" is not one of ${BACKENDS.join(', ')}`);
  const { choice, trainer } = await pickEngine(asked, threads);
  const arithmetic = asked === 'cpu-f32' ? 'float32' : 'float64';
  const backend = choice.device === 'webgpu' ? 'webgpu' : arithmetic === 'float32' ? 'cpu-f32' : 'cpu';
  const runOptions = { signal: options.signal, onProgress: options.onProgress };
  let outcome;
  if (trainer) outcome = await runOnGpu(trainer, parsed, runOptions);
  else {
    const pool = createNodePool(threads);
    try {
      await pool.ready();
      outcome = { run: await pool.run(parsed, arithmetic, runOptions), error: undefined };
    } finally {
      pool.close();
    }
  }
  const { run, error } = outcome;
  return toSweepResult(parsed, run, { backend, adapter: trainer ? trainer.gpu.adapter : cpuAdapter(arithmetic, threads), reason: choice.reason }, error);
}

/** A results folder (its results.json, or a results or part file), read and checked as --resume reads it. */
export interface ReadResult { head: ResultsHead; spec: SweepSpec; axes: Axes; outputs: SweepOutputs; replicaOutputs?: SweepOutputs; checkpoint?: Checkpoint }

/** Reads `path` (a folder holding results.json, or the file itself) and its .npy companions; throws naming the problem. */
export function readResults(path: string): ReadResult {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'results.json') : path;
  const read = readResultsFile(file);
  if (!read.ok) throw new Error(read.error);
  const { head, outputs, replicaOutputs } = read.results;
  return { head, spec: head.spec, axes: axesOf(head.spec), outputs, replicaOutputs, checkpoint: read.checkpoint };
}
