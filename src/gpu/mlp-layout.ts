/**
 * Byte layouts of the buffers of shaders/mlp.wgsl (the MLP trainer) and how its workgroups are shaped. The WGSL
 * structs are the source of truth; these mirror them field for field and test/gpu/mlp-layout.test.ts checks the two
 * agree by reflecting the shader.
 */

/** `struct MlpChunk` (uniform): 12 four-byte fields, 48 bytes. Offsets in bytes. */
export const MLP_CHUNK = {
  size: 48,
  offsets: {
    cellCount: 0, firstStep: 4, endStep: 8, totalSteps: 12, threshold: 16, points: 20, batchSize: 24, hiddenScale: 28,
    outputScale: 32, lossDivisor: 36, gradScale: 40, pad: 44,
  },
} as const;

/** `struct MlpParams` (one per cell): lrHidden, lrOutput, initOffset (f32), 12 bytes. Offsets in bytes. */
export const MLP_PARAMS = { size: 12, offsets: { lrHidden: 0, lrOutput: 4, initOffset: 8 } } as const;

/**
 * `struct MlpBook` (one per cell): the running outputs, named as the OUTPUTS rows and the course kernel's CellState
 * fields (loss = the last loss), f32 but the three i32 step counts; 44 bytes. Offsets in bytes.
 */
export const MLP_BOOK = {
  size: 44,
  offsets: {
    loss: 0, minLoss: 4, peakLoss: 8, stepsToThreshold: 12, divergedAt: 16, firstLoss: 20, tailLossRatio: 24, settledAt: 28,
    scoreSum: 32, scoreRecip: 36, scoreTail: 40,
  },
} as const;

/** The largest tile of points a workgroup stages at once. */
export const MAX_TILE_POINTS = 32;

/** A workgroup's shape for one network size: G networks of ceil(n / 4) lanes each, T points per tile, its workgroup memory. */
export interface MlpWorkgroup { networks: number; lanesPerNetwork: number; tilePoints: number; invocations: number; sharedBytes: number }

/** Thrown when a network's sizes need more workgroup memory or invocations than the device allows. */
export class MlpLimitError extends RangeError {
  override name = 'MlpLimitError';
}

/** Bytes of workgroup memory the shader declares for G networks of sizes d, n, o and tiles of T points (inputs and hidden units in groups of four). */
export function mlpSharedBytes(d: number, n: number, o: number, networks: number, tilePoints: number): number {
  const T = tilePoints, G = networks, D4 = Math.ceil(d / 4), N4 = Math.ceil(n / 4);
  return 4 * (T * 4 * D4 + T * o + G * T * 4 * N4 + G * T * o + G * o * 4 * N4 + G * N4);
}

/** Points per tile below which fewer networks per workgroup (and longer tiles) are preferred: each tile costs 4 barriers. */
const MIN_TILE_POINTS = 16;

/**
 * The workgroup for sizes d, n, o on a device: ceil(n / 4) lanes per network, as many networks as fill 64 lanes, halved
 * while a tile would hold fewer than MIN_TILE_POINTS points (or all of them); tiles as long as fit (≤ MAX_TILE_POINTS).
 * Throws MlpLimitError naming the sizes when not even one network with one point per tile fits.
 */
export function mlpWorkgroup(d: number, n: number, o: number, points: number, limits: Pick<GPUSupportedLimits, 'maxComputeWorkgroupStorageSize' | 'maxComputeInvocationsPerWorkgroup'>): MlpWorkgroup {
  const lanes = Math.ceil(n / 4), bytes = limits.maxComputeWorkgroupStorageSize;
  const longest = (g: number) => {
    let t = Math.min(MAX_TILE_POINTS, Math.max(1, points));
    while (t > 0 && mlpSharedBytes(d, n, o, g, t) > bytes) t--;
    return t;
  };
  if (longest(1) === 0) {
    throw new MlpLimitError(`a ${d}-${n}-${o} network needs ${mlpSharedBytes(d, n, o, 1, 1)} bytes of GPU workgroup memory; this device has ${bytes} (width × outputs is the largest part). Use the CPU engine (--backend cpu).`);
  }
  let networks = Math.max(1, Math.floor(Math.min(64, limits.maxComputeInvocationsPerWorkgroup) / lanes));
  while (networks > 1 && longest(networks) < Math.min(MIN_TILE_POINTS, points)) networks = Math.floor(networks / 2);
  const tilePoints = longest(networks);
  return { networks, lanesPerNetwork: lanes, tilePoints, invocations: networks * lanes, sharedBytes: mlpSharedBytes(d, n, o, networks, tilePoints) };
}
