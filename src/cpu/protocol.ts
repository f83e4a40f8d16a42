/**
 * Messages between the CPU pool (src/cpu/pool.ts) and its workers (src/cpu/block-worker.ts). Plain structured-clone
 * data and transferred buffers only, so the pool needs no SharedArrayBuffer (no cross-origin isolation).
 */
import type { SweepOutputs } from '../core/outputs';
import type { Arithmetic } from '../core/arithmetic';
import type { SweepSpec } from '../core/spec';

export type ToWorker =
  /** First message: the compiled kernel (wasm/build/train.wasm). */
  | { type: 'init'; module: WebAssembly.Module }
  /** The sweep that the following blocks of `run` belong to. */
  | { type: 'spec'; run: number; spec: SweepSpec; arithmetic: Arithmetic }
  /** Train the cells first … first + count − 1, or with `cells`, those cell indices (count = cells.length). */
  | { type: 'block'; run: number; block: number; first: number; count: number; cells?: Int32Array };

/** A block's answer. */
export type BlockResult =
  | { type: 'done'; run: number; block: number; outputs: SweepOutputs; elapsedMs: number }
  | { type: 'error'; run: number; block: number; message: string };

/** 'ready' answers 'init' once the kernel is instantiated; 'failed' says why it could not be. */
export type FromWorker = { type: 'ready' } | { type: 'failed'; message: string } | BlockResult;

/** The buffers of a block's outputs, to transfer rather than copy. */
export function outputBuffers(outputs: SweepOutputs): ArrayBuffer[] {
  return [outputs.finalLoss.buffer, outputs.minLoss.buffer, outputs.stepsToThreshold.buffer, outputs.divergedAt.buffer] as ArrayBuffer[];
}
