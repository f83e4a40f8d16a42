/**
 * Packing between the core's float64 cell set-ups and the shader's buffers (src/gpu/layout.ts): pure functions,
 * no GPU, so they are tested in Node.
 */
import { CELL_SETUP_LENGTH, SETUP } from '../core/network';
import { ROUND } from '../core/network';
import { OUTPUTS, type OutputName, type SweepOutputs } from '../core/outputs';
import { finishScore } from '../core/reference';
import { CELL_PARAMS, CELL_STATE, CHUNK } from './layout';

/** A per-cell record of running outputs (CellState, MlpBook): its size and its fields' offsets, in bytes. */
export interface OutputsLayout { size: number; offsets: { [field: string]: number; loss: number; firstLoss: number; divergedAt: number; scoreSum: number; scoreRecip: number; scoreTail: number } }

const wordsOf = <K extends string>(offsets: Record<K, number>) => Object.fromEntries(Object.entries(offsets).map(([k, v]) => [k, (v as number) / 4])) as Record<K, number>;
const STATE_WORDS = CELL_STATE.size / 4, PARAM_WORDS = CELL_PARAMS.size / 4;
const S = wordsOf(CELL_STATE.offsets);
const P = wordsOf(CELL_PARAMS.offsets);

/**
 * Packs `count` cell set-ups (CELL_SETUP_LENGTH float64 each) into the shader's initial `state` and `params`
 * buffers (CELL_STATE.size and CELL_PARAMS.size bytes per cell), rounding to float32. CellParams' fields are named as
 * the set-up fields they copy; the state starts at the set-up's weights, every output at its OUTPUTS row's start or
 * noLoss (the loss NaN, minLoss +inf, peakLoss −inf, tailLossRatio 0, counts −1), firstLoss NaN and zero velocities.
 */
export function packCells(setups: Float64Array, count: number): { state: ArrayBuffer; params: ArrayBuffer } {
  const state = new ArrayBuffer(count * CELL_STATE.size), params = new ArrayBuffer(count * CELL_PARAMS.size);
  const sf = new Float32Array(state), si = new Int32Array(state), pf = new Float32Array(params);
  const paramFields = Object.keys(P) as Array<keyof typeof P>;
  for (let c = 0; c < count; c++) {
    const src = c * CELL_SETUP_LENGTH, so = c * STATE_WORDS, po = c * PARAM_WORDS;
    for (let j = 0; j < 8; j++) sf[so + S.w1 + j] = setups[src + SETUP.w1 + j];
    startOutputs(sf, si, so, CELL_STATE);
    for (const field of paramFields) pf[po + P[field]] = setups[src + SETUP[field]];
  }
  return { state, params };
}

/**
 * Starts the running outputs of one cell's record at word `so`: each output's field at its row's start, else noLoss
 * (a running minimum at +inf, a maximum at −inf, a sum at 0, counts at −1), firstLoss NaN, the score's sums 0.
 */
export function startOutputs(sf: Float32Array, si: Int32Array, so: number, layout: OutputsLayout): void {
  const W = wordsOf(layout.offsets);
  for (const row of OUTPUTS) (row.type === 'f64' ? sf : si)[so + stateField(W, row.name)] = 'start' in row ? row.start : row.noLoss;
  sf[so + W.firstLoss] = NaN;
  sf[so + W.scoreRecip] = sf[so + W.scoreTail] = 0;
}

/** The record's word of an output: the field of its name, the last loss for finalLoss, Σ v for the score. */
const stateField = (W: Record<string, number>, name: OutputName) => (name === 'finalLoss' ? W.loss : name === 'score' ? W.scoreSum : W[name]);

/**
 * Copies the outputs of `count` cells from a read-back `state` buffer (CellState records, or `layout`'s) into `outputs`: at cells first … first + count − 1,
 * or, given `order`, at cells order[first] … order[first + count − 1]. Every OUTPUTS row is the CellState field of its
 * name (f32 or i32 by the row's type), finalLoss the last loss; rows of the run's end (ofEnd) are NaN for a diverged cell;
 * the score is finished from its three sums (finishScore, in float32 as the kernel would) for a run of `steps` updates.
 */
export function unpackOutputs(state: ArrayBuffer, count: number, outputs: SweepOutputs, first: number, steps: number, order?: ArrayLike<number>, layout: OutputsLayout = CELL_STATE): void {
  const sf = new Float32Array(state), si = new Int32Array(state), W = wordsOf(layout.offsets), words = layout.size / 4;
  for (let c = 0; c < count; c++) {
    const so = c * words, i = order ? order[first + c] : first + c;
    const diverged = si[so + W.divergedAt] >= 0;
    for (const row of OUTPUTS) {
      outputs[row.name][i] = diverged && 'ofEnd' in row ? NaN : row.type === 'f64' ? sf[so + stateField(W, row.name)] : si[so + stateField(W, row.name)];
    }
    outputs.score[i] = finishScore(sf[so + W.scoreSum], sf[so + W.scoreRecip], sf[so + W.scoreTail], si[so + W.divergedAt], sf[so + W.firstLoss], steps, ROUND.float32);
  }
}

/** The fields of one dispatch's `Chunk` uniform. */
export interface ChunkUniform {
  cellCount: number; firstStep: number; endStep: number; totalSteps: number;
  threshold: number; biasHidden: number; biasOutput: number;
}

/** Packs a `Chunk` uniform (CHUNK.size bytes). */
export function packChunk(chunk: ChunkUniform): ArrayBuffer {
  const buffer = new ArrayBuffer(CHUNK.size), view = new DataView(buffer);
  const o = CHUNK.offsets;
  view.setUint32(o.cellCount, chunk.cellCount, true);
  view.setUint32(o.firstStep, chunk.firstStep, true);
  view.setUint32(o.endStep, chunk.endStep, true);
  view.setUint32(o.totalSteps, chunk.totalSteps, true);
  view.setFloat32(o.threshold, chunk.threshold, true);
  view.setFloat32(o.biasHidden, chunk.biasHidden, true);
  view.setFloat32(o.biasOutput, chunk.biasOutput, true);
  return buffer;
}
