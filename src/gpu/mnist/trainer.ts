/**
 * K copies of the MNIST model trained at once on one WebGPU device by the kernels of shaders/mnist/: every copy sees
 * the same mini-batch (uploaded once), each has its own learning rate, momentum, weight decay, dropout and seed.
 * Host side: the order of the dispatches (forward, loss, backward, update), the buffers and their bind groups.
 * Buffer layouts: shaders/mnist/common.wgsl.
 */
import { describeLoss, DeviceLostError, type GpuContext } from '../device';
import { compileShader } from '../pipeline';
import { CLASSES, INPUT_SHAPE, tensorSize, type Model, type PlacedLayer } from '../../mnist/model';
import type { CopySettings } from '../../mnist/training';
import { bufferUnused, layerRoles, type LayerRole } from './fusion';
import { convTileSizes, COPY_FIELDS, COPY_FLOAT_FIELDS, dropBelow, layerBytes, STEP_FIELDS, type LayerRecord } from './layout';

/** The MNIST kernels: shaders/mnist/<name>.wgsl, the one list of them (the page bundles, Node reads, the trainer binds these). */
export const MNIST_SHADER_FILES = ['common', 'conv-tiles', 'conv', 'conv-backward', 'batchnorm', 'block', 'pointwise', 'pool', 'head', 'sgd'] as const;
/** The WGSL sources, by file name without extension. */
export type MnistShaders = Record<(typeof MNIST_SHADER_FILES)[number], string>;

/** Binding kinds of each shader module, in binding order (u: uniform, r: read-only storage, w: read-write storage). */
const BINDINGS: Record<Exclude<keyof MnistShaders, 'common'>, string> = {
  'conv-tiles': 'urw', conv: 'uurrw', 'conv-backward': 'uurrrw', batchnorm: 'uurrrwwwww', block: 'uurrrrrww', pointwise: 'uurrrw', pool: 'uurww', head: 'uurrrrwwww', sgd: 'urrww',
};

const WORKGROUP = 64;
const MAX_GROUPS = 65535;
const size = tensorSize;
/** Register tiles of shaders/mnist/conv.wgsl: TC channels × TP adjacent pixels of a row per invocation. */
const CONV_TC = 4, CONV_TP = 4;
/** Tiles of `channels` channels of rows `width` pixels wide: ⌈channels/TC⌉ · ⌈width/TP⌉ per row. */
const tilesOf = (channels: number, width: number) => Math.ceil(channels / CONV_TC) * Math.ceil(width / CONV_TP);

/** One compute dispatch of a step; `label`: "<file>.<entry> layer <i>" for per-kernel timings. */
interface Dispatch { pipeline: GPUComputePipeline; bindGroup: GPUBindGroup; groups: number; label: string }

/** One layer's buffers: its output and the gradient of its output, [K][batch][c][h][w]. */
interface LayerBuffers { out: GPUBuffer; dout: GPUBuffer; extra?: GPUBuffer; xhat?: GPUBuffer }

export class MnistGpuTrainer {
  private readonly device: GPUDevice;
  readonly params: GPUBuffer;
  readonly grads: GPUBuffer;
  private readonly velocity: GPUBuffer;
  /** The convolutions' weights in fours of channels, [K][tiledStride] vec4 (shaders/mnist/conv-tiles.wgsl). */
  private readonly tiled: GPUBuffer;
  /** Each layer's first vec4 in a copy's tiled weights (convolutions only), and vec4s per copy. */
  private readonly tiledOffsets: number[] = [];
  private readonly tiledStride: number;
  private readonly stats: GPUBuffer;
  private readonly input: GPUBuffer;
  private readonly labels: GPUBuffer;
  private readonly copiesBuffer: GPUBuffer;
  private readonly stepBuffer: GPUBuffer;
  private readonly tally: GPUBuffer;
  private readonly predictions: GPUBuffer;
  private readonly layerBuffers: LayerBuffers[];
  /** How each layer runs (src/gpu/mnist/fusion.ts). */
  private readonly roles: LayerRole[];
  private readonly forwardPasses: Dispatch[] = [];
  private readonly lossPass: Dispatch;
  private readonly backwardPasses: Dispatch[] = [];
  private readonly updatePass: Dispatch;
  private readonly modules = new Map<string, { module: GPUShaderModule; layout: GPUBindGroupLayout; pipelines: Map<string, GPUComputePipeline> }>();

