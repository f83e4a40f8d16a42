/**
 * The CPU training kernel (wasm/train.ts compiled to WebAssembly) behind a typed surface: train a block of cells, or
 * trace one. Its outputs have the same bits as the float64 reference (src/core/reference.ts), or in float32 mode as
 * the float32-faithful reference. Runs wherever WebAssembly with SIMD does: worker threads in Node, web workers.
 */
import { ACTIVATIONS } from '../core/network';
import { OUTPUT_NAMES, OUTPUTS, type CellOutputs, type OutputName, type SweepOutputs } from '../core/outputs';
import type { Arithmetic } from '../core/arithmetic';
import type { TrainConfig } from '../core/reference';
import { MLP_ACTIVATIONS } from '../core/spec';
import type { MlpProblem } from '../mlp/problem';
import { outputLayout, setupBytes, TRACE_ROW_LENGTH } from './layout';
import { mlpRegions } from './mlp-layout';

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  train(setups: number, count: number, outputs: number, steps: number, threshold: number, biasHidden: number, biasOutput: number, activation: number, float32: number, momentum: number): void;
  trace(setup: number, outputs: number, steps: number, threshold: number, biasHidden: number, biasOutput: number, activation: number, float32: number, history: number, every: number): number;
  mathInPlace(op: number, values: number, count: number): void;
  trainMlp(setups: number, weights: number, count: number, x: number, y: number, batches: number, outputs: number, work: number, d: number, n: number, o: number, P: number, m: number, minibatch: number, activation: number, hiddenScale: number, outputScale: number, steps: number, threshold: number, everyStep: number): void;
  MLP_SETUP_LENGTH: WebAssembly.Global;
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
   * into the array it is given; returns their outputs, entry j for record j. `momentum`: some cell's momentum is not 0
   * (without, the kernel runs its loop without velocities).
   */
  train(config: TrainConfig, arithmetic: Arithmetic, count: number, fill: (setups: Float64Array) => void, momentum: boolean): SweepOutputs {
    const out = outputLayout(count);
    const base = this.reserve(setupBytes(count) + out.bytes);
    const { memory } = this.exports;
    fill(new Float64Array(memory.buffer, base, setupBytes(count) / 8));
    const at = base + setupBytes(count);
    this.exports.train(base, count, at, config.steps, config.threshold, config.biases[0], config.biases[1], ACTIVATIONS.indexOf(config.activation), arithmetic === 'float32' ? 1 : 0, momentum ? 1 : 0);
    return this.outputsAt(at, count, out.offsets);
  }

  /**
   * Trains `count` MLP cells of `problem` in float64 (wasm/mlp.ts, the bits of src/mlp/reference.ts trainMlpCell):
   * `fill` writes their set-up records (MLP_SETUP_LENGTH numbers each) and starting weights (weightCount each, as
   * startingWeights gives them). Returns their outputs, entry j for record j.
   */
  trainMlp(problem: MlpProblem, count: number, fill: (setups: Float64Array, weights: Float64Array) => void): SweepOutputs {
    const setupLength = this.exports.MLP_SETUP_LENGTH.value as number;
    const r = mlpRegions(problem, count, setupLength), base = this.reserve(r.bytes);
    const { buffer } = this.exports.memory;
    fill(new Float64Array(buffer, base + r.setups, count * setupLength), new Float64Array(buffer, base + r.weights, count * problem.weightCount));
    new Float64Array(buffer, base + r.x, problem.x.length).set(problem.x);
    new Float64Array(buffer, base + r.y, problem.y.length).set(problem.y);
    if (problem.batches) new Int32Array(buffer, base + r.batches, problem.batches.length).set(problem.batches);
    const { d, n, o, points, m } = problem;
    this.exports.trainMlp(base + r.setups, base + r.weights, count, base + r.x, base + r.y, base + r.batches, base + r.outputs, base + r.work, d, n, o, points, m,
      problem.batches ? 1 : 0, MLP_ACTIVATIONS.indexOf(problem.activation), problem.hiddenScale, problem.outputScale, problem.steps, problem.threshold, problem.offsetEveryStep ? 1 : 0);
    return this.outputsAt(base + r.outputs, count, outputLayout(count).offsets);
  }

  /** Copies of the output arrays of a block of `count` cells at `at`. */
  private outputsAt(at: number, count: number, offsets: Record<OutputName, number>): SweepOutputs {
    const { buffer } = this.exports.memory;
    return Object.fromEntries(OUTPUTS.map((o) => [o.name, (o.type === 'f64' ? new Float64Array(buffer, at + offsets[o.name], count) : new Int32Array(buffer, at + offsets[o.name], count)).slice()])) as unknown as SweepOutputs;
  }

  /** Replays one cell from its set-up record, keeping k = 0, every, 2·every, …, the last k and a divergence. */
  trace(config: TrainConfig, arithmetic: Arithmetic, setup: ArrayLike<number>, every = 1): CellTrace {
    const maxRows = Math.ceil((config.steps + 1) / every) + 1;
    const out = outputLayout(1);
    const base = this.reserve(setupBytes(1) + out.bytes + 8 * TRACE_ROW_LENGTH * maxRows);
    const { memory } = this.exports;
    new Float64Array(memory.buffer, base, setupBytes(1) / 8).set(setup);
    const at = base + setupBytes(1), history = at + out.bytes;
    const rows = this.exports.trace(base, at, config.steps, config.threshold, config.biases[0], config.biases[1], ACTIVATIONS.indexOf(config.activation), arithmetic === 'float32' ? 1 : 0, history, every);
    const cell = this.outputsAt(at, 1, out.offsets);
    return {
      outputs: Object.fromEntries(OUTPUT_NAMES.map((name) => [name, cell[name][0]])) as CellOutputs,
      rows: new Float64Array(memory.buffer, history, rows * TRACE_ROW_LENGTH).slice(),
    };
  }

  /** For tests: the kernel's exp (op 'exp'), two-lane exp ('expV'), expm1, tanh or two-lane tanh ('tanhV') applied to `values`. */
  math(op: 'exp' | 'expV' | 'expm1' | 'tanh' | 'tanhV', values: Float64Array): Float64Array {
    const base = this.reserve(values.byteLength);
    const view = new Float64Array(this.exports.memory.buffer, base, values.length);
    view.set(values);
    this.exports.mathInPlace(['exp', 'expV', 'expm1', 'tanh', 'tanhV'].indexOf(op), base, values.length);
    return view.slice();
  }
}
