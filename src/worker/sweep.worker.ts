/**
 * The page's worker: a thin comlink surface over the GPU trainer and the CPU engine (the WebAssembly kernel on a pool
 * of web workers, one per core). The page never touches the GPU; progress carries only the newly finished cells, and
 * results come back transferred, not copied.
 */
import * as Comlink from 'comlink';
import trainShader from '../../shaders/train.wgsl?raw';
import mlpShader from '../../shaders/mlp.wgsl?raw';
import foldShader from '../../shaders/replicas.wgsl?raw';
import { chooseDevice, type DeviceChoice, type GpuAvailability } from '../core/engine';
import { allocateOutputs, OUTPUT_NAMES, outputArray, outputsAt, rowsOf, type AnyOutputName, type SweepOutputs } from '../core/outputs';
import type { Arithmetic, ArithmeticChoice } from '../core/arithmetic';
import { rate, type RunProgress, type RunResult } from '../core/run';
import { isMlp, usesMomentum, type MlpSweepSpec, type SweepSpec } from '../core/spec';
import { MLP_TRACE_ROW_LENGTH, traceMlpCell, type MlpTrace } from '../mlp/trace';
import { mlpProblem } from '../mlp/problem';
import { replayReplicas, type NetworkReplay, type ReplicaTraces } from '../core/replica-traces';
import { TRACE_ROW_LENGTH } from '../cpu/layout';
import { cellSetup, gridSize, writeCellSetups } from '../core/grid';
import { WasmKernel, type CellTrace } from '../cpu/kernel';
import type { CpuPool } from '../cpu/pool';
import { acquireGpu, BROWSER_NO_ADAPTER_FIX } from '../gpu/device';
import { GpuTrainer, SweepInterruptedError } from '../gpu/trainer';
import { browserThreads, createBrowserPool, loadKernelModule } from './browser-pool';


/**
 * What ran a sweep: the float32 WGSL kernel on a WebGPU adapter, or the WebAssembly kernel on CPU threads (`oracle`:
 * the TypeScript oracle on them instead, for float32-faithful MLP cells, which have no WebAssembly kernel).
 */
export type RanOn = { device: 'webgpu'; adapter: string } | { device: 'cpu'; threads: number; arithmetic: Arithmetic; oracle?: true };

/**
 * What the worker found at start: the WebGPU side, the CPU engine's threads (or why it cannot start), and what 'auto'
 * runs on, and why.
 */
export interface Capabilities { gpu: GpuAvailability; threads: number; cpuMissing?: string; auto: DeviceChoice }

/**
 * Progress as posted to the page: counters plus the outputs of cells finished since the last report, compact: entry j
 * belongs to cell first + j, or with a cellOrder to cell cellOrder[first + j].
 */
export interface SweepProgress extends Omit<RunProgress, 'outputs'> {
  fresh?: { first: number; outputs: SweepOutputs };
}

export interface SweepRunResult extends RunResult {
  ranOn: RanOn;
  /** With recordLoss on the GPU: loss[k] of cell c at c · (steps + 1) + k. */
  lossHistory?: Float32Array;
  /** Set when a lost device or a GPU error interrupted the run; `outputs` then holds the finished tiles. */
  error?: string;
}

export interface RunRequest {
  /** The arithmetic: float32 (the GPU, or the float32-faithful CPU engine without one), float64 (CPU), or auto (default). */
  arithmetic?: ArithmeticChoice;
  /** Record every loss[k] (small sweeps; GPU only). */
  recordLoss?: boolean;
  /** Cells per tile: smaller tiles fill a heatmap in sooner. */
  tileCells?: number;
  /** Cells in the first tile; later ones double up to tileCells. */
  firstTileCells?: number;
  /** Train the cells in this order (progressive refinement); see RunOptions.cellOrder. */
  cellOrder?: Int32Array;
}

/** The CPU engine's threads: every core, unless useThreads says otherwise before the pool starts. */
let threads = browserThreads();
let gpuSide: Promise<{ gpu: GpuAvailability; trainer?: GpuTrainer }> | undefined;
let pool: Promise<CpuPool> | undefined;
let kernel: Promise<WasmKernel> | undefined;
let controller: AbortController | undefined;
/** Why the CPU engine could not start here, once init() has tried. */
let cpuMissing: string | undefined;

/**
 * A replica sweep's networks per CPU pool run on the page (runReplicas' chunks): a quarter of the command line's, so
 * a chunk's outputs and the blocks in flight stay small beside the view's own arrays (a 512² × 64 view: 41 MB in this
 * worker at its peak, not 61), at no cost in speed (a chunk of 1000-step networks takes about a second).
 */
const PAGE_CHUNK_NETWORKS = 1 << 16;

/** Course comparisons this small (cells × steps) run on this worker's own kernel instance rather than the pool: 0.4 s or less. */
const IN_THREAD_NETWORK_STEPS = 2e7;

