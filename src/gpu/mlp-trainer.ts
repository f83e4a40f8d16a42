/**
 * The GPU trainer of the MLP family: trains every cell of an MLP sweep with shaders/mlp.wgsl, G networks per
 * workgroup. Per tile: upload the cells' parameters, starting weights and started outputs, run the steps in chunks of
 * one dispatch each (progress and cancel between chunks, each sized to take about `chunkTargetMs`), then read the
 * outputs back. One step of an MLP costs about P·d·n·4 multiply-adds, so tiles are sized from the measured rate too:
 * after the first, a tile holds the cells one step of which takes about chunkTargetMs, so that no dispatch runs long
 * enough for a watchdog even where a single step of a whole sweep would.
 */
import { networkCount } from '../core/grid';
import { allocateOutputs } from '../core/outputs';
import { rate, type RunResult } from '../core/run';
import { TAIL_LOSSES } from '../core/outputs';
import type { MlpSweepSpec } from '../core/spec';
import { drawCache, mlpProblem, MLP_SETUP_LENGTH, writeMlpSetups, type MlpProblem } from '../mlp/problem';
import { describeLoss, type GpuContext } from './device';
import { MLP_BOOK, MLP_CHUNK, MLP_PARAMS, MlpLimitError, mlpWorkgroup, type MlpWorkgroup } from './mlp-layout';
import { packMlpBatches, packMlpCells, packMlpChunk, packMlpData } from './mlp-pack';
import { unpackOutputs } from './pack';
import { foldsOnDevice, ReplicaFolder, wholeCells } from './replica-fold';
import { ACTIVATION_CODES } from './layout';
import { ShaderError, submitDispatch } from './pipeline';
import { SweepInterruptedError, type GpuRunOptions, type GpuRunResult } from './trainer';

/** Cells in the first tile: enough workgroups to fill a GPU's cores briefly and measure the rate. */
const FIRST_TILE_CELLS = 1024;

/** Trains MLP sweeps on one device; `module` is shaders/mlp.wgsl compiled there. */
export class MlpGpuTrainer {
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();
  private lostInfo: GPUDeviceLostInfo | undefined;

  /** `foldModule`: shaders/replicas.wgsl compiled there, to fold replica sweeps on the device (else the host folds). */
  constructor(readonly gpu: GpuContext, private readonly module: GPUShaderModule, private readonly foldModule?: GPUShaderModule) {
    void gpu.lost.then((info) => { this.lostInfo = info; });
  }

  /** The pipeline for one problem's sizes, activation and training mode, compiled once and cached. */
  pipeline(problem: MlpProblem, shape: MlpWorkgroup): Promise<GPUComputePipeline> {
    const constants = {
      D: problem.d, D4: Math.ceil(problem.d / 4), N: problem.n, N4: shape.lanesPerNetwork, O: problem.o, G: shape.networks, T: shape.tilePoints, WORKGROUP_SIZE: shape.invocations, ACTIVATION: ACTIVATION_CODES[problem.activation],
      FULL_BATCH: Number(problem.batches === null), OFFSET_EVERY_STEP: Number(problem.offsetEveryStep), TAIL_LOSSES,
    };
    const key = JSON.stringify(constants);
    let p = this.pipelines.get(key);
    if (!p) {
      p = this.gpu.device.createComputePipelineAsync({ label: `mlp ${key}`, layout: 'auto', compute: { module: this.module, entryPoint: 'train', constants } })
        .catch((e: Error) => { throw new ShaderError(`shaders/mlp.wgsl: pipeline for ${key} failed: ${e.message}`); });
      this.pipelines.set(key, p);
    }
    return p;
  }

