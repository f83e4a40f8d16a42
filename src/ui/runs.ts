/**
 * The runs of the sweep view: owns each view's data (outputs and which cells are computed, in refinement order), starts,
 * continues and cancels its runs on the sweep worker, and reports them to the store as actions carrying the run's id.
 * Finished and stopped views are kept (a few, by cells), so Back and Forward show them at once, and a stopped one can
 * be continued from where it stood.
 */
import type { Arithmetic, ArithmeticChoice } from '../core/arithmetic';
import { gridSize } from '../core/grid';
import { allocateOutputs, copyCell, type SweepOutputs } from '../core/outputs';
import { completedStride, refinementPlan, type RefinementPlan } from '../core/refine';
import { rate } from '../core/run';
import { replicaCount, type SweepSpec } from '../core/spec';
import type { SweepProgress, SweepRunResult } from '../worker/sweep.worker';
import { resolveArithmetic, type RunCounters } from './state';
import type { Store } from './store';
import { proxy, type SweepWorker } from './sweep-client';

/** Cells of a view's first pass (and first GPU tile): a 32 × 32 picture arrives after ~1/1000 of a 1024² view. */
const FIRST_PASS_CELLS = 1024;
/** Views kept for Back and Forward: at most this many, and this many cells (24 bytes and more each). */
const KEEP = { views: 8, cells: 4 * 1024 * 1024 };

/** A view's data: its cells computed so far, in plan order (the first `cellsDone` of plan.order). */
export interface ViewData {
  key: string;
  spec: SweepSpec;
  arithmetic: Arithmetic;
  plan: RefinementPlan;
  outputs: SweepOutputs;
  /** 1 for each computed cell (row-major). */
  computed: Uint8Array;
  /** Cells of plan.order computed (a prefix of it). */
  cellsDone: number;
  /** The last run's result, joined to the earlier runs' (elapsed time and speed over all of them). */
  result?: SweepRunResult;
}

/** The key of a view: its spec and arithmetic choice, as its link has them. */
export const viewKey = (spec: SweepSpec, arithmetic: ArithmeticChoice) => `${arithmetic}:${JSON.stringify(spec)}`;

export class Runs {
  private readonly kept = new Map<string, ViewData>();
  private lastId = 0;
  private lastPlan: RefinementPlan | undefined;
  /** Runs in flight on the worker (a superseded one may still be finishing). */
  private inFlight = 0;
  /** Counts show() calls: one that waited gives up when another was made meanwhile. */
  private opened = 0;
  /** The view on screen. */
  current: ViewData | undefined;

  /** @param ready resolves to whether the worker started (and the store holds its capabilities) */
  constructor(private readonly store: Store, private readonly worker: SweepWorker, private readonly ready: Promise<boolean>) {}

  /** The refinement plan of an nx × ny view; zooms keep the counts, so a trail reuses one plan. */
  private planFor(nx: number, ny: number): RefinementPlan {
    if (this.lastPlan?.nx !== nx || this.lastPlan.ny !== ny) this.lastPlan = refinementPlan(nx, ny, FIRST_PASS_CELLS);
    return this.lastPlan;
  }

  /**
   * Shows the view of `spec` in `arithmetic`: a kept one as it was (finished, or stopped with Continue offered), else a
   * new one, run at once (`fresh`: run even a kept one again); a run in flight for another view is cancelled (and its
   * view kept as it stands). The store must already hold the view (action 'open'). A finished view asked for again
   * under another convergence rule is not computed again: the rule only classifies its outputs (a replica view's is:
   * its counts are folded under the rule).
   */
  async show(spec: SweepSpec, arithmetic: ArithmeticChoice, fresh = false): Promise<void> {
    const token = ++this.opened;
    const reclassified = this.underAnotherRule(spec, arithmetic);
    if (reclassified) this.kept.set(reclassified.key, reclassified);
    else if (fresh) this.kept.delete(viewKey(spec, arithmetic)); // Run computes again, even a view the page kept
    if (this.inFlight) await this.worker.cancel();
    // 'auto' needs the worker's findings; when the worker could not start, the page says so already.
    if (!(await this.ready) || token !== this.opened) return; // or another view was opened meanwhile
    const key = viewKey(spec, arithmetic);
    const kept = this.kept.get(key);
    const { nx, ny, cells } = gridSize(spec);
    const view = kept ?? { key, spec, arithmetic: resolveArithmetic(arithmetic, this.store.get().capabilities, spec), plan: this.planFor(nx, ny), outputs: allocateOutputs(cells, spec.replicas !== undefined), computed: new Uint8Array(cells), cellsDone: 0 };
    this.current = view;
    if (!kept) { await this.run(view); return; }
    this.keep(kept); // most recently used
    const id = ++this.lastId;
    this.store.dispatch({ type: 'run-started', id, arithmetic: kept.arithmetic });
    this.store.dispatch({ type: 'run-ended', id, phase: phaseOf(kept.result), counters: countersOf(kept, kept.result?.elapsedMs ?? 0), message: kept.result?.error });
  }

