/**
 * Folding a replica sweep's tiles on the device (shaders/replicas.wgsl): after a tile of whole cells has trained, one
 * dispatch turns its cells × R per-network records into one summary per cell, and only those come back, so read-back
 * grows with the cells. The host finishes each summary exactly as reduceCell (src/core/replicas.ts) would from the
 * same replicas' outputs: counts, pConverged and its Wilson interval in float64, each quantile interpolated in float64
 * from the two order statistics the shader found.
 */
import { allocateOutputs, type ConvergenceRule, type SweepOutputs } from '../core/outputs';
import type { RunOptions } from '../core/run';
import type { SweepSpec } from '../core/spec';
import { quantileBetween, writeSummary } from '../core/replicas';
import { unpackOutputs, type OutputsLayout } from './pack';
import { ShaderError } from './pipeline';

/** `struct ReplicaSummary` of shaders/replicas.wgsl: 3 counts (u32), a pad, 8 order statistics (f32); 48 bytes. Offsets in bytes. */
export const REPLICA_SUMMARY = {
  size: 48,
  offsets: { converged: 0, diverged: 4, reached: 8, pad: 12, stepsLo: 16, stepsHi: 20, lossLo: 24, lossHi: 28, divQ1Lo: 32, divQ1Hi: 36, divMedianLo: 40, divMedianHi: 44 },
} as const;

/** The RULE override of each convergence rule. */
const RULE_CODES: Record<ConvergenceRule, number> = { 'ends-below': 0, reached: 1, 'tail-mean': 2 };

/**
 * Most replicas folded on the device (the shader's MAX_R: its workgroup arrays hold each subset's values, and ranking
 * costs R² comparisons per cell); above, the host folds.
 */
export const DEVICE_FOLD_MAX_REPLICAS = 256;

/**
 * The replicas per cell a compact run of `spec` folds on the device (runReplicas asked for it, the fold shader was
 * given, and R ≤ DEVICE_FOLD_MAX_REPLICAS), or 0: the host folds.
 */
export function foldsOnDevice(spec: SweepSpec, options: RunOptions, foldModule: GPUShaderModule | undefined): number {
  const R = spec.replicas?.count ?? 0;
  return options.compact && options.foldReplicas && foldModule && R <= DEVICE_FOLD_MAX_REPLICAS ? R : 0;
}

/** `networks` rounded down to whole cells of `fold` replicas (at least one cell); unchanged when not folding. */
export const wholeCells = (networks: number, fold: number): number => (fold ? Math.max(fold, Math.floor(networks / fold) * fold) : networks);

/**
 * Reads `count` folded cells from `summaries` (each the per-network record of `layout`, then a ReplicaSummary) into
 * `outputs` at cells first … first + count − 1: the OUTPUTS rows from replica 0's record (unpackOutputs), the
 * REPLICA_OUTPUTS rows from the summary.
 */
export function unpackSummaries(summaries: ArrayBuffer, count: number, R: number, layout: OutputsLayout, steps: number, outputs: SweepOutputs, first: number): void {
  const recordBytes = layout.size + REPLICA_SUMMARY.size, o = REPLICA_SUMMARY.offsets;
  const replica0 = new Uint8Array(count * layout.size), bytes = new Uint8Array(summaries), view = new DataView(summaries);
  for (let c = 0; c < count; c++) replica0.set(bytes.subarray(c * recordBytes, c * recordBytes + layout.size), c * layout.size);
  unpackOutputs(replica0.buffer, count, outputs, first, steps, undefined, layout);
  const f32 = (c: number, offset: number) => view.getFloat32(c * recordBytes + layout.size + offset, true);
  const u32 = (c: number, offset: number) => view.getUint32(c * recordBytes + layout.size + offset, true);
  for (let c = 0; c < count; c++) {
    const converged = u32(c, o.converged), diverged = u32(c, o.diverged), reached = u32(c, o.reached);
    writeSummary(outputs, first + c, R, {
      converged, diverged,
      medianStepsToThreshold: quantileBetween(reached, 0.5, f32(c, o.stepsLo), f32(c, o.stepsHi)),
      medianFinalLoss: quantileBetween(R - diverged, 0.5, f32(c, o.lossLo), f32(c, o.lossHi)),
      divergedAtQ1: quantileBetween(diverged, 0.25, f32(c, o.divQ1Lo), f32(c, o.divQ1Hi)),
      divergedAtMedian: quantileBetween(diverged, 0.5, f32(c, o.divMedianLo), f32(c, o.divMedianHi)),
    });
  }
}

