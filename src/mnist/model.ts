/**
 * The MNIST model as a table of layers, and everything derived from it: shapes, parameter count, receptive fields,
 * and the layout of the flat parameter and statistics arrays shared by the float64 reference, the float32 CPU engine
 * and the WGSL kernels.
 *
 * Tensors are NCHW, float; a batch of n images of c channels of h × w pixels is n·c·h·w numbers, row-major.
 */

/** One layer of the model. 3×3 convolutions are "valid" (no padding, stride 1) and have no bias (batch norm follows). */
export type LayerSpec =
  | { kind: 'conv3'; out: number }
  | { kind: 'conv1'; out: number }
  | { kind: 'batchnorm' }
  | { kind: 'relu' }
  | { kind: 'dropout' }
  | { kind: 'maxpool' }
  | { kind: 'gap' }
  | { kind: 'linear'; out: number };

/** Every layer kind, in the order of LayerSpec. */
export const LAYER_KINDS: readonly LayerSpec['kind'][] = ['conv3', 'conv1', 'batchnorm', 'relu', 'dropout', 'maxpool', 'gap', 'linear'];

/** Channels, height and width of one image's tensor between layers. */
export interface Shape { c: number; h: number; w: number }

/** Numbers in a tensor of this shape (per image). */
export const tensorSize = (s: Shape): number => s.c * s.h * s.w;

/** The model's input: one 28 × 28 grey image. */
export const INPUT_SHAPE: Shape = { c: 1, h: 28, w: 28 };
export const CLASSES = 10;

const block = (out: number): LayerSpec[] => [{ kind: 'conv3', out }, { kind: 'batchnorm' }, { kind: 'relu' }, { kind: 'dropout' }];

/**
 * The default model: the course's recipe (3×3 convolutions with batch norm, ReLU and dropout after each, one max-pool
 * with a 1×1 transition, global average pooling, a linear classifier), sized for cost: the one layer at full
 * resolution has 16 channels, and the capacity sits after the pool where pixels are cheap.
 */
export const DEFAULT_MODEL: readonly LayerSpec[] = [
  ...block(10), // 28 → 26
  ...block(16), // 26 → 24
  { kind: 'maxpool' }, // 24 → 12
  { kind: 'conv1', out: 10 },
  ...block(16), // 12 → 10
  ...block(16), // 10 → 8
  ...block(32), // 8 → 6
  { kind: 'gap' },
  { kind: 'linear', out: CLASSES },
];

/** A layer placed in the model: its input and output shapes and its slices of the flat arrays. */
export interface PlacedLayer {
  spec: LayerSpec;
  input: Shape;
  output: Shape;
  /** Offset and length of its parameters in the flat parameter array (conv: [out][in][k][k]; batch norm: γ[c] then
   *  β[c]; linear: W[out][in] then b[out]). Length 0 for layers without parameters. */
  paramOffset: number;
  paramCount: number;
  /** Offset and length of its running statistics (batch norm: mean[c] then variance[c]) in the statistics array. */
  statOffset: number;
  statCount: number;
  /** Receptive field of one output pixel in input pixels (side of the square), and the jump between output pixels. */
  receptiveField: number;
  jump: number;
}

/** The model with its layers placed; `paramCount` and `statCount` are the flat arrays' lengths. */
export interface Model {
  layers: PlacedLayer[];
  paramCount: number;
  statCount: number;
  /** Multiply-accumulates of one image's forward pass. */
  forwardMacs: number;
}

function outputShape(spec: LayerSpec, s: Shape): Shape {
  switch (spec.kind) {
    case 'conv3': return { c: spec.out, h: s.h - 2, w: s.w - 2 };
    case 'conv1': return { c: spec.out, h: s.h, w: s.w };
    case 'maxpool': return { c: s.c, h: Math.floor(s.h / 2), w: Math.floor(s.w / 2) };
    case 'gap': return { c: s.c, h: 1, w: 1 };
    case 'linear': return { c: spec.out, h: 1, w: 1 };
    default: return s;
  }
}

function paramsOf(spec: LayerSpec, s: Shape): number {
  switch (spec.kind) {
    case 'conv3': return spec.out * s.c * 9;
    case 'conv1': return spec.out * s.c;
    case 'batchnorm': return 2 * s.c;
    case 'linear': return spec.out * s.c * s.h * s.w + spec.out;
    default: return 0;
  }
}

/**
 * Places every layer of `specs`; throws a message naming the layer when one is not a known kind, has a channel count
 * that is not a whole number from 1, or does not fit its input (a plane too small), or when the model does not end
 * in 10 class scores.
 */
export function placeModel(specs: readonly LayerSpec[]): Model {
  const layers: PlacedLayer[] = [];
  let shape = INPUT_SHAPE, paramCount = 0, statCount = 0, rf = 1, jump = 1, forwardMacs = 0;
  for (const spec of specs) {
    if (!LAYER_KINDS.includes(spec?.kind)) throw new Error(`layer ${layers.length + 1}: "${spec?.kind}" is not a layer kind (${LAYER_KINDS.join(', ')})`);
    if ('out' in spec && !(Number.isInteger(spec.out) && spec.out >= 1)) throw new Error(`layer ${layers.length + 1} (${spec.kind}): out = ${spec.out} is not a whole number of channels from 1`);
    const output = outputShape(spec, shape);
    if (output.h < 1 || output.w < 1) throw new Error(`layer ${layers.length + 1} (${spec.kind}) gets a ${shape.h}×${shape.w} plane, too small for it`);
    const count = paramsOf(spec, shape);
    const stats = spec.kind === 'batchnorm' ? 2 * shape.c : 0;
    if (spec.kind === 'conv3') rf += 2 * jump;
    if (spec.kind === 'maxpool') { rf += jump; jump *= 2; }
    if (spec.kind === 'gap') rf += (shape.h - 1) * jump;
    if (spec.kind === 'conv3') forwardMacs += count * output.h * output.w;
    if (spec.kind === 'conv1') forwardMacs += count * output.h * output.w;
    if (spec.kind === 'linear') forwardMacs += count - spec.out;
    layers.push({ spec, input: shape, output, paramOffset: paramCount, paramCount: count, statOffset: statCount, statCount: stats, receptiveField: rf, jump });
    paramCount += count;
    statCount += stats;
    shape = output;
  }
  if (shape.c !== CLASSES || shape.h !== 1 || shape.w !== 1) throw new Error(`the model ends in ${shape.c}×${shape.h}×${shape.w}; it must end in ${CLASSES} class scores`);
  return { layers, paramCount, statCount, forwardMacs };
}

/** A one-line description of a layer for tables: "conv3 1→10 28×28→26×26 (90 parameters, RF 3)". */
export function describeLayer(layer: PlacedLayer): string {
  const { spec, input: i, output: o } = layer;
  const channels = i.c === o.c ? `${o.c}` : `${i.c}→${o.c}`;
  return `${spec.kind} ${channels} ${i.h}×${i.w}→${o.h}×${o.w}${layer.paramCount ? ` (${layer.paramCount} parameters)` : ''}, RF ${layer.receptiveField}`;
}
