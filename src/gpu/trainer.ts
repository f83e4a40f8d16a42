/**
 * The GPU trainer: trains every cell of a sweep with shaders/train.wgsl (an MLP sweep: src/gpu/mlp-trainer.ts). Per tile: upload the cells' parameters and
 * initial state once, run the steps in chunks of one dispatch each (progress and cancel between chunks, each chunk
 * sized to take about `chunkTargetMs` so no GPU watchdog fires), then read the outputs back through a staging buffer.
 */
import { networkCount, writeCellSetups } from '../core/grid';
import { runReplicas } from '../core/replica-run';
import { CELL_SETUP_LENGTH, type Activation } from '../core/network';
import { allocateOutputs } from '../core/outputs';
import { rate, type Checkpoint, type RunOptions, type RunResult } from '../core/run';
import { isMlp, usesMomentum, type SweepSpec } from '../core/spec';
import { DeviceLostError, describeLoss, type GpuContext } from './device';
import { CELL_PARAMS, CELL_STATE, CHUNK } from './layout';
import { packCells, packChunk, unpackOutputs } from './pack';
import { MlpGpuTrainer } from './mlp-trainer';
import { foldsOnDevice, ReplicaFolder, wholeCells } from './replica-fold';
import { compileShader, createTrainPipeline, submitDispatch, type TrainVariant } from './pipeline';
import { firstChunkSteps, maxTileCells, nextChunkSteps, planTiles, workgroupCount } from './plan';

export interface GpuRunOptions extends RunOptions {
  /** Fixed number of loss evaluations per dispatch; default adaptive (about chunkTargetMs per dispatch). */
  stepsPerChunk?: number;
  /** Target duration of one dispatch when adaptive, in ms (default 200: well under any GPU watchdog). */
  chunkTargetMs?: number;
  /** Largest tile, in cells (default 2^20, lowered to fit the device's binding and dispatch limits). */
  tileCells?: number;
  /** Size of the first tile, in cells; later tiles double up to tileCells (default: tileCells). */
  firstTileCells?: number;
  /**
   * Also record every loss[k] (result: lossHistory). For loss curves of small sweeps: the whole sweep must fit one
   * tile and cells × (steps + 1) floats one storage binding.
   */
  recordLoss?: boolean;
  /** false only in benchmarks: skip the loss and its bookkeeping (the outputs are then meaningless). */
  trackLoss?: boolean;
  /**
   * Sleep through most of each chunk's predicted duration before waiting on the queue. Dawn in Node polls while a
   * queue promise is pending, taking a core from the GPU (SwiftShader) threads; browsers need no such help.
   */
  sleepWhileWaiting?: boolean;
}

/** A run's result, with the recorded losses when asked for. */
export interface GpuRunResult extends RunResult {
  /** loss[k] of cell c at c · (steps + 1) + k (float32 values); NaN after a divergence. Only with recordLoss. */
  lossHistory?: Float32Array;
}

/** Thrown when the device is lost, or reports a GPU error, mid-run; `partial` holds every tile finished before. */
export class SweepInterruptedError extends DeviceLostError {
  constructor(message: string, readonly partial: RunResult) {
    super(message);
  }
}

/**
 * Chunks queued ahead of the one the host waits for. Chromium reports a completion some ms after the GPU is done; with
 * one chunk ahead the GPU could idle meanwhile. npm run bench (Chromium, SwiftShader, 262,144 × 1000): 2 ahead gave
 * 0.714 of the bare loop against 0.692 with 1; 4 gave no more. On a real GPU chunks are short and the gain larger.
 */
const PIPELINE_DEPTH = 2;

export class GpuTrainer {
  readonly workgroupSize = 64;
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();
  private lostInfo: GPUDeviceLostInfo | undefined;

  private constructor(readonly gpu: GpuContext, private readonly module: GPUShaderModule, private readonly mlp?: MlpGpuTrainer, private readonly foldModule?: GPUShaderModule) {
    void gpu.lost.then((info) => { this.lostInfo = info; });
  }

  /**
   * Compiles the shaders on `gpu`'s device: `code` = the text of shaders/train.wgsl (the course network), `mlpCode` =
   * shaders/mlp.wgsl (MLP sweeps; without it run refuses them), `foldCode` = shaders/replicas.wgsl (replica sweeps
   * folded on the device; without it the host folds each tile).
   */
  static async create(gpu: GpuContext, code: string, mlpCode?: string, foldCode?: string): Promise<GpuTrainer> {
    const [course, mlp, fold] = await Promise.all([
      compileShader(gpu.device, code),
      mlpCode === undefined ? undefined : compileShader(gpu.device, mlpCode, 'shaders/mlp.wgsl'),
      foldCode === undefined ? undefined : compileShader(gpu.device, foldCode, 'shaders/replicas.wgsl'),
    ]);
    return new GpuTrainer(gpu, course, mlp && new MlpGpuTrainer(gpu, mlp, fold), fold);
  }

