/**
 * The page's state in the URL: `?spec=<URI-encoded JSON>` holds the sweep (the view: zooming narrows its axes), and
 * `&engine=float64` picks the float64 CPU reference instead of the float32 GPU kernel, so a shared link reproduces
 * the view exactly. Pure.
 */
import { parseSpecText, type SpecResult, type SweepSpec } from '../core/spec';

/** Which engine computes a view: the float32 WGSL kernel, or the float64 reference (deep zooms). */
export type Engine = 'float32' | 'float64';

/** What the URL asks for: no spec (the opening view), or a spec that parsed or failed with its messages. */
export type UrlState = { view: 'course' } | { view: 'sweep'; result: SpecResult; text: string; engine: Engine; engineError?: string };

/** Reads `location.search`. */
export function readUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const text = params.get('spec');
  if (text === null) return { view: 'course' };
  const engine = params.get('engine');
  const known = engine === null || engine === 'float32' || engine === 'float64';
  return {
    view: 'sweep', result: parseSpecText(text), text, engine: engine === 'float64' ? 'float64' : 'float32',
    ...(known ? {} : { engineError: `engine: "${engine}" is not an engine; use float32 (the GPU) or float64 (the CPU reference). Running on float32.` }),
  };
}

/** The query string for a spec (compact JSON, URI-encoded), with the engine when it is not the default. */
export function specQuery(spec: SweepSpec | Record<string, unknown>, engine: Engine = 'float32'): string {
  return `?spec=${encodeURIComponent(JSON.stringify(spec))}${engine === 'float64' ? '&engine=float64' : ''}`;
}
