/**
 * The page's state in the URL: `?spec=<URI-encoded JSON>` holds the sweep (the view: zooming narrows its axes), and
 * `&engine=float32|float64` the arithmetic when the user chose one, so a shared link reproduces the view. Without it
 * the page picks for the machine (the GPU, unless it is missing or a CPU emulation), so the same link may open in
 * float32 on one machine and float64 on another: choose an engine to pin it. Pure.
 */
import { parseSpecText, type SpecResult, type SweepSpec } from '../core/spec';

/** The arithmetic of a view: float32 (the WGSL kernel, or the CPU engine rounding like it) or float64 (the CPU engine). */
export type Engine = 'float32' | 'float64';
/** An engine the user chose, or 'auto': the page's choice. */
export type EngineChoice = Engine | 'auto';

/** What the URL asks for: no spec (the opening view), or a spec that parsed or failed with its messages. */
export type UrlState = { view: 'course' } | { view: 'sweep'; result: SpecResult; text: string; engine: EngineChoice; engineError?: string };

/**
 * Longest query a link puts the spec in: servers refuse request lines much past 8–16 KB (vite answers 431), so a
 * longer spec (a long `values` list) goes into the fragment (#spec=…), which never leaves the browser.
 */
export const MAX_QUERY_LENGTH = 8000;

/** Reads the state from `location.search`, or from `location.hash` when the spec is there (long links). */
export function readUrlState(search: string, hash = ''): UrlState {
  const params = new URLSearchParams(hash.startsWith('#spec=') ? hash.slice(1) : search);
  const text = params.get('spec');
  if (text === null) return { view: 'course' };
  const engine = params.get('engine');
  const known = engine === null || engine === 'float32' || engine === 'float64';
  return {
    view: 'sweep', result: parseSpecText(text), text, engine: engine === 'float64' || engine === 'float32' ? engine : 'auto',
    ...(known ? {} : { engineError: `engine: "${engine}" is not an engine; use float32 (the GPU) or float64 (the CPU engine), or leave it out to let the page choose. Running on the page's choice.` }),
  };
}

/**
 * The link of a spec, relative to the page, for history.pushState: `?spec=<compact JSON, URI-encoded>` with the
 * engine when the user chose one; a spec longer than MAX_QUERY_LENGTH goes into the fragment instead (`?#spec=…`).
 */
export function specQuery(spec: SweepSpec | Record<string, unknown>, engine: EngineChoice = 'auto'): string {
  const state = `spec=${encodeURIComponent(JSON.stringify(spec))}${engine === 'auto' ? '' : `&engine=${engine}`}`;
  return state.length < MAX_QUERY_LENGTH ? `?${state}` : `?#${state}`;
}