/** Fold pipelines by module and overrides: compiled once per device (a compilation costs as much as a small tile). */
const pipelines = new WeakMap<GPUShaderModule, Map<string, Promise<GPUComputePipeline>>>();

function foldPipeline(device: GPUDevice, module: GPUShaderModule, layout: OutputsLayout, R: number, rule: ConvergenceRule): Promise<GPUComputePipeline> {
  const words = (bytes: number) => bytes / 4, w = layout.offsets;
  const constants = {
    R, STATE_WORDS: words(layout.size), RULE: RULE_CODES[rule], LOSS: words(w.loss), STEPS_TO_THRESHOLD: words(w.stepsToThreshold),
    SETTLED_AT: words(w.settledAt), TAIL_LOSS_RATIO: words(w.tailLossRatio), DIVERGED_AT: words(w.divergedAt), WORKGROUP_SIZE: Math.min(64, R),
  };
  const key = JSON.stringify(constants), cache = pipelines.get(module) ?? new Map<string, Promise<GPUComputePipeline>>();
  pipelines.set(module, cache);
  let pipeline = cache.get(key);
  if (!pipeline) {
    pipeline = device.createComputePipelineAsync({ label: `fold ${R} replicas`, layout: 'auto', compute: { module, entryPoint: 'fold', constants } })
      .catch((e: Error) => { cache.delete(key); throw new ShaderError(`shaders/replicas.wgsl: pipeline failed: ${e.message}`); });
    cache.set(key, pipeline);
  }
  return pipeline;
}

/** One run's folding: its pipeline, buffers and bind group over the trainer's per-network record buffer. */
export class ReplicaFolder {
  private constructor(
    private readonly device: GPUDevice, private readonly pipeline: GPUComputePipeline, private readonly bindGroup: GPUBindGroup,
    private readonly params: GPUBuffer, private readonly summaries: GPUBuffer, readonly staging: GPUBuffer,
    private readonly R: number, private readonly layout: OutputsLayout,
  ) {}

  /** Per-cell outputs of `cells` cells with the replica rows: what a folding run returns (compact, by cell position). */
  static outputs(cells: number): SweepOutputs {
    return allocateOutputs(cells, true);
  }

  /**
   * A folder for tiles of at most `maxCells` cells of R replicas whose records (`layout`) are in `states`, compiled
   * from shaders/replicas.wgsl's module.
   */
  static async create(device: GPUDevice, module: GPUShaderModule, states: GPUBuffer, layout: OutputsLayout, R: number, rule: ConvergenceRule, maxCells: number): Promise<ReplicaFolder> {
    const pipeline = await foldPipeline(device, module, layout, R, rule);
    const bytes = Math.max(4, maxCells * (layout.size + REPLICA_SUMMARY.size));
    const params = device.createBuffer({ label: 'fold params', size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    const summaries = device.createBuffer({ label: 'replica summaries', size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const staging = device.createBuffer({ label: 'replica summaries staging', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [params, states, summaries].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    return new ReplicaFolder(device, pipeline, bindGroup, params, summaries, staging, R, layout);
  }

  /** Encodes the fold of the first `cells` cells of the record buffer and the copy of their summaries to `staging`. */
  encode(cells: number): GPUCommandBuffer {
    this.device.queue.writeBuffer(this.params, 0, new Uint32Array([cells, 0, 0, 0]));
    const encoder = this.device.createCommandEncoder({ label: 'fold replicas' });
    const pass = encoder.beginComputePass();
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    // One workgroup per cell, in rows of at most 65,535 (the dispatch limit per dimension).
    pass.dispatchWorkgroups(Math.min(cells, 65535), Math.ceil(cells / 65535));
    pass.end();
    encoder.copyBufferToBuffer(this.summaries, 0, this.staging, 0, cells * (this.layout.size + REPLICA_SUMMARY.size));
    return encoder.finish();
  }

  /** Bytes of `cells` summaries in the staging buffer. */
  bytes(cells: number): number {
    return cells * (this.layout.size + REPLICA_SUMMARY.size);
  }

  /** Unpacks the mapped staging buffer's `cells` summaries into `outputs` at cells first …; unmaps it. */
  unpack(cells: number, outputs: SweepOutputs, first: number, steps: number): void {
    unpackSummaries(this.staging.getMappedRange(0, this.bytes(cells)), cells, this.R, this.layout, steps, outputs, first);
    this.staging.unmap();
  }

  destroy(): void {
    for (const b of [this.params, this.summaries, this.staging]) b.destroy();
  }
}