/** The WebGPU adapter and a trainer with its pipeline compiled (so a first Run starts at once), once. */
function gpuTrainer(): Promise<{ gpu: GpuAvailability; trainer?: GpuTrainer }> {
  gpuSide ??= (async () => {
    try {
      const gpu = await acquireGpu((navigator as Navigator & { gpu?: GPU }).gpu, BROWSER_NO_ADAPTER_FIX);
      const trainer = await GpuTrainer.create(gpu, trainShader, mlpShader, foldShader);
      await trainer.pipeline('sigmoid');
      void gpu.lost.then(() => { gpuSide = undefined; }); // any loss, idle or mid-run: the next run asks for a new device
      return { gpu: { adapter: gpu.adapter, isFallback: gpu.isFallback }, trainer };
    } catch (e) {
      return { gpu: { missing: (e as Error).message } };
    }
  })();
  return gpuSide;
}

/** The pool of CPU workers, one per core, started once (tried again after a failure). */
const cpuPool = () => (pool ??= createBrowserPool(threads).catch((e: Error) => { pool = undefined; throw e; }));

/** This worker's own kernel instance (traces, small comparisons). */
const ownKernel = () => (kernel ??= loadKernelModule().then((m) => WasmKernel.create(m)).catch((e: Error) => { kernel = undefined; throw e; }));

/** Every row's buffer (a replica sweep's summaries too), to transfer rather than copy. */
const buffersOf = (o: SweepOutputs) => rowsOf(o).map((r) => outputArray(o, r.name as AnyOutputName)!.buffer as ArrayBuffer);

/** float64 on `cells` of `spec` with this worker's own kernel, at once (no pool, no progress): for small jobs. */
async function inThread(spec: SweepSpec, cells: Int32Array): Promise<RunResult> {
  const kernel = await ownKernel();
  const start = performance.now();
  const compact = kernel.train(spec, 'float64', cells.length, (setups) => writeCellSetups(spec, 0, cells.length, setups, cells), usesMomentum(spec));
  const outputs = allocateOutputs(gridSize(spec).cells);
  for (const name of OUTPUT_NAMES) cells.forEach((cell, j) => { outputs[name][cell] = compact[name][j]; });
  const elapsedMs = performance.now() - start;
  return { outputs, status: 'complete', cellsDone: cells.length, elapsedMs, networkStepsPerSecond: rate(cells.length, spec.steps, elapsedMs) };
}