  /** The pipeline for one activation, compiled once and cached. Exposed so set-up can be excluded from timings. */
  pipeline(activation: Activation, variant: TrainVariant = {}): Promise<GPUComputePipeline> {
    const key = `${activation}/${variant.recordLoss ?? false}/${variant.trackLoss ?? true}/${variant.momentum ?? false}`;
    let p = this.pipelines.get(key);
    if (!p) this.pipelines.set(key, (p = createTrainPipeline(this.gpu.device, this.module, activation, this.workgroupSize, variant)));
    return p;
  }

  /** Trains every cell of `spec`; resolves with complete or (cancelled) partial outputs. */
  async run(spec: SweepSpec, options: GpuRunOptions = {}): Promise<GpuRunResult> {
    if (spec.replicas && !options.compact) {
      if (options.recordLoss || options.resume) throw new RangeError('a replica sweep keeps no loss history and no checkpoint: run it without recordLoss or resume');
      return runReplicas(spec, options, (networks) => this.run(spec, { ...options, ...networks }));
    }
    if (isMlp(spec)) {
      if (!this.mlp) throw new Error('this GPU trainer was made without shaders/mlp.wgsl: an MLP sweep needs it (GpuTrainer.create\'s mlpCode)');
      return this.mlp.run(spec, options);
    }
    const { device } = this.gpu;
    const recordLoss = options.recordLoss ?? false;
    const pipeline = await this.pipeline(spec.activation, { recordLoss, trackLoss: options.trackLoss, momentum: usesMomentum(spec) });
    const gridCells = networkCount(spec);
    const order = options.cellOrder;
    if (order && options.recordLoss) throw new RangeError('recordLoss needs every cell in index order; leave cellOrder out');
    const cells = order?.length ?? gridCells; // positions to train
    const limits = device.limits;
    // Folding on the device needs tiles of whole cells: multiples of R networks.
    const fold = foldsOnDevice(spec, options, this.foldModule);
    const tileCells = wholeCells(maxTileCells(limits, this.workgroupSize, options.tileCells), fold);
    // A checkpoint continues as the first tile, from its saved state; one too large for this device's tiles is
    // dropped (its cells then train from scratch, to the same bits).
    const resume = options.resume && options.resume.cells.length <= tileCells && options.resume.cells.length > 0 ? options.resume : undefined;
    if (resume && (!order || resume.cells.some((cell, j) => order[j] !== cell))) throw new RangeError('a checkpoint\'s cells must open the cell order');
    const tiles = planTiles(cells, tileCells, resume ? resume.cells.length : options.firstTileCells && wholeCells(options.firstTileCells, fold));
    const historyBytes = recordLoss ? cells * (spec.steps + 1) * 4 : 4;
    if (recordLoss && tiles.length > 1) throw new RangeError(`recordLoss is for small sweeps: ${cells} cells need ${tiles.length} tiles, and the history needs one`);
    if (recordLoss && (historyBytes > limits.maxStorageBufferBindingSize || historyBytes + cells * CELL_STATE.size > limits.maxBufferSize)) {
      throw new RangeError(`recordLoss is for small sweeps: ${cells} cells × ${spec.steps + 1} losses (${historyBytes} bytes) exceed this device's buffer limits`);
    }
    const bufferCells = Math.min(tileCells, cells);
    const outputs = fold ? ReplicaFolder.outputs(cells / fold) : allocateOutputs(options.compact ? cells : gridCells);
    const totalSteps = spec.steps, networkSteps = cells * totalSteps;
    const targetMs = options.chunkTargetMs ?? 200;

    const chunkBuffer = device.createBuffer({ label: 'chunk', size: CHUNK.size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    const paramsBuffer = device.createBuffer({ label: 'params', size: bufferCells * CELL_PARAMS.size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    const stateBuffer = device.createBuffer({ label: 'state', size: bufferCells * CELL_STATE.size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
    const historyBuffer = device.createBuffer({ label: 'loss history', size: historyBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const stagingBuffer = device.createBuffer({ label: 'staging', size: bufferCells * CELL_STATE.size + (recordLoss ? historyBytes : 0), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const folder = fold ? await ReplicaFolder.create(device, this.foldModule!, stateBuffer, CELL_STATE, fold, spec.convergence, bufferCells / fold) : undefined;
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: chunkBuffer } },
        { binding: 1, resource: { buffer: paramsBuffer } },
        { binding: 2, resource: { buffer: stateBuffer } },
        { binding: 3, resource: { buffer: historyBuffer } },
      ],
    });

    const start = performance.now();
    let cellsDone = 0;
    let lossHistory: Float32Array | undefined;
    const result = (status: RunResult['status'], checkpoint?: Checkpoint): GpuRunResult => {
      const elapsedMs = performance.now() - start;
      return { outputs, status, cellsDone, elapsedMs, networkStepsPerSecond: rate(cellsDone, totalSteps, elapsedMs), lossHistory, ...(checkpoint ? { checkpoint } : {}) };
    };
    /** Copies the first `count` state records to the staging buffer and maps them (or surfaces a lost device). */
    const readState = async (count: number, extraBytes = 0): Promise<void> => {
      const encoder = device.createCommandEncoder({ label: 'read back' });
      encoder.copyBufferToBuffer(stateBuffer, 0, stagingBuffer, 0, count * CELL_STATE.size);
      if (extraBytes) encoder.copyBufferToBuffer(historyBuffer, 0, stagingBuffer, count * CELL_STATE.size, extraBytes);
      device.queue.submit([encoder.finish()]);
      // A map rejected because the device went away surfaces as the loss, with the finished tiles.
      await Promise.race([stagingBuffer.mapAsync(GPUMapMode.READ, 0, count * CELL_STATE.size + extraBytes).catch(() => this.gpu.lost), this.gpu.lost]);
      checkDevice();
    };
    const checkDevice = () => {
      if (this.lostInfo) throw new SweepInterruptedError(describeLoss(this.lostInfo), result('interrupted'));
      const error = this.gpu.uncapturedError();
      if (error) throw new SweepInterruptedError(`GPU error: ${error.message} (often the device running out of memory: try a smaller sweep). Finished tiles are kept.`, result('interrupted'));
    };
    // Chunks are pipelined: PIPELINE_DEPTH chunks are queued ahead of the one awaited, so the GPU never idles while the
    // host reacts to a completion (the chunk uniform is rewritten safely: writeBuffer runs in queue order). A chunk's time
    // is the time between consecutive completions, i.e. its time on the GPU. Not when sleeping while waiting: Dawn in
    // Node polls as long as any queue promise is pending, so there a chunk's promise is only asked for after the sleep,
    // and chunks run one at a time.
    const pipelined = !options.sleepWhileWaiting;
    interface InFlight { done?: Promise<unknown>; cells: number; firstStep: number; endStep: number }
    let stepsPerMs = 0, lastDoneAt = 0;
    let stepsPerChunk = options.stepsPerChunk ?? firstChunkSteps(tiles[0]?.count ?? 1, totalSteps);
    // Waits for a chunk, or for the device to be lost, whichever comes first; optionally sleeps through ~90% of its
    // predicted remaining time first (from the last rate in network-steps per ms). Then adapts the chunk size.
    const settle = async (chunk: InFlight) => {
      const networkSteps = chunk.cells * (chunk.endStep - chunk.firstStep);
      if (options.sleepWhileWaiting && stepsPerMs > 0) {
        const remaining = lastDoneAt + (0.9 * networkSteps) / stepsPerMs - performance.now();
        if (remaining > 1) await new Promise((r) => setTimeout(r, remaining));
      }
      // A work-done promise rejected by a lost device surfaces as the loss (checkDevice), not as its own error.
      await Promise.race([(chunk.done ?? device.queue.onSubmittedWorkDone()).catch(() => this.gpu.lost), this.gpu.lost]);
      checkDevice();
      const now = performance.now(), chunkMs = Math.max(now - lastDoneAt, 1e-3);
      lastDoneAt = now;
      stepsPerMs = networkSteps / chunkMs;
      if (options.stepsPerChunk === undefined) stepsPerChunk = nextChunkSteps(chunk.endStep - chunk.firstStep, chunkMs, targetMs);
    };

    try {
      let previousTileCells = tiles[0]?.count ?? 1;
      for (const tile of tiles) {
        // Same time per dispatch for a tile of another size: scale the steps by the ratio of cells.
        if (options.stepsPerChunk === undefined && tile.count !== previousTileCells) {
          stepsPerChunk = Math.max(1, Math.round((stepsPerChunk * previousTileCells) / tile.count));
          previousTileCells = tile.count;
        }
        const setups = writeCellSetups(spec, tile.first, tile.count, new Float64Array(tile.count * CELL_SETUP_LENGTH), order);
        const packed = packCells(setups, tile.count);
        const resumed = resume && tile.first === 0 ? resume : undefined;
        device.queue.writeBuffer(paramsBuffer, 0, packed.params);
        if (resumed && resumed.state.length !== tile.count * (CELL_STATE.size / 4)) throw new RangeError(`a checkpoint of ${resumed.cells.length} cells needs ${resumed.cells.length * CELL_STATE.size / 4} state words; it has ${resumed.state.length}`);
        device.queue.writeBuffer(stateBuffer, 0, resumed ? (resumed.state.slice().buffer as ArrayBuffer) : packed.state);
        const groups = workgroupCount(tile.count, this.workgroupSize);
        const report = (chunk: InFlight) => options.onProgress?.({
          cellsDone, cells, networkStepsDone: cellsDone * totalSteps + tile.count * Math.min(chunk.endStep, totalSteps),
          networkSteps, elapsedMs: performance.now() - start, outputs,
        });
        const inFlight: InFlight[] = [];
        lastDoneAt = performance.now();
        // Loss indices k = 0 … totalSteps: totalSteps + 1 evaluations, each but the last followed by an update.
        for (let firstStep = resumed?.stepsDone ?? 0; firstStep <= totalSteps;) {
          if (options.signal?.aborted) {
            while (inFlight.length) await settle(inFlight.shift()!);
            if (firstStep === 0) return result('cancelled');
            // The tile's cells as far as they got: their state after `firstStep` evaluations, to continue later.
            await readState(tile.count);
            const state = new Uint32Array(stagingBuffer.getMappedRange(0, tile.count * CELL_STATE.size).slice(0));
            stagingBuffer.unmap();
            const tileCellIndices = Int32Array.from({ length: tile.count }, (_, j) => (order ? order[tile.first + j] : tile.first + j));
            return result('cancelled', { cells: tileCellIndices, stepsDone: firstStep, state });
          }
          const endStep = Math.min(totalSteps + 1, firstStep + stepsPerChunk);
          device.queue.writeBuffer(chunkBuffer, 0, packChunk({
            cellCount: tile.count, firstStep, endStep, totalSteps, threshold: spec.threshold,
            biasHidden: spec.biases[0], biasOutput: spec.biases[1],
          }));
          submitDispatch(device, pipeline, bindGroup, groups, `steps ${firstStep}–${endStep - 1}`);
          const done = pipelined ? device.queue.onSubmittedWorkDone() : undefined;
          done?.catch(() => undefined); // a chunk still queued when the run stops must not leave an unhandled rejection
          const submitted: InFlight = { done, cells: tile.count, firstStep, endStep };
          inFlight.push(submitted);
          if (inFlight.length > PIPELINE_DEPTH) { const oldest = inFlight.shift()!; await settle(oldest); await report(oldest); }
          firstStep = endStep;
          if (!pipelined) { const only = inFlight.shift()!; await settle(only); await report(only); }
        }
        while (inFlight.length) { const oldest = inFlight.shift()!; await settle(oldest); await report(oldest); }
        if (folder) {
          device.queue.submit([folder.encode(tile.count / fold)]);
          await Promise.race([folder.staging.mapAsync(GPUMapMode.READ, 0, folder.bytes(tile.count / fold)).catch(() => this.gpu.lost), this.gpu.lost]);
          checkDevice();
          folder.unpack(tile.count / fold, outputs, tile.first / fold, totalSteps);
        } else {
          const stateBytes = tile.count * CELL_STATE.size;
          await readState(tile.count, recordLoss ? historyBytes : 0);
          unpackOutputs(stagingBuffer.getMappedRange(0, stateBytes), tile.count, outputs, tile.first, totalSteps, options.compact ? undefined : order);
          if (recordLoss) lossHistory = historyWithDivergence(new Float32Array(stagingBuffer.getMappedRange(stateBytes, historyBytes).slice(0)), outputs.divergedAt, totalSteps);
          stagingBuffer.unmap();
        }
        cellsDone += tile.count;
        await options.onProgress?.({ cellsDone, cells, networkStepsDone: cellsDone * totalSteps, networkSteps, elapsedMs: performance.now() - start, outputs });
      }
      return result('complete');
    } finally {
      if (!this.lostInfo) for (const b of [chunkBuffer, paramsBuffer, stateBuffer, historyBuffer, stagingBuffer, folder]) b?.destroy();
    }
  }
}

/** Marks the never-written entries after each cell's divergence as NaN (the buffer starts zeroed). */
function historyWithDivergence(history: Float32Array, divergedAt: Int32Array, steps: number): Float32Array {
  divergedAt.forEach((k, cell) => { if (k >= 0) history.fill(NaN, cell * (steps + 1) + k + 1, (cell + 1) * (steps + 1)); });
  return history;
}
