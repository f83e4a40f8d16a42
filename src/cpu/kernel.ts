/**
 * The CPU training kernel (wasm/train.ts compiled to WebAssembly) behind a typed surface: train a block of cells, or
 * trace one. Its outputs have the same bits as the float64 reference (src/core/reference.ts), or in float32 mode as
 * the float32-faithful reference. Runs wherever WebAssembly with SIMD does: worker threads in Node, web workers.
 */
import { ACTIVATIONS } from '../core/network';
import { allocateOutputs, type CellOutputs, type SweepOutputs } from '../core/outputs';
import type { ReferencePrecision, TrainConfig } from '../core/reference';
import { outputLayout, setupBytes, TRACE_ROW_LENGTH } from './layout';

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  train(setups: number, count: number, outputs: number, steps: number, threshold: number, biasHidden: number, biasOutput: number, activation: number, float32: number): void;
  trace(setup: number, outputs: number, steps: number, threshold: number, biasHidden: number, biasOutput: number, activation: number, float32: number, history: number, every: number): number;
  mathInPlace(op: number, values: number, count: number): void;
}

/** One cell replayed step by step: rows of [k, loss[k], w1 … w8] (TRACE_ROW_LENGTH each) and the cell's outputs. */
export interface CellTrace {
  outputs: CellOutputs;
  /** rows × TRACE_ROW_LENGTH numbers; k = 0, every, 2·every, …, and the last step, or up to the divergence (always kept). */
  rows: Float64Array;
}

/** Instance of the kernel module; one per thread (its memory is the thread's own). */
export class WasmKernel {
  private constructor(private readonly exports: KernelExports) {}

  /** Instantiates a compiled wasm/build/train.wasm. */
  static async create(module: WebAssembly.Module): Promise<WasmKernel> {
    const instance = await WebAssembly.instantiate(module, { env: { abort: () => { throw new Error('the WebAssembly kernel aborted'); } } });
    return new WasmKernel(instance.exports as unknown as KernelExports);
  }

  /** Grows memory so that `bytes` fit from the heap base on; returns the heap base. */
  private reserve(bytes: number): number {
    const { memory } = this.exports;
    const base = (this.exports.heapBase() + 15) & ~15;
    const missing = base + bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    return base;
  }

  /**
   * Trains `count` cells: `fill` writes their set-up records (CELL_SETUP_LENGTH numbers each, CELL_SETUP_FIELDS order)
   * into the array it is given; returns their outputs, entry j for record j.
   */
  train(config: TrainConfig, precision: ReferencePrecision, count: number, fill: (setups: Float64Array) => void): SweepOutputs {
    const out = outputLayout(count);
    const base = this.reserve(setupBytes(count) + out.bytes);
    const { memory } = this.exports;
    fill(new Float64Array(memory.buffer, base, setupBytes(count) / 8));
    const at = base + setupBytes(count);
    this.exports.train(base, count, at, config.steps, config.threshold, config.biases[0], config.biases[1], ACTIVATIONS.indexOf(config.activation), precision === 'f32' ? 1 : 0);
    const outputs = allocateOutputs(0);
    outputs.finalLoss = new Float64Array(memory.buffer, at + out.finalLoss, count).slice();
    outputs.minLoss = new Float64Array(memory.buffer, at + out.minLoss, count).slice();
    outputs.stepsToThreshold = new Int32Array(memory.buffer, at + out.stepsToThreshold, count).slice();
    outputs.divergedAt = new Int32Array(memory.buffer, at + out.divergedAt, count).slice();
    return outputs;
  }

  /** Replays one cell from its set-up record, keeping k = 0, every, 2·every, …, the last k and a divergence. */
  trace(config: TrainConfig, precision: ReferencePrecision, setup: ArrayLike<number>, every = 1): CellTrace {
    const maxRows = Math.ceil((config.steps + 1) / every) + 1;
    const out = outputLayout(1);
    const base = this.reserve(setupBytes(1) + out.bytes + 8 * TRACE_ROW_LENGTH * maxRows);
    const { memory } = this.exports;
    new Float64Array(memory.buffer, base, setupBytes(1) / 8).set(setup);
    const at = base + setupBytes(1), history = at + out.bytes;
    const rows = this.exports.trace(base, at, config.steps, config.threshold, config.biases[0], config.biases[1], ACTIVATIONS.indexOf(config.activation), precision === 'f32' ? 1 : 0, history, every);
    const f64 = new Float64Array(memory.buffer), i32 = new Int32Array(memory.buffer);
    return {
      outputs: { finalLoss: f64[at / 8], minLoss: f64[(at + out.minLoss) / 8], stepsToThreshold: i32[(at + out.stepsToThreshold) / 4], divergedAt: i32[(at + out.divergedAt) / 4] },
      rows: new Float64Array(memory.buffer, history, rows * TRACE_ROW_LENGTH).slice(),
    };
  }

  /** For tests: the kernel's exp (op 'exp'), two-lane exp ('expV'), expm1 or tanh applied to `values`. */
  math(op: 'exp' | 'expV' | 'expm1' | 'tanh', values: Float64Array): Float64Array {
    const base = this.reserve(values.byteLength);
    const view = new Float64Array(this.exports.memory.buffer, base, values.length);
    view.set(values);
    this.exports.mathInPlace(['exp', 'expV', 'expm1', 'tanh'].indexOf(op), base, values.length);
    return view.slice();
  }
}
