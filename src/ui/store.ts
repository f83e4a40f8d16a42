/**
 * The page's one store: holds the state, applies actions through `reduce`, and tells each subscriber when the part it
 * selected changed: compared by identity, or element by element when the selector returns an array (so a selector
 * returns parts of the state, values, or a list of them).
 */
import { reduce, type Action, type PageState } from './state';

type Listener = () => void;

export class Store {
  private listeners = new Set<{ select: (s: PageState) => unknown; last: unknown; listener: Listener }>();

  constructor(private state: PageState) {}

  get(): PageState {
    return this.state;
  }

  /** Applies `action`; subscribers whose selection changed are told, in the order they subscribed. */
  dispatch(action: Action): void {
    const next = reduce(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const entry of [...this.listeners]) {
      const value = entry.select(this.state); // the latest: a listener may have dispatched meanwhile
      if (same(value, entry.last)) continue;
      entry.last = value;
      entry.listener();
    }
  }

  /** Calls `listener` now and whenever `select(state)` changes; returns the unsubscribe function. */
  subscribe(select: (s: PageState) => unknown, listener: Listener): () => void {
    const entry = { select, last: select(this.state), listener };
    this.listeners.add(entry);
    listener();
    return () => this.listeners.delete(entry);
  }
}

/** Identity, or for two arrays the identity of every element. */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  return Object.is(a, b);
}
