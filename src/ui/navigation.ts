/**
 * The page's history: every new view (a zoom, a link, the form, a ready-made sweep) is a new entry whose URL is written
 * from the state (url-table.ts), and so is each MNIST run (Train); a change within a view (the metric, the inspected
 * cell, the outline, the course preset, the selected MNIST copy) replaces the entry. Each entry carries its index on the page's own trail, so in-app Back and Forward are
 * disabled at the ends of it and never leave the app; the trail's end survives a reload (sessionStorage).
 */
import type { Runs } from './runs';
import { viewKey } from './runs';
import type { Action, ViewState } from './state';
import type { Store } from './store';
import { readUrl, writeUrl, type UrlReading } from './url-table';

/** sessionStorage key of the trail's last index. */
const LAST = 'backprop-sweeper.trail-last';

const trailOf = (entry: unknown): number | undefined => {
  const index = (entry as { trail?: unknown } | null)?.trail;
  return typeof index === 'number' ? index : undefined;
};

export class Navigation {
  constructor(private readonly store: Store, private readonly runs: Runs) {
    window.addEventListener('popstate', (e) => {
      const index = trailOf(e.state);
      if (index === undefined) return; // an entry that is not the page's: hashchange handles an edited fragment
      this.setTrail(index, Math.max(index, this.store.get().trail.last));
      this.apply(readUrl(location.search, location.hash));
    });
    // An edited fragment (#spec=…) is a new entry without a trail index: a new view at the end of the trail.
    window.addEventListener('hashchange', () => {
      if (trailOf(history.state) !== undefined) return;
      this.mark(this.store.get().trail.index + 1);
      this.apply(readUrl(location.search, location.hash));
    });
  }

  /** Shows what the URL says: at load, or after a reload (which keeps the trail index of its entry). */
  start(): void {
    const index = trailOf(history.state);
    if (index === undefined) this.mark(0);
    else this.setTrail(index, Math.max(index, Number(sessionStorage.getItem(LAST) ?? index)));
    this.apply(readUrl(location.search, location.hash));
  }

  /**
   * Opens a new view (a new history entry) and runs it, or shows it at once when the page kept it (unless `fresh`: the
   * Run button computes again).
   */
  open(view: ViewState, extras: Partial<Pick<Extract<Action, { type: 'open' }>, 'metric' | 'inspected' | 'outline'>> = {}, fresh = false): void {
    this.store.dispatch({ type: 'open', view, ...extras });
    this.push();
    void this.runs.show(view.spec, view.arithmetic, fresh);
  }

  /** Applies a change within the view and writes it into the current entry. */
  update(action: Action): void {
    this.store.dispatch(action);
    history.replaceState({ trail: this.store.get().trail.index }, '', writeUrl(this.store.get()));
  }

  /** Applies a change that deserves its own entry (switching tabs); none when the URL stays the same. */
  go(action: Action): void {
    this.store.dispatch(action);
    const next = new URL(writeUrl(this.store.get()), location.href);
    if (next.search + next.hash === location.search + location.hash) return;
    this.push();
  }

  /** Applies a change that is a new entry even when the URL stays the same (Train on the MNIST view: a new run). */
  record(action: Action): void {
    this.store.dispatch(action);
    this.push();
  }

  back(): void {
    if (this.store.get().trail.index > 0) history.back();
  }

  forward(): void {
    const { index, last } = this.store.get().trail;
    if (index < last) history.forward();
  }

  private push(): void {
    const index = this.store.get().trail.index + 1;
    history.pushState({ trail: index }, '', writeUrl(this.store.get()));
    this.setTrail(index, index); // a new entry ends the trail: the entries that were forward of it are gone
  }

  /** Marks the current entry as `index`, the trail's last. */
  private mark(index: number): void {
    history.replaceState({ trail: index }, '', location.href);
    this.setTrail(index, index);
  }

  private setTrail(index: number, last: number): void {
    sessionStorage.setItem(LAST, String(last));
    this.store.dispatch({ type: 'trail', index, last });
  }

  /** Whether `view` is the view the page holds and has started (its run is the store's): then it is shown as it stands. */
  private onPage(view: ViewState): boolean {
    const { view: held, run } = this.store.get(), key = viewKey(view.spec, view.arithmetic);
    return held !== undefined && viewKey(held.spec, held.arithmetic) === key && run.id !== 0 && this.runs.current?.key === key;
  }

  /** Brings the state to what `reading` says (no new entry). */
  private apply(r: UrlReading): void {
    const { store, runs } = this;
    if (r.tab === 'course') {
      store.dispatch({ type: 'course', preset: r.coursePreset });
    } else if (r.tab === 'mnist') {
      store.dispatch(r.mnist);
    } else if (!r.view) {
      runs.leave(); // nothing runs under a link that cannot
      store.dispatch({ type: 'bad-link', errors: r.specErrors, rejected: r.rejected });
    } else if (this.onPage(r.view)) {
      // The view already on the page (a tab switch, or a metric or cell changed): shown as it stands, running or not.
      store.dispatch({ type: 'sweep-tab' });
      for (const action of [{ type: 'metric', metric: r.metric }, { type: 'inspect', cell: r.inspected }, { type: 'outline', on: r.outline }, { type: 'pins', pins: r.pins }] as const) store.dispatch(action);
      store.dispatch({ type: 'lock-scale', scale: r.lockedScale });
    } else {
      store.dispatch({ type: 'open', view: r.view, metric: r.metric, inspected: r.inspected, outline: r.outline, pins: r.pins });
      store.dispatch({ type: 'lock-scale', scale: r.lockedScale });
      void runs.show(r.view.spec, r.view.arithmetic);
    }
    store.dispatch({ type: 'link-notes', notes: r.linkNotes });
  }
}
