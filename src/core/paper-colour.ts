/**
 * The fractal paper's colouring of its score (Sohl-Dickstein 2024, the notebook's `cdf_img` with `cmap='Spectral'`):
 * negative scores (converged) and non-negative ones (not) are histogram-equalised separately onto [−1, −0.25] and
 * [0.25, 1], the sign flipped so that converged cells lie above 0, and drawn with the Spectral map (−1 red, +1 blue).
 * Pure: the page's heatmap and the command line's figures draw the same colours.
 */
import { interpolateSpectral } from 'd3-scale-chromatic';

/** The gap the notebook leaves around 0 between the two signs (its `buffer`). */
export const PAPER_BUFFER = 0.25;

/**
 * Each score's equalised position in [−1, 1] (NaN where the score is not finite, e.g. a cell not computed): with the
 * finite scores sorted, the j-th of the `neg` negative ones maps to −1 + (1 − buffer)·j/(neg − 1) and the j-th of the
 * others to buffer + (1 − buffer)·j/(rest − 1); equal scores share the position of the first of them; then the sign is
 * flipped (converged positive). A sign class of one value maps to its lower end.
 */
export function equalizedScores(scores: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(Array.prototype.filter.call(scores, Number.isFinite) as number[]).sort();
  const neg = lowerBound(sorted, 0), rest = sorted.length - neg;
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i];
    if (!Number.isFinite(v)) { out[i] = NaN; continue; }
    const j = lowerBound(sorted, v);
    const y = v < 0
      ? -1 + (1 - PAPER_BUFFER) * (neg > 1 ? j / (neg - 1) : 0)
      : PAPER_BUFFER + (1 - PAPER_BUFFER) * (rest > 1 ? (j - neg) / (rest - 1) : 0);
    out[i] = -y;
  }
  return out;
}

/** First index of `sorted` whose value is ≥ v. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** The Spectral colour of an equalised position y ∈ [−1, 1] (−1 red: not converged, +1 blue: converged), as [r, g, b]. */
export function spectral(y: number): [number, number, number] {
  const t = Math.max(0, Math.min(1, (y + 1) / 2));
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(interpolateSpectral(t))!;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}