  /**
   * Compiles the kernels (each shaders/mnist/<file>.wgsl after common.wgsl, errors named by file and line through
   * compileShader) and builds the trainer.
   */
  static async create(gpu: GpuContext, shaders: MnistShaders, model: Model, copies: CopySettings[], batch: number, testCount: number): Promise<MnistGpuTrainer> {
    const commonLines = shaders.common.split('\n').length;
    const files = MNIST_SHADER_FILES.filter((f): f is Exclude<typeof f, 'common'> => f !== 'common');
    const modules = await Promise.all(files.map((file) => compileShader(gpu.device, `${shaders.common}\n${shaders[file]}`, `shaders/mnist/${file}.wgsl`,
      (line) => (line <= commonLines ? `shaders/mnist/common.wgsl:${line}` : `shaders/mnist/${file}.wgsl:${line - commonLines}`))));
    return new MnistGpuTrainer(gpu, new Map(files.map((f, i) => [f, modules[i]])), model, copies, batch, testCount);
  }
  private readonly buffers: GPUBuffer[] = [];

  /**
   * @param batch images per mini-batch (the buffers' capacity); @param testCount test images evaluated per epoch.
   */
  private lost: GPUDeviceLostInfo | undefined;

  private constructor(readonly gpu: GpuContext, private readonly compiled: Map<string, GPUShaderModule>, readonly model: Model, readonly copies: CopySettings[], readonly batch: number, readonly testCount: number) {
    this.device = gpu.device;
    void gpu.lost.then((info) => { this.lost = info; });
    const K = copies.length, P = model.paramCount;
    this.params = this.storage(K * P * 4);
    this.grads = this.storage(K * P * 4);
    this.velocity = this.storage(K * P * 4);
    let tiled = 0;
    for (const l of model.layers) {
      this.tiledOffsets.push(tiled);
      if (l.spec.kind === 'conv3' || l.spec.kind === 'conv1') {
        const { forward, backward } = convTileSizes(l.input.c, l.output.c, l.spec.kind === 'conv3' ? 3 : 1);
        tiled += forward + backward;
      }
    }
    this.tiledStride = tiled;
    this.tiled = this.storage(K * Math.max(1, tiled) * 16);
    this.stats = this.storage(Math.max(1, K * model.statCount) * 4);
    this.input = this.storage(K * batch * size(INPUT_SHAPE) * 4);
    this.labels = this.storage(batch * 4);
    this.copiesBuffer = this.storage(K * COPY_FIELDS.length * 4);
    this.stepBuffer = this.buffer(STEP_FIELDS.length * 4, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.tally = this.storage(K * 4 * 4);
    this.predictions = this.storage(Math.max(1, K * testCount) * 4);
    this.roles = layerRoles(model.layers);
    const unused = (i: number, gradient: boolean) => bufferUnused(model.layers, this.roles, i, gradient);
    this.layerBuffers = model.layers.map((l, i) => ({
      out: this.storage(unused(i, false) ? 16 : K * batch * size(l.output) * 4),
      dout: this.storage(unused(i, true) ? 16 : K * batch * size(l.output) * 4),
      extra: l.spec.kind === 'maxpool' ? this.storage(K * batch * size(l.output) * 4) : l.spec.kind === 'batchnorm' ? this.storage(K * l.output.c * 16) : undefined,
      xhat: l.spec.kind === 'batchnorm' ? this.storage(K * batch * size(l.output) * 4) : undefined,
    }));
    const dummy = this.storage(16);
    model.layers.forEach((layer, i) => this.plan(layer, i, dummy));
    const last = this.layerBuffers.at(-1)!;
    this.lossPass = this.dispatch('head', 'loss', { count: K, batch, ci: testCount }, [this.stepBuffer, last.out, this.params, dummy, this.labels, last.dout, this.grads, this.tally, this.predictions], K);
    this.updatePass = this.dispatch('sgd', 'update', { count: K * P, param_stride: P }, [this.copiesBuffer, this.grads, this.params, this.velocity], K * P);
  }

  private buffer(bytes: number, usage: number): GPUBuffer {
    const b = this.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
    this.buffers.push(b);
    return b;
  }

  private storage(bytes: number): GPUBuffer {
    const limit = Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize);
    if (bytes > limit) {
      throw new Error(`${this.copies.length} copies at batch ${this.batch} need a buffer of ${(bytes / 2 ** 20).toFixed(0)} MiB; this GPU binds at most ${(limit / 2 ** 20).toFixed(0)} MiB. Train fewer copies at once or use a smaller batch`);
    }
    return this.buffer(bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
  }

  /** Throws when the device was lost or reported an error (out of memory, a validation error): results would be garbage. */
  checkHealth(): void {
    if (this.lost) throw new DeviceLostError(describeLoss(this.lost));
    const error = this.gpu.uncapturedError();
    if (error) throw new Error(`the GPU reported an error: ${error.message}. Train fewer copies at once or use a smaller batch; if it repeats, report it`);
  }

  private pipeline(file: Exclude<keyof MnistShaders, 'common'>, entry: string, constants: Record<string, number>): { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout } {
    let m = this.modules.get(file);
    if (!m) {
      const kinds = BINDINGS[file];
      const layout = this.device.createBindGroupLayout({
        entries: [...kinds].map((kind, binding) => ({
          binding, visibility: GPUShaderStage.COMPUTE,
          buffer: { type: kind === 'u' ? 'uniform' : kind === 'r' ? 'read-only-storage' : 'storage' } as GPUBufferBindingLayout,
        })),
      });
      m = { module: this.compiled.get(file)!, layout, pipelines: new Map() };
      this.modules.set(file, m);
    }
    const key = `${entry} ${JSON.stringify(constants)}`;
    let pipeline = m.pipelines.get(key);
    if (!pipeline) {
      pipeline = this.device.createComputePipeline({
        label: `${file}.${entry}${constants.KSIZE ? constants.KSIZE : ''}`,
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [m.layout] }),
        compute: { module: m.module, entryPoint: entry, constants },
      });
      m.pipelines.set(key, pipeline);
    }
    return { pipeline, layout: m.layout };
  }

  /** A dispatch of `entry` with its own Layer record; `buffers` are bindings 1… (binding 0 is the record). */
  private dispatch(file: Exclude<keyof MnistShaders, 'common'>, entry: string, record: LayerRecord, buffers: GPUBuffer[], groupsOrCount: number, perWorkgroup = false, constants: Record<string, number> = {}): Dispatch {
    const { pipeline, layout } = this.pipeline(file, entry, constants);
    const uniform = this.buffer(64, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(uniform, 0, layerBytes({ copies: this.copies.length, batch: this.batch, param_stride: this.model.paramCount, stat_stride: this.model.statCount, ...record }));
    const bindGroup = this.device.createBindGroup({ layout, entries: [uniform, ...buffers].map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const where = record.index === undefined ? '' : ` layer ${record.index}`;
    return { pipeline, bindGroup, groups: perWorkgroup ? groupsOrCount : Math.ceil(groupsOrCount / WORKGROUP), label: `${file}.${entry}${where}` };
  }

  /** The forward and backward dispatches of layer i. */
  private plan(layer: PlacedLayer, i: number, dummy: GPUBuffer): void {
    const K = this.copies.length, B = this.batch, { spec, input: s, output: o } = layer;
    const x = i === 0 ? this.input : this.layerBuffers[i - 1].out;
    const dx = i === 0 ? null : this.layerBuffers[i - 1].dout;
    const { out, dout, extra, xhat } = this.layerBuffers[i];
    const dims: LayerRecord = { ci: s.c, co: o.c, h: s.h, w: s.w, ho: o.h, wo: o.w, param_offset: layer.paramOffset, stat_offset: layer.statOffset, index: i, tiled_offset: this.tiledOffsets[i], tiled_stride: this.tiledStride };
    const inCount = K * B * size(s), outCount = K * B * size(o);
    const step = this.stepBuffer;
    const fwd = (d: Dispatch) => this.forwardPasses.push(d);
    const bwd = (d: Dispatch) => this.backwardPasses.unshift(d);   // layers back to front
    const bwdAll = (ds: Dispatch[]) => this.backwardPasses.unshift(...ds);
    switch (spec.kind) {
      case 'conv3': case 'conv1': {
        const constants = { KSIZE: spec.kind === 'conv3' ? 3 : 1 };
        const { forward, backward } = convTileSizes(s.c, o.c, constants.KSIZE), forwardTiles = K * B * tilesOf(o.c, o.w) * o.h;
        fwd(this.dispatch('conv-tiles', 'tile', { ...dims, count: K * (forward + backward) }, [this.params, this.tiled], K * (forward + backward), false, constants));
        fwd(this.dispatch('conv', 'forward', { ...dims, count: forwardTiles }, [step, x, this.tiled, out], forwardTiles, false, constants));
        const weightGroups = K * s.c * Math.ceil(o.c / CONV_TC), inputTiles = K * B * tilesOf(s.c, s.w) * s.h;
        const weights = this.dispatch('conv-backward', 'backward_weights', { ...dims, count: weightGroups }, [step, x, this.tiled, dout, this.grads], weightGroups, true, constants);
        bwdAll(dx ? [weights, this.dispatch('conv-backward', 'backward_input', { ...dims, count: inputTiles }, [step, x, this.tiled, dout, dx], inputTiles, false, constants)] : [weights]);
        return;
      }
      case 'batchnorm': {
        const perChannel = { ...dims, count: K * s.c };
        const bn = (entry: string, record: LayerRecord, target: GPUBuffer, groupsOrCount: number, perWorkgroup = false) =>
          this.dispatch('batchnorm', entry, record, [step, x, this.params, dout, this.stats, extra!, xhat!, target, this.grads], groupsOrCount, perWorkgroup);
        fwd(bn('statistics', perChannel, out, K * s.c, true));
        // ∂γ, ∂β; then ∂x unless batch norm is the first layer.
        const backward = [bn('reduce_gradients', perChannel, dx ?? dummy, K * s.c, true), ...(dx ? [bn('backward_input', { ...dims, count: inCount }, dx, inCount)] : [])];
        // The normalization (block.wgsl); fused with the ReLU and dropout after it, its record carries the dropout
        // layer's index (the masks are keyed by it) and it writes the dropout layer's output.
        const fused = this.roles[i] === 'fused', dropout = this.layerBuffers[i + 2];
        const record = { ...dims, index: fused ? i + 2 : i, count: inCount }, constants = { FUSED: Number(fused) };
        const block = (entry: string, input: GPUBuffer, gradient: GPUBuffer, target: GPUBuffer) =>
          this.dispatch('block', entry, record, [step, this.copiesBuffer, this.params, extra!, input, gradient, xhat!, target], inCount, false, constants);
        fwd(block('normalize', x, dummy, fused ? dropout.out : out));
        bwdAll(fused ? [block('dropout_relu_backward', dropout.out, dropout.dout, dout), ...backward] : backward);
        return;
      }
      case 'relu': case 'dropout':
        if (this.roles[i] === 'inside') return;
        fwd(this.dispatch('pointwise', `${spec.kind}_forward`, { ...dims, count: inCount }, [step, this.copiesBuffer, x, dummy, out], inCount));
        if (dx) bwd(this.dispatch('pointwise', `${spec.kind}_backward`, { ...dims, count: inCount }, [step, this.copiesBuffer, spec.kind === 'relu' ? out : dummy, dout, dx], inCount));
        return;
      case 'maxpool':
        fwd(this.dispatch('pool', 'maxpool_forward', { ...dims, count: outCount }, [step, x, extra!, out], outCount));
        if (dx) bwd(this.dispatch('pool', 'maxpool_backward', { ...dims, count: inCount }, [step, dout, extra!, dx], inCount));
        return;
      case 'gap':
        fwd(this.dispatch('pool', 'gap_forward', { ...dims, count: K * B * s.c }, [step, x, dummy, out], K * B * s.c));
        if (dx) bwd(this.dispatch('pool', 'gap_backward', { ...dims, count: inCount }, [step, dout, dummy, dx], inCount));
        return;
      case 'linear': {
        const ci = size(s), lin = { ...dims, ci, co: o.c };
        const head = (entry: string, count: number, target: GPUBuffer) => this.dispatch('head', entry, { ...lin, count }, [step, x, this.params, dout, this.labels, target, this.grads, this.tally, this.predictions], count);
        fwd(head('linear_forward', K * B * o.c, out));
        const weights = head('linear_backward_weights', K * (o.c * ci + o.c), dummy);
        bwdAll(dx ? [weights, head('linear_backward_input', K * B * ci, dx)] : [weights]);
        return;
      }
    }
  }

  private encode(passes: Dispatch[]): void {
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (const d of passes) {
      pass.setPipeline(d.pipeline);
      pass.setBindGroup(0, d.bindGroup);
      const x = Math.min(d.groups, MAX_GROUPS);
      pass.dispatchWorkgroups(x, Math.ceil(d.groups / x));
    }
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  /** Writes copy k's parameters and running statistics (the layout of src/mnist/model.ts). */
  setWeights(k: number, params: ArrayLike<number>, stats: ArrayLike<number>): void {
    const P = this.model.paramCount, S = this.model.statCount;
    this.device.queue.writeBuffer(this.params, k * P * 4, Float32Array.from(params));
    if (S) this.device.queue.writeBuffer(this.stats, k * S * 4, Float32Array.from(stats));
    this.device.queue.writeBuffer(this.velocity, k * P * 4, new Float32Array(P));
  }

  private writeStep(n: number, maskStep: number, train: boolean, first: number, images: Float32Array<ArrayBuffer>, labels: ArrayLike<number>): void {
    if (n > this.batch || images.length < n * size(INPUT_SHAPE)) throw new Error(`a batch of ${n} images does not fit the trainer's ${this.batch}`);
    this.device.queue.writeBuffer(this.stepBuffer, 0, Uint32Array.of(n, maskStep >>> 0, train ? 1 : 0, first));
    // The same images for every copy, each at its copy's place in the input buffer.
    const perCopy = this.batch * size(INPUT_SHAPE) * 4;
    for (let k = 0; k < this.copies.length; k++) this.device.queue.writeBuffer(this.input, k * perCopy, images, 0, n * size(INPUT_SHAPE));
    this.device.queue.writeBuffer(this.labels, 0, Uint32Array.from({ length: n }, (_, b) => labels[b]));
  }

  /** One SGD step of every copy on the first n images (n × 28 × 28, normalized) with their labels, at these learning rates. */
  step(images: Float32Array<ArrayBuffer>, labels: ArrayLike<number>, n: number, lrs: number[], maskStep: number): void {
    const record = new ArrayBuffer(this.copies.length * COPY_FIELDS.length * 4);
    const f = new Float32Array(record), u = new Uint32Array(record);
    this.copies.forEach((c, k) => {
      const at = k * COPY_FIELDS.length;
      f.set([lrs[k], c.momentum, c.weightDecay, 1 / (1 - c.dropout)], at);
      u.set([c.seed >>> 0, dropBelow(c.dropout)], at + COPY_FLOAT_FIELDS);
    });
    this.device.queue.writeBuffer(this.copiesBuffer, 0, record);
    this.writeStep(n, maskStep, true, 0, images, labels);
    this.encode([...this.forwardPasses, this.lossPass, ...this.backwardPasses, this.updatePass]);
  }

  /**
   * Where a training step's time goes: runs one step as `step` does, but submits each dispatch alone and waits for
   * it, so each one's wall time (ms, host-measured: it includes a submit's overhead) is known. Slower than `step`.
   */
  async profileStep(images: Float32Array<ArrayBuffer>, labels: ArrayLike<number>, n: number, lrs: number[], maskStep: number): Promise<{ label: string; ms: number }[]> {
    this.step(images, labels, n, lrs, maskStep); // writes the step's records (and runs it once, untimed)
    await this.device.queue.onSubmittedWorkDone();
    const timings: { label: string; ms: number }[] = [];
    for (const d of [...this.forwardPasses, this.lossPass, ...this.backwardPasses, this.updatePass]) {
      const start = performance.now();
      this.encode([d]);
      await this.device.queue.onSubmittedWorkDone();
      timings.push({ label: d.label, ms: performance.now() - start });
    }
    return timings;
  }

  /**
   * A step at learning rate 0 (for the tests: forward, loss and backward to compare): parameters stay, but velocities
   * and the running statistics change as in a step.
   */
  forwardBackward(images: Float32Array<ArrayBuffer>, labels: ArrayLike<number>, n: number, maskStep: number): void {
    this.step(images, labels, n, this.copies.map(() => 0), maskStep);
  }

  /** Evaluates test images first … first + n − 1 (evaluation mode); predictions and tally[2..3] accumulate. */
  evaluate(images: Float32Array<ArrayBuffer>, labels: ArrayLike<number>, n: number, first: number): void {
    this.writeStep(n, 0, false, first, images, labels);
    this.encode([...this.forwardPasses, this.lossPass]);
  }

  /** Zeroes the running sums (at the start of an epoch). */
  resetTally(): void {
    this.device.queue.writeBuffer(this.tally, 0, new Float32Array(this.copies.length * 4));
  }

  /** Reads a buffer back (waits for the queue). */
  async read(buffer: GPUBuffer, bytes = buffer.size): Promise<ArrayBuffer> {
    const staging = this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const copy = staging.getMappedRange().slice(0);
    staging.destroy();
    return copy;
  }

  /** Per copy: [training loss sum, training correct, test loss sum, test correct] since the last resetTally. */
  async readTally(): Promise<Float32Array> { return new Float32Array(await this.read(this.tally, this.copies.length * 16)); }
  async readPredictions(): Promise<Uint32Array> { return new Uint32Array(await this.read(this.predictions, Math.max(16, this.copies.length * this.testCount * 4))); }
  async readParams(): Promise<Float32Array> { return new Float32Array(await this.read(this.params, this.copies.length * this.model.paramCount * 4)); }
  async readStats(): Promise<Float32Array> { return new Float32Array(await this.read(this.stats, Math.max(16, this.copies.length * this.model.statCount * 4))); }
  async readGrads(): Promise<Float32Array> { return new Float32Array(await this.read(this.grads, this.copies.length * this.model.paramCount * 4)); }
  /** The logits of the last pass: [K][batch][10]. */
  async readLogits(): Promise<Float32Array> { return new Float32Array(await this.read(this.layerBuffers.at(-1)!.out, this.copies.length * this.batch * CLASSES * 4)); }

  destroy(): void { for (const b of this.buffers) b.destroy(); }
}
