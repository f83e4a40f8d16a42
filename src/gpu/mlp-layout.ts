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

/** A workgroup's shape for one network size: G networks of N lanes each, T points per tile, its workgroup memory. */
export interface MlpWorkgroup { networks: number; tilePoints: number; invocations: number; sharedBytes: number }

/** Thrown when a network's sizes need more workgroup memory or invocations than the device allows. */
export class MlpLimitError extends RangeError {
  override name = 'MlpLimitError';
}

/** Bytes of workgroup memory the shader declares for G networks of sizes d, n, o and tiles of T points (inputs in groups of four). */
export function mlpSharedBytes(d: number, n: number, o: number, networks: number, tilePoints: number): number {
  const T = tilePoints, G = networks;
  return 4 * (T * 4 * Math.ceil(d / 4) + T * o + G * T * n + G * T * o + G * n * o + G * n);
}

/**
 * The workgroup for sizes d, n, o on a device: as many networks as fill 64 lanes (at least one), and the largest tile
 * of points (≤ MAX_TILE_POINTS, or fewer when `points` is smaller) whose workgroup memory fits; throws MlpLimitError naming the sizes
 * when not even one network with one point per tile fits.
 */
export function mlpWorkgroup(d: number, n: number, o: number, points: number, limits: Pick<GPUSupportedLimits, 'maxComputeWorkgroupStorageSize' | 'maxComputeInvocationsPerWorkgroup'>): MlpWorkgroup {
  let networks = Math.max(1, Math.floor(64 / n));
  if (n > limits.maxComputeInvocationsPerWorkgroup) throw new MlpLimitError(`width ${n} needs ${n} GPU invocations per workgroup; this device allows ${limits.maxComputeInvocationsPerWorkgroup}. Use the CPU engine (--backend cpu).`);
  const fits = (g: number, t: number) => mlpSharedBytes(d, n, o, g, t) <= limits.maxComputeWorkgroupStorageSize;
  while (networks > 1 && !fits(networks, 1)) networks--;
  if (!fits(networks, 1)) {
    throw new MlpLimitError(`a ${d}-${n}-${o} network needs ${mlpSharedBytes(d, n, o, 1, 1)} bytes of GPU workgroup memory; this device has ${limits.maxComputeWorkgroupStorageSize} (width × outputs is the largest part). Use the CPU engine (--backend cpu).`);
  }
  let tilePoints = Math.min(MAX_TILE_POINTS, Math.max(1, points));
  while (!fits(networks, tilePoints)) tilePoints--;
  return { networks, tilePoints, invocations: networks * n, sharedBytes: mlpSharedBytes(d, n, o, networks, tilePoints) };
}
