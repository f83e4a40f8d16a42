/**
 * The uniform and storage records of the MNIST kernels (shaders/mnist/common.wgsl): the WGSL structs are the source
 * of truth, these tables mirror them field for field (every field 4 bytes, in order), and
 * test/gpu/mnist-layout.test.ts checks the two agree by reflecting the shader.
 */

/** `struct Layer` (uniform, one per dispatch): 16 u32. */
export const LAYER_FIELDS = ['copies', 'batch', 'ci', 'co', 'h', 'w', 'ho', 'wo', 'param_offset', 'param_stride', 'stat_offset', 'stat_stride', 'index', 'count', 'tiled_offset', 'tiled_stride'] as const;
/** `struct Step` (uniform, written before every pass): 4 u32. */
export const STEP_FIELDS = ['n', 'mask_step', 'train', 'first'] as const;
/** `struct Copy` (storage, one per copy, written before every step): 4 f32 then 4 u32. */
export const COPY_FIELDS = ['lr', 'momentum', 'weight_decay', 'keep_scale', 'mask_seed', 'drop_below', 'pad0', 'pad1'] as const;
export const COPY_FLOAT_FIELDS = 4;

export type LayerRecord = Partial<Record<(typeof LAYER_FIELDS)[number], number>>;

/** The bytes of a Layer record (absent fields 0). */
export function layerBytes(record: LayerRecord): Uint32Array<ArrayBuffer> {
  return Uint32Array.from(LAYER_FIELDS, (f) => record[f] ?? 0);
}

/** Hash values below this drop an element: ceil(rate · 2³² − 0.5), so that the integer test equals
 *  uniform01(…) ≥ rate of src/core/random.ts exactly. */
export function dropBelow(rate: number): number {
  return Math.min(2 ** 32 - 1, Math.max(0, Math.ceil(rate * 2 ** 32 - 0.5)));
}

/** Channels per vec4 of the tiled convolution weights (shaders/mnist/conv-tiles.wgsl). */
export const CONV_TILE = 4;

/**
 * vec4s of one convolution's tiled weights per copy (layout in shaders/mnist/conv-tiles.wgsl): the forward part
 * (ci·k²·⌈co/4⌉, output channels in fours) then the backward part (co·k²·⌈ci/4⌉, input channels in fours).
 */
export function convTileSizes(ci: number, co: number, ksize: number): { forward: number; backward: number } {
  const taps = ksize * ksize;
  return { forward: ci * taps * Math.ceil(co / CONV_TILE), backward: co * taps * Math.ceil(ci / CONV_TILE) };
}
