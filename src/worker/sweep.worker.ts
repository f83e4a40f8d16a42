/**
 * The page's worker: a thin comlink surface over the GPU trainer and the CPU reference. The page never touches the
 * GPU; progress carries only the newly finished cells, and results come back transferred, not copied.
 */
import * as Comlink from 'comlink';
import trainShader from '../../shaders/train.wgsl?raw';
import { runReference } from '../core/cpu-runner';
import { OUTPUT_NAMES, type SweepOutputs } from '../core/outputs';
import type { RunProgress, RunResult } from '../core/run';
import type { SweepSpec } from '../core/spec';
import { acquireGpu } from '../gpu/device';
import { GpuTrainer, SweepInterruptedError } from '../gpu/trainer';

export const BROWSER_NO_ADAPTER_FIX = 'Use a recent Chrome or Edge (113 or newer) on https or localhost with hardware acceleration on (chrome://gpu says why WebGPU is off).';

/** Which engine runs sweeps here. */
export type Backend = { kind: 'webgpu'; adapter: string } | { kind: 'cpu'; reason: string };

/**
 * Progress as posted to the page: counters plus the outputs of cells finished since the last report, compact: entry j
 * belongs to cell first + j, or with a cellOrder to cell cellOrder[first + j].
 */
export interface SweepProgress extends Omit<RunProgress, 'outputs'> {
  fresh?: { first: number; outputs: SweepOutputs };
}

export interface SweepRunResult extends RunResult {
  backend: Backend;
  /** With recordLoss on the GPU: loss[k] of cell c at c · (steps + 1) + k. */
  lossHistory?: Float32Array;
  /** Set when a lost device or a GPU error interrupted the run; `outputs` then holds the finished tiles. */
  error?: string;
}

export interface RunRequest {
  /** Record every loss[k] (small sweeps; GPU only). */
  recordLoss?: boolean;
  /** Cells per tile: smaller tiles fill a heatmap in sooner. */
  tileCells?: number;
  /** Cells in the first tile; later ones double up to tileCells. */
  firstTileCells?: number;
  /** Force the CPU reference even when WebGPU works. */
  cpu?: boolean;
  /** Train the cells in this order (progressive refinement); see RunOptions.cellOrder. */
  cellOrder?: Int32Array;
}

let backend: Promise<{ info: Backend; trainer?: GpuTrainer }> | undefined;
let controller: AbortController | undefined;

/** The outputs of positions first … end − 1 (cells, or cells of `order`), compact. */
function slice(outputs: SweepOutputs, first: number, end: number, order?: Int32Array): SweepOutputs {
  return Object.fromEntries(OUTPUT_NAMES.map((n) => {
    const values = outputs[n];
    if (!order) return [n, values.slice(first, end)];
    const out = new (values.constructor as Float64ArrayConstructor | Int32ArrayConstructor)(end - first);
    for (let j = 0; j < out.length; j++) out[j] = values[order[first + j]];
    return [n, out];
  })) as unknown as SweepOutputs;
}

const buffersOf = (o: SweepOutputs) => OUTPUT_NAMES.map((n) => o[n].buffer as ArrayBuffer);

const api = {
  /** Finds the backend once: WebGPU when an adapter appears, else the CPU reference with the reason. */
  init(): Promise<Backend> {
    backend ??= (async () => {
      try {
        const gpu = await acquireGpu((navigator as Navigator & { gpu?: GPU }).gpu, BROWSER_NO_ADAPTER_FIX);
        const trainer = await GpuTrainer.create(gpu, trainShader);
        await trainer.pipeline('sigmoid'); // compiled now, so a first Run starts at once
        return { info: { kind: 'webgpu', adapter: gpu.adapter } as Backend, trainer };
      } catch (e) {
        return { info: { kind: 'cpu', reason: (e as Error).message } as Backend };
      }
    })();
    return backend.then((b) => b.info);
  },

  /** Runs a sweep; onProgress gets the newly finished cells. Cancel keeps what is finished. */
  async run(spec: SweepSpec, request: RunRequest, onProgress: (p: SweepProgress) => void): Promise<SweepRunResult> {
    const { info, trainer } = await (backend ?? (api.init(), backend!));
    controller?.abort();
    const own = (controller = new AbortController());
    let reported = 0;
    const report = (p: RunProgress) => {
      const { outputs, ...counters } = p;
      const fresh = p.cellsDone > reported ? { first: reported, outputs: slice(outputs, reported, p.cellsDone, request.cellOrder) } : undefined;
      reported = p.cellsDone;
      onProgress(fresh ? Comlink.transfer({ ...counters, fresh }, buffersOf(fresh.outputs)) : counters);
    };
    let result: RunResult & { lossHistory?: Float32Array; error?: string };
    const useGpu = trainer && !request.cpu;
    try {
      result = useGpu
        ? await trainer.run(spec, { signal: own.signal, onProgress: report, recordLoss: request.recordLoss, tileCells: request.tileCells, firstTileCells: request.firstTileCells, cellOrder: request.cellOrder })
        : await runReference(spec, 'f64', { signal: own.signal, onProgress: report, cellOrder: request.cellOrder });
    } catch (e) {
      if (!(e instanceof SweepInterruptedError)) throw e;
      trainer?.gpu.device.destroy(); // lost, or in an error state that would fail every later run
      backend = undefined; // the next run asks for a new device
      result = { ...e.partial, error: e.message };
    }
    const shown: Backend = useGpu ? info : { kind: 'cpu', reason: info.kind === 'cpu' ? info.reason : 'CPU reference chosen' };
    const transfers = [...buffersOf(result.outputs), ...(result.lossHistory ? [result.lossHistory.buffer as ArrayBuffer] : [])];
    return Comlink.transfer({ ...result, backend: shown }, transfers);
  },

  /** The float64 reference on the given cells (all when omitted), for the GPU-vs-CPU comparison. */
  async reference(spec: SweepSpec, cellIndices: Int32Array | undefined, onProgress: (cellsDone: number, cells: number) => void): Promise<RunResult> {
    controller?.abort();
    const own = (controller = new AbortController());
    const result = await runReference(spec, 'f64', { signal: own.signal, cellOrder: cellIndices, onProgress: (p) => onProgress(p.cellsDone, p.cells) });
    return Comlink.transfer(result, buffersOf(result.outputs));
  },

  /** Stops the current run or reference at its next chunk. */
  cancel(): void {
    controller?.abort();
  },
};

export type SweepWorkerApi = typeof api;
Comlink.expose(api);
