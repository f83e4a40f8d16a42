/**
 * Packing between an MLP sweep's cells and shaders/mlp.wgsl's buffers (src/gpu/mlp-layout.ts): pure functions, no
 * GPU, tested in Node. Weights are rounded to float32 exactly as the float32-faithful oracle rounds them
 * (startingWeights with Math.fround).
 */
import { ROUND } from '../core/network';
import { MLP_SETUP, MLP_SETUP_LENGTH, drawCache, type MlpProblem } from '../mlp/problem';
import { startingWeights } from '../mlp/reference';
import type { MlpSweepSpec } from '../core/spec';
import { MLP_BOOK, MLP_CHUNK, MLP_PARAMS } from './mlp-layout';
import { startOutputs } from './pack';

/** The fields of one dispatch's `MlpChunk` uniform that change between dispatches. */
export interface MlpChunkFields { cellCount: number; firstStep: number; endStep: number }

/** Packs an `MlpChunk` uniform (MLP_CHUNK.size bytes) for `problem`. */
export function packMlpChunk(problem: MlpProblem, fields: MlpChunkFields): ArrayBuffer {
  const buffer = new ArrayBuffer(MLP_CHUNK.size), view = new DataView(buffer), o = MLP_CHUNK.offsets;
  const u32 = { cellCount: fields.cellCount, firstStep: fields.firstStep, endStep: fields.endStep, totalSteps: problem.steps, points: problem.points, batchSize: problem.m, pad: 0 };
  const f32 = {
    threshold: problem.threshold, hiddenScale: problem.hiddenScale, outputScale: problem.outputScale,
    lossDivisor: problem.points * problem.o, gradScale: 2 / (problem.m * problem.o),
  };
  for (const [k, v] of Object.entries(u32)) view.setUint32(o[k as keyof typeof u32], v, true);
  for (const [k, v] of Object.entries(f32)) view.setFloat32(o[k as keyof typeof f32], v, true);
  return buffer;
}

/** The shared `data` buffer: x [P][d] then y [P][o], float32. */
export function packMlpData(problem: MlpProblem): Float32Array<ArrayBuffer> {
  const out = new Float32Array(problem.x.length + problem.y.length);
  out.set(problem.x);
  out.set(problem.y, problem.x.length);
  return out;
}

/** The `batches` buffer: steps × m point indices, or one placeholder word for full-batch training. */
export function packMlpBatches(problem: MlpProblem): Uint32Array<ArrayBuffer> {
  return problem.batches ? Uint32Array.from(problem.batches) : new Uint32Array(1);
}

/**
 * The `params`, `weights` and `book` buffers of `count` cells from their set-up records (MLP_SETUP_LENGTH numbers
 * each): learning rates and offset; the starting weights (draw, initScale, and the offset once unless it is re-added
 * every step); every output at its start. `drawn` gives each draw's weights (a drawCache, kept across calls).
 */
export function packMlpCells(spec: MlpSweepSpec, problem: MlpProblem, setups: Float64Array, count: number, drawn = drawCache(spec)): { params: ArrayBuffer; weights: Float32Array<ArrayBuffer>; book: ArrayBuffer } {
  const W = problem.weightCount, pw = MLP_PARAMS.size / 4, bw = MLP_BOOK.size / 4;
  const params = new Float32Array(count * pw), weights = new Float32Array(count * W), book = new ArrayBuffer(count * MLP_BOOK.size);
  const bf = new Float32Array(book), bi = new Int32Array(book);
  for (let c = 0; c < count; c++) {
    const setup = setups.subarray(c * MLP_SETUP_LENGTH, (c + 1) * MLP_SETUP_LENGTH);
    weights.set(startingWeights(problem, setup, drawn(setup[MLP_SETUP.draw]), ROUND.float32), c * W);
    params[c * pw + MLP_PARAMS.offsets.lrHidden / 4] = setup[MLP_SETUP.lrHidden];
    params[c * pw + MLP_PARAMS.offsets.lrOutput / 4] = setup[MLP_SETUP.lrOutput];
    params[c * pw + MLP_PARAMS.offsets.initOffset / 4] = setup[MLP_SETUP.initOffset];
    startOutputs(bf, bi, c * bw, MLP_BOOK);
  }
  return { params: params.buffer, weights, book };
}
