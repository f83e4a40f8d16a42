/**
 * The page's state in the URL: `?spec=<URI-encoded JSON>` holds the sweep, so a shared link reproduces it. Pure.
 */
import { parseSpecText, type SpecResult, type SweepSpec } from '../core/spec';

/** What the URL asks for: no spec (the opening view), or a spec that parsed or failed with its messages. */
export type UrlState = { view: 'course' } | { view: 'sweep'; result: SpecResult; text: string };

/** Reads `location.search`. */
export function readUrlState(search: string): UrlState {
  const text = new URLSearchParams(search).get('spec');
  if (text === null) return { view: 'course' };
  return { view: 'sweep', result: parseSpecText(text), text };
}

/** The query string for a spec (compact JSON, URI-encoded). */
export function specQuery(spec: SweepSpec | Record<string, unknown>): string {
  return `?spec=${encodeURIComponent(JSON.stringify(spec))}`;
}
