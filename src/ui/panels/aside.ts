/**
 * Jobs beside the view (Compare, A/B, the zoom movie) share one worker, which runs one thing at a time: a job marks
 * itself in the store (state.aside) while it runs, and their buttons are enabled only on a view that has a result,
 * while nothing else runs.
 */
import type { Arithmetic } from '../../core/arithmetic';
import type { SweepSpec } from '../../core/spec';
import type { SweepRunResult } from '../../worker/sweep.worker';
import { byId } from '../dom';
import type { Runs, ViewData } from '../runs';
import type { PageState } from '../state';
import type { Store } from '../store';
import { proxy, type SweepWorker } from '../sweep-client';

export interface Aside {
  /** The view on screen. */
  current(): ViewData | undefined;
  /** Runs `work` as `job`, the other jobs' buttons disabled meanwhile. */
  exclusive<T>(job: NonNullable<PageState['aside']>, work: () => Promise<T>): Promise<T>;
  /** Trains `spec` on the aside worker in `arithmetic` (the view's, so that A/B and movie frames match it). */
  run(spec: SweepSpec, arithmetic: Arithmetic): Promise<SweepRunResult>;
  readonly worker: SweepWorker;
}

const JOB_BUTTONS = ['compare', 'ab-run', 'movie-make'];

export function createAside(store: Store, runs: Runs, worker: SweepWorker): Aside {
  store.subscribe((s) => [s.run.phase, s.aside], () => {
    const { run, aside } = store.get();
    for (const id of JOB_BUTTONS) byId(id, HTMLButtonElement).disabled = run.phase === 'running' || aside !== undefined || !runs.current?.result;
  });
  return {
    current: () => runs.current,
    async exclusive(job, work) {
      store.dispatch({ type: 'aside', job });
      try {
        return await work();
      } finally {
        store.dispatch({ type: 'aside', job: undefined });
      }
    },
    run: (spec, arithmetic) => worker.run(spec, { arithmetic }, proxy(() => undefined)),
    worker,
  };
}