  /** Computes the cells of `view` not done yet (all, for a new one), on its engine; reports to the store. */
  async run(view: ViewData): Promise<void> {
    const id = ++this.lastId;
    const { cells } = gridSize(view.spec);
    const offset = view.cellsDone, previous = view.result;
    const order = view.plan.order.subarray(offset);
    this.store.dispatch({ type: 'run-started', id, arithmetic: view.arithmetic, counters: countersOf(view, previous?.elapsedMs ?? 0) });
    performance.mark('sweep-start'); // with 'sweep-first-cells': the latency to the first partial heatmap (npm run bench)
    const onProgress = (p: SweepProgress) => {
      if (p.fresh) {
        const { first, outputs: fresh } = p.fresh;
        for (let j = 0; j < fresh.finalLoss.length; j++) {
          const cell = view.plan.order[offset + first + j];
          copyCell(fresh, j, view.outputs, cell); // every row, a replica sweep's summaries included
          view.computed[cell] = 1;
        }
        view.cellsDone = Math.max(view.cellsDone, offset + first + fresh.finalLoss.length);
      }
      this.store.dispatch({ type: 'run-progress', id, counters: { ...countersOf(view, (previous?.elapsedMs ?? 0) + p.elapsedMs), networkStepsDone: offset * replicaCount(view.spec) * view.spec.steps + p.networkStepsDone } });
    };
    // Tiles of at most a sixteenth of the sweep, starting with the first pass and doubling.
    const tileCells = Math.min(1 << 20, Math.max(4096, Math.ceil(cells / 16)));
    let fresh: SweepRunResult;
    this.inFlight++;
    try {
      fresh = await this.worker.run(view.spec, { arithmetic: view.arithmetic, tileCells, firstTileCells: offset ? undefined : view.plan.passEnds[0], cellOrder: order }, proxy(onProgress));
    } catch (e) {
      this.store.dispatch({ type: 'run-ended', id, phase: 'failed', message: `The sweep failed: ${(e as Error).message}` });
      return;
    } finally {
      this.inFlight--;
    }
    for (let k = 0; k < fresh.cellsDone; k++) {
      const cell = order[k];
      copyCell(fresh.outputs, cell, view.outputs, cell);
      view.computed[cell] = 1;
    }
    view.cellsDone = offset + fresh.cellsDone;
    const elapsedMs = (previous?.elapsedMs ?? 0) + fresh.elapsedMs;
    view.result = { ...fresh, outputs: view.outputs, cellsDone: view.cellsDone, elapsedMs, status: view.cellsDone === cells ? 'complete' : fresh.status, networkStepsPerSecond: rate(view.cellsDone * replicaCount(view.spec), view.spec.steps, elapsedMs) };
    this.keep(view);
    this.store.dispatch({ type: 'run-ended', id, phase: phaseOf(view.result), counters: countersOf(view, elapsedMs), message: fresh.error });
  }

  /** Leaves the view on screen (a link that cannot run): its run stops and no view is current. */
  leave(): void {
    this.opened++; // a show() waiting for a cancel gives up
    if (this.inFlight) void this.worker.cancel();
    this.current = undefined;
  }

  /** Computes the cells of the view on screen not done yet, when it stopped short (cancelled or interrupted). */
  async continue(): Promise<void> {
    const view = this.current;
    if (!view || this.inFlight || view.cellsDone === view.computed.length) return;
    await this.run(view);
  }

  /** Stops the run at its next chunk or block; what is done is kept, and Continue computes the rest. */
  cancel(): Promise<void> {
    return this.worker.cancel();
  }

  /** The finished view on screen as the view of `spec`, when the two differ only in their convergence rule. */
  private underAnotherRule(spec: SweepSpec, arithmetic: ArithmeticChoice): ViewData | undefined {
    const view = this.current;
    // A replica sweep's counts and medians are folded under the rule when trained: another rule computes them again.
    if (!view || view.spec.convergence === spec.convergence || view.cellsDone < view.computed.length || spec.replicas) return undefined;
    if (view.key !== viewKey({ ...spec, convergence: view.spec.convergence }, arithmetic)) return undefined;
    return { ...view, key: viewKey(spec, arithmetic), spec };
  }

  /** Keeps `view` for Back and Forward, dropping the least recently used beyond KEEP. */
  private keep(view: ViewData): void {
    this.kept.delete(view.key);
    this.kept.set(view.key, view);
    let cells = 0;
    for (const v of this.kept.values()) cells += v.computed.length;
    for (const [key, v] of this.kept) {
      if (this.kept.size <= KEEP.views && cells <= KEEP.cells) break;
      if (v === this.current) continue;
      this.kept.delete(key);
      cells -= v.computed.length;
    }
  }
}

/** The phase a run result leaves its view in. */
function phaseOf(result: SweepRunResult | undefined): 'finished' | 'cancelled' | 'failed' {
  if (!result) return 'cancelled';
  if (result.error) return 'failed';
  return result.status === 'complete' ? 'finished' : 'cancelled';
}

/** A view's counters now (networkStepsDone of its cells done; a replica sweep's cells count R networks each). */
function countersOf(view: ViewData, elapsedMs: number): RunCounters {
  const { cells } = gridSize(view.spec), networkSteps = replicaCount(view.spec) * view.spec.steps;
  const stride = completedStride(view.plan, view.cellsDone);
  const pass = stride === undefined ? 0 : view.plan.strides.indexOf(stride) + 1;
  return { cellsDone: view.cellsDone, cells, networkStepsDone: view.cellsDone * networkSteps, networkSteps: cells * networkSteps, elapsedMs, pass, passes: view.plan.strides.length };
}
