/**
 * The model's forward and backward passes over a batch, layer by layer, in one precision (the arrays' own: float64 in
 * the reference, float32 in the CPU engine) with the 3×3 convolutions supplied by a ConvKernels and the other layers
 * by a LayerKernels (the reference's loops unless given). The flat parameter
 * and statistics arrays follow the layout of model.ts (PlacedLayer.paramOffset, statOffset).
 */
import type { ConvKernels, Tensor } from './conv';
import { referenceLayers, type LayerKernels } from './layer-kernels';
import { CLASSES, INPUT_SHAPE, tensorSize, type Model, type PlacedLayer } from './model';

/** Where a network gets its arrays: plain Float64Arrays for the reference, views of a WebAssembly memory otherwise. */
export interface Arena { alloc(length: number): Tensor }
export const FLOAT64_ARENA: Arena = { alloc: (length) => new Float64Array(length) };

/** How one forward pass runs: training (batch statistics, dropout) or evaluation (running statistics, no dropout). */
export interface PassMode {
  train: boolean;
  /** Probability of zeroing an activation in every dropout layer (training only). */
  dropout: number;
  /** Dropout masks are uniform01(maskSeed, maskStep, element) ≥ dropout: the same on every engine. */
  maskSeed: number;
  maskStep: number;
}

/** The seed of layer i's dropout masks under a copy's mask seed. */
export const dropoutSeed = (maskSeed: number, layer: number): number => (maskSeed + Math.imul(0x9e3779b9, layer + 1)) >>> 0;

const size = tensorSize;

/** One network (one copy of the model) sized for batches of up to `batch` images. */
export class Network {
  readonly params: Tensor;
  readonly grads: Tensor;
  readonly stats: Tensor;
  /** batch × 28 × 28 normalized pixels: the caller fills the first n images before forward(n). */
  readonly input: Tensor;
  private readonly outs: Tensor[];
  private readonly douts: Tensor[];
  private readonly xhat: (Tensor | null)[];
  private readonly invStd: (Tensor | null)[];
  private readonly mask: (Tensor | null)[];
  /** Per dropout layer: the rate of the last pass (0: the pass copied its input). */
  private readonly rate: number[];

  constructor(readonly model: Model, readonly batch: number, arena: Arena, private readonly conv: ConvKernels, private readonly layers: LayerKernels = referenceLayers) {
    this.params = arena.alloc(model.paramCount);
    this.grads = arena.alloc(model.paramCount);
    this.stats = arena.alloc(model.statCount);
    this.input = arena.alloc(batch * size(INPUT_SHAPE));
    this.outs = model.layers.map((l) => arena.alloc(batch * size(l.output)));
    this.douts = model.layers.map((l) => arena.alloc(batch * size(l.output)));
    this.xhat = model.layers.map((l) => (l.spec.kind === 'batchnorm' ? arena.alloc(batch * size(l.output)) : null));
    this.invStd = model.layers.map((l) => (l.spec.kind === 'batchnorm' ? arena.alloc(l.output.c) : null));
    this.mask = model.layers.map((l) => (l.spec.kind === 'dropout' ? arena.alloc(batch * size(l.output)) : null));
    this.rate = model.layers.map(() => 0);
  }

  /** The class scores (logits) of the last forward pass: n × 10. */
  get logits(): Tensor { return this.outs[this.outs.length - 1]; }

  /** Runs the first n images of `input` through the model; returns the logits. */
  forward(n: number, mode: PassMode): Tensor {
    let x = this.input;
    this.model.layers.forEach((layer, i) => {
      this.forwardLayer(i, layer, x, this.outs[i], n, mode);
      x = this.outs[i];
    });
    return this.logits;
  }

  /** Mean negative log-likelihood of `labels` under the last logits; its gradient goes into the last layer's output gradient. */
  lossAndGradient(n: number, labels: ArrayLike<number>): number {
    return this.layers.nllLoss(this.logits, this.douts[this.douts.length - 1], labels, n, CLASSES);
  }

  /** Back-propagates the last layer's output gradient (set by lossAndGradient); sets `grads` (overwritten). */
  backward(n: number): void {
    this.grads.fill(0);
    const layers = this.model.layers;
    for (let i = layers.length - 1; i >= 0; i--) {
      const x = i === 0 ? this.input : this.outs[i - 1];
      const dx = i === 0 ? null : this.douts[i - 1];
      this.backwardLayer(i, layers[i], x, this.outs[i], this.douts[i], dx, n);
    }
  }

  private forwardLayer(i: number, layer: PlacedLayer, x: Tensor, y: Tensor, n: number, mode: PassMode): void {
    const { spec, input: s, output: o, paramOffset: at, paramCount } = layer;
    const K = this.layers, p = this.params.subarray(at, at + paramCount), plane = s.h * s.w, count = n * s.c * plane;
    switch (spec.kind) {
      case 'conv3': return this.conv.forward(x, p, y, n, s.c, o.c, s.h, s.w);
      case 'conv1': return K.conv1Forward(x, p, y, n, s.c, o.c, plane);
      case 'batchnorm': return K.batchNormForward(x, y, this.xhat[i]!, p, this.stats.subarray(layer.statOffset, layer.statOffset + layer.statCount), this.invStd[i]!, mode.train, n, s.c, plane);
      case 'relu': return K.reluForward(x, y, count);
      case 'dropout':
        this.rate[i] = mode.train ? mode.dropout : 0;
        if (this.rate[i] === 0) y.set(x.subarray(0, count));
        else K.dropoutForward(x, y, this.mask[i]!, mode.dropout, dropoutSeed(mode.maskSeed, i), mode.maskStep, count);
        return;
      case 'maxpool': return K.maxPoolForward(x, y, n * s.c, s.h, s.w);
      case 'gap': return K.gapForward(x, y, n * s.c, plane);
      case 'linear': return K.linearForward(x, p, y, n, size(s), o.c);
    }
  }

  private backwardLayer(i: number, layer: PlacedLayer, x: Tensor, y: Tensor, dy: Tensor, dx: Tensor | null, n: number): void {
    const { spec, input: s, output: o, paramOffset: at, paramCount } = layer;
    const K = this.layers, p = this.params.subarray(at, at + paramCount), g = this.grads.subarray(at, at + paramCount);
    const plane = s.h * s.w, count = n * s.c * plane;
    switch (spec.kind) {
      case 'conv3': return this.conv.backward(x, p, dy, dx, g, n, s.c, o.c, s.h, s.w);
      case 'conv1': return K.conv1Backward(x, p, g, dy, dx, n, s.c, o.c, plane);
      case 'batchnorm': return K.batchNormBackward(dy, this.xhat[i]!, dx, p, g, this.invStd[i]!, n, s.c, plane);
      case 'relu': if (dx) K.reluBackward(y, dy, dx, count); return;
      case 'dropout':
        if (!dx) return;
        if (this.rate[i] === 0) dx.set(dy.subarray(0, count));
        else K.dropoutBackward(dy, dx, this.mask[i]!, count);
        return;
      case 'maxpool': if (dx) K.maxPoolBackward(x, dy, dx, n * s.c, s.h, s.w); return;
      case 'gap': if (dx) K.gapBackward(dy, dx, n * s.c, plane); return;
      case 'linear': return K.linearBackward(x, p, g, dy, dx, n, size(s), o.c);
    }
  }
}
