/**
 * Byte layouts of the buffers of shaders/train.wgsl. The WGSL structs are the source of truth; these mirror them
 * field for field and test/gpu/layout.test.ts checks the two agree by reflecting the shader.
 */

/** `struct Chunk` (uniform): 7 four-byte fields, 28 bytes. Offsets in bytes. */
export const CHUNK = {
  size: 28,
  offsets: { cellCount: 0, firstStep: 4, endStep: 8, totalSteps: 12, threshold: 16, biasHidden: 20, biasOutput: 24 },
} as const;

/** `struct CellParams` (one per cell): seven f32 named as the set-up record's fields, 28 bytes. Offsets in bytes. */
export const CELL_PARAMS = {
  size: 28,
  offsets: { lrHidden: 0, lrOutput: 4, i1: 8, i2: 12, t1: 16, t2: 20, momentum: 24 },
} as const;

/**
 * `struct CellState` (one per cell): w1..w8, loss, minLoss, peakLoss (f32), stepsToThreshold, divergedAt (i32),
 * firstLoss, tailLossRatio (f32), settledAt (i32), v1..v8, scoreSum, scoreRecip, scoreTail (f32); 108 bytes. Offsets in bytes.
 */
export const CELL_STATE = {
  size: 108,
  offsets: {
    w1: 0, w2: 4, w3: 8, w4: 12, w5: 16, w6: 20, w7: 24, w8: 28, loss: 32, minLoss: 36, peakLoss: 40, stepsToThreshold: 44,
    divergedAt: 48, firstLoss: 52, tailLossRatio: 56, settledAt: 60, v1: 64, v2: 68, v3: 72, v4: 76, v5: 80, v6: 84, v7: 88, v8: 92,
    scoreSum: 96, scoreRecip: 100, scoreTail: 104,
  },
} as const;

/** Activation → the ACTIVATION override constant of the shader. */
export const ACTIVATION_CODES = { sigmoid: 0, tanh: 1, relu: 2, identity: 3 } as const;
