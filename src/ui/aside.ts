/** What the A/B and zoom-movie panels need from the page: the view on screen and the shared comparer worker. */
import type { SweepOutputs } from '../core/outputs';
import type { SweepSpec } from '../core/spec';
import type { SweepRunResult } from '../worker/sweep.worker';
import type { Engine } from './url-state';

/** The view on screen (finished when `result` is set). */
export interface ShownView { spec: SweepSpec; outputs: SweepOutputs; engine: Engine; result?: SweepRunResult }

export interface Aside {
  current(): ShownView | undefined;
  /** Runs `job` with the other jobs of the comparer worker (Compare, A/B, movie) disabled meanwhile. */
  exclusive<T>(job: () => Promise<T>): Promise<T>;
  /** Trains `spec` on the comparer worker in `engine`'s arithmetic (the view's, so that A/B and movie frames match it). */
  run(spec: SweepSpec, engine: Engine): Promise<SweepRunResult>;
}