  /** Trains every cell of `spec` (or options.cellOrder's); resolves with complete or cancelled partial outputs. */
  async run(spec: MlpSweepSpec, options: GpuRunOptions = {}): Promise<GpuRunResult> {
    if (options.recordLoss) throw new RangeError('recordLoss is for the course network; an MLP cell\'s loss curve comes from its float64 replay');
    const { device } = this.gpu, limits = device.limits;
    const problem = mlpProblem(spec), shape = mlpWorkgroup(problem.d, problem.n, problem.o, problem.points, limits);
    const pipeline = await this.pipeline(problem, shape);
    const order = options.cellOrder, gridCells = networkCount(spec), cells = order?.length ?? gridCells;
    const weightBytes = problem.weightCount * 4, binding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    const batches = packMlpBatches(problem), data = packMlpData(problem);
    if (batches.byteLength > binding || data.byteLength > binding) throw new MlpLimitError(`the data or minibatch indices (${Math.max(batches.byteLength, data.byteLength)} bytes) exceed this device's ${binding}-byte buffers; use fewer steps or points, or the CPU engine`);
    const maxTile = Math.max(1, Math.min(options.tileCells ?? 1 << 20, Math.floor(binding / weightBytes), limits.maxComputeWorkgroupsPerDimension * shape.networks));
    const fold = maxTile >= (spec.replicas?.count ?? 1) ? foldsOnDevice(spec, options, this.foldModule) : 0;
    const bufferCells = Math.min(maxTile, cells);
    const outputs = fold ? ReplicaFolder.outputs(cells / fold) : allocateOutputs(options.compact ? cells : gridCells), totalSteps = spec.steps, networkSteps = cells * totalSteps;
    const targetMs = options.chunkTargetMs ?? 200;

    const buffer = (label: string, size: number, usage: number) => device.createBuffer({ label, size: Math.max(4, size), usage });
    const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
    const chunkBuffer = buffer('mlp chunk', MLP_CHUNK.size, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const paramsBuffer = buffer('mlp params', bufferCells * MLP_PARAMS.size, S);
    const weightsBuffer = buffer('mlp weights', bufferCells * weightBytes, S);
    const bookBuffer = buffer('mlp book', bufferCells * MLP_BOOK.size, S | GPUBufferUsage.COPY_SRC);
    const dataBuffer = buffer('mlp data', data.byteLength, S);
    const batchesBuffer = buffer('mlp batches', batches.byteLength, S);
    const stagingBuffer = buffer('mlp staging', bufferCells * MLP_BOOK.size, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    const owned = [chunkBuffer, paramsBuffer, weightsBuffer, bookBuffer, dataBuffer, batchesBuffer, stagingBuffer];
    const folder = fold ? await ReplicaFolder.create(device, this.foldModule!, bookBuffer, MLP_BOOK, fold, spec.convergence, Math.floor(bufferCells / fold)) : undefined;
    device.queue.writeBuffer(dataBuffer, 0, data);
    device.queue.writeBuffer(batchesBuffer, 0, batches);
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [chunkBuffer, paramsBuffer, weightsBuffer, bookBuffer, dataBuffer, batchesBuffer].map((b, binding) => ({ binding, resource: { buffer: b } })),
    });

    const start = performance.now();
    let cellsDone = 0;
    const result = (status: RunResult['status']): GpuRunResult => {
      const elapsedMs = performance.now() - start;
      return { outputs, status, cellsDone, elapsedMs, networkStepsPerSecond: rate(cellsDone, totalSteps, elapsedMs) };
    };
    const checkDevice = () => {
      if (this.lostInfo) throw new SweepInterruptedError(describeLoss(this.lostInfo), result('interrupted'));
      const error = this.gpu.uncapturedError();
      if (error) throw new SweepInterruptedError(`GPU error: ${error.message} (often the device running out of memory: try a smaller sweep). Finished tiles are kept.`, result('interrupted'));
    };
    // Waits for the queue (or a lost device); in Node first sleeps through 90% of the predicted time, since Dawn polls
    // on a core while a queue promise is pending.
    let stepsPerMs = 0;
    const settle = async (work: number) => {
      if (options.sleepWhileWaiting && stepsPerMs > 0) await new Promise((r) => setTimeout(r, (0.9 * work) / stepsPerMs));
      await Promise.race([device.queue.onSubmittedWorkDone().catch(() => this.gpu.lost), this.gpu.lost]);
      checkDevice();
    };

    const draws = drawCache(spec);
    let stepsPerChunk = options.stepsPerChunk ?? 1;
    try {
      for (let first = 0; first < cells;) {
        if (options.signal?.aborted) return result('cancelled');
        // The first tile measures the rate; later ones hold what one step of takes about targetMs (at least a workgroup).
        const wanted = stepsPerMs > 0 ? Math.max(shape.networks, Math.floor(stepsPerMs * targetMs)) : Math.min(options.firstTileCells ?? FIRST_TILE_CELLS, maxTile);
        const count = Math.min(cells - first, wholeCells(Math.min(maxTile, wanted), fold));
        const setups = writeMlpSetups(spec, first, count, new Float64Array(count * MLP_SETUP_LENGTH), order);
        const packed = packMlpCells(spec, problem, setups, count, draws);
        device.queue.writeBuffer(paramsBuffer, 0, packed.params);
        device.queue.writeBuffer(weightsBuffer, 0, packed.weights);
        device.queue.writeBuffer(bookBuffer, 0, packed.book);
        const groups = Math.ceil(count / shape.networks);
        for (let firstStep = 0; firstStep <= totalSteps;) {
          if (options.signal?.aborted) { await settle(0); return result('cancelled'); }
          const endStep = Math.min(totalSteps + 1, firstStep + stepsPerChunk);
          device.queue.writeBuffer(chunkBuffer, 0, packMlpChunk(problem, { cellCount: count, firstStep, endStep }));
          submitDispatch(device, pipeline, bindGroup, groups, `mlp steps ${firstStep}–${endStep - 1}`);
          const t0 = performance.now(), work = count * (endStep - firstStep);
          await settle(work);
          const ms = Math.max(performance.now() - t0, 1e-3);
          stepsPerMs = work / ms;
          if (options.stepsPerChunk === undefined) stepsPerChunk = Math.max(1, Math.min(stepsPerChunk * 4, Math.round((stepsPerChunk * targetMs) / ms)));
          firstStep = endStep;
          await options.onProgress?.({ cellsDone, cells, networkStepsDone: cellsDone * totalSteps + count * Math.min(endStep, totalSteps), networkSteps, elapsedMs: performance.now() - start, outputs });
        }
        if (folder) {
          device.queue.submit([folder.encode(count / fold)]);
          await Promise.race([folder.staging.mapAsync(GPUMapMode.READ, 0, folder.bytes(count / fold)).catch(() => this.gpu.lost), this.gpu.lost]);
          checkDevice();
          folder.unpack(count / fold, outputs, first / fold, totalSteps);
        } else {
          const encoder = device.createCommandEncoder({ label: 'mlp read back' });
          encoder.copyBufferToBuffer(bookBuffer, 0, stagingBuffer, 0, count * MLP_BOOK.size);
          device.queue.submit([encoder.finish()]);
          await Promise.race([stagingBuffer.mapAsync(GPUMapMode.READ, 0, count * MLP_BOOK.size).catch(() => this.gpu.lost), this.gpu.lost]);
          checkDevice();
          unpackOutputs(stagingBuffer.getMappedRange(0, count * MLP_BOOK.size), count, outputs, first, totalSteps, options.compact ? undefined : order, MLP_BOOK);
          stagingBuffer.unmap();
        }
        first += count;
        cellsDone += count;
        await options.onProgress?.({ cellsDone, cells, networkStepsDone: cellsDone * totalSteps, networkSteps, elapsedMs: performance.now() - start, outputs });
      }
      return result('complete');
    } finally {
      if (!this.lostInfo) for (const b of [...owned, folder]) b?.destroy();
    }
  }
}