const api = {
  /** Sets the CPU engine's threads (the library's `threads` option); before the first init, run or reference. */
  useThreads(count: number): void {
    if (pool) throw new Error('useThreads comes before the CPU pool starts');
    threads = count;
  },

  /** Finds what can run sweeps here (WebGPU adapter, CPU threads) and what 'auto' chooses. */
  async init(): Promise<Capabilities> {
    const [{ gpu }, missing] = await Promise.all([gpuTrainer(), cpuPool().then((p) => p.ready()).then(() => undefined, (e: Error) => e.message)]);
    cpuMissing = missing;
    return { gpu, threads, cpuMissing, auto: chooseDevice('auto', gpu, threads, cpuMissing) };
  },

  /** Runs a sweep; onProgress gets the newly finished cells. Cancel keeps what is finished. */
  async run(spec: SweepSpec, request: RunRequest, onProgress: (p: SweepProgress) => void): Promise<SweepRunResult> {
    // The controller first: a Cancel while the device is still being found (after a loss) must reach this run.
    controller?.abort();
    const own = (controller = new AbortController());
    const asked = request.arithmetic ?? 'auto';
    // float64 runs on the CPU: it leaves the GPU alone (a library sweep with backend 'cpu' never starts it).
    const { gpu, trainer } = asked === 'float64' ? { gpu: { missing: 'not asked for' }, trainer: undefined } : await gpuTrainer();
    const useGpu = trainer !== undefined && (asked === 'float32' || (asked === 'auto' && chooseDevice('auto', gpu, threads, cpuMissing).device === 'webgpu'));
    const arithmetic: Arithmetic = asked === 'float32' ? 'float32' : 'float64';
    let reported = 0;
    const report = (p: RunProgress) => {
      const { outputs, ...counters } = p;
      const fresh = p.cellsDone > reported ? { first: reported, outputs: outputsAt(outputs, reported, p.cellsDone, request.cellOrder) } : undefined;
      reported = p.cellsDone;
      onProgress(fresh ? Comlink.transfer({ ...counters, fresh }, buffersOf(fresh.outputs)) : counters);
    };
    let result: RunResult & { lossHistory?: Float32Array; error?: string };
    const options = { signal: own.signal, onProgress: report, cellOrder: request.cellOrder };
    try {
      result = useGpu
        ? await trainer.run(spec, { ...options, recordLoss: request.recordLoss, tileCells: request.tileCells, firstTileCells: request.firstTileCells })
        : await (await cpuPool()).run(spec, arithmetic, { ...options, chunkNetworks: PAGE_CHUNK_NETWORKS });
    } catch (e) {
      if (!(e instanceof SweepInterruptedError)) throw e;
      trainer?.gpu.device.destroy(); // lost, or in an error state that would fail every later run
      gpuSide = undefined; // the next run asks for a new device
      result = { ...e.partial, error: e.message };
    }
    const oracle = isMlp(spec) && arithmetic === 'float32' ? { oracle: true as const } : {};
    const ranOn: RanOn = useGpu ? { device: 'webgpu', adapter: trainer.gpu.adapter } : { device: 'cpu', threads, arithmetic, ...oracle };
    const transfers = [...buffersOf(result.outputs), ...(result.lossHistory ? [result.lossHistory.buffer as ArrayBuffer] : [])];
    return Comlink.transfer({ ...result, ranOn }, transfers);
  },

  /** The float64 CPU engine on the given cells (all when omitted), for the GPU-vs-CPU comparison and spot checks. */
  async reference(spec: SweepSpec, cellIndices: Int32Array | undefined, onProgress: (cellsDone: number, cells: number) => void): Promise<RunResult> {
    controller?.abort();
    const own = (controller = new AbortController());
    const { cells } = gridSize(spec);
    const count = cellIndices?.length ?? cells;
    // This thread's kernel trains the course only: MLP cells go to the pool (its WebAssembly MLP kernel).
    // A replica sweep's cells go to the pool too, which trains each cell's replicas and folds them (runReplicas).
    const result = count * spec.steps <= IN_THREAD_NETWORK_STEPS && !isMlp(spec) && !spec.replicas
      ? await inThread(spec, cellIndices ?? Int32Array.from({ length: cells }, (_, i) => i))
      : await (await cpuPool()).run(spec, 'float64', { signal: own.signal, cellOrder: cellIndices, onProgress: (p) => onProgress(p.cellsDone, p.cells), chunkNetworks: PAGE_CHUNK_NETWORKS });
    return Comlink.transfer(result, buffersOf(result.outputs));
  },

  /**
   * Replays one network on the CPU engine (`cell`: a network index, cell · R + r in a replica sweep, the cell in a plain
   * one): k, loss[k] and w1 … w8 every `every` steps (CellTrace.rows), off the main thread.
   */
  async trace(spec: SweepSpec, cell: number, arithmetic: Arithmetic, every = 1): Promise<CellTrace> {
    if (isMlp(spec)) throw new Error('an MLP cell is replayed by traceMlp (the course kernel would read its set-up as a course cell)');
    const trace = (await ownKernel()).trace(spec, arithmetic, cellSetup(spec, cell), every);
    return Comlink.transfer(trace, [trace.rows.buffer as ArrayBuffer]);
  },

  /**
   * Replays one MLP network (`cell`: a network index, as trace's) in float64 on the MLP's TypeScript oracle (the CPU
   * engine's bits): k, loss[k], ‖W0‖, ‖W1‖ every `every` steps (MlpTrace.rows), off the main thread.
   */
  async traceMlp(spec: MlpSweepSpec, cell: number, every = 1): Promise<MlpTrace> {
    const trace = traceMlpCell(spec, cell, every);
    return Comlink.transfer(trace, [trace.rows.buffer as ArrayBuffer]);
  },

  /**
   * Replays cell `cell` of a replica sweep in float64, every replica while replayPlan's budget allows (about 1.5 s):
   * each replica's losses on the kept steps and its outputs (src/core/replica-traces.ts), for the inspector's curves.
   */
  async traceReplicas(spec: SweepSpec, cell: number): Promise<ReplicaTraces> {
    let replayOne: (network: number, every: number) => NetworkReplay;
    if (isMlp(spec)) {
      const problem = mlpProblem(spec);
      replayOne = (j, every) => ({ ...traceMlpCell(spec, j, every, 'float64', problem), rowLength: MLP_TRACE_ROW_LENGTH });
    } else {
      const own = await ownKernel();
      replayOne = (j, every) => ({ ...own.trace(spec, 'float64', cellSetup(spec, j), every), rowLength: TRACE_ROW_LENGTH });
    }
    const traces = replayReplicas(spec, cell, replayOne);
    return Comlink.transfer(traces, [traces.k.buffer as ArrayBuffer, traces.loss.buffer as ArrayBuffer, traces.median.buffer as ArrayBuffer, ...buffersOf(traces.outputs)]);
  },

  /** Stops the current run or reference at its next chunk or block. */
  cancel(): void {
    controller?.abort();
  },
};

export type SweepWorkerApi = typeof api;
Comlink.expose(api);
