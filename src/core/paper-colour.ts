/**
 * The fractal paper's colouring of its score (Sohl-Dickstein 2024, the notebook's `cdf_img` with `cmap='Spectral'`):
 * negative scores (converged) and non-negative ones (not) are histogram-equalised separately onto [−1, −0.25] and
 * [0.25, 1], the sign flipped so that converged cells lie above 0, and drawn with the Spectral map (−1 red, +1 blue).
 * Pure: the page's heatmap and the command line's figures draw the same colours.
 */
import { interpolateSpectral } from 'd3-scale-chromatic';

/** The gap the notebook leaves around 0 between the two signs (its `buffer`). */
export const PAPER_BUFFER = 0.25;

/** What equalising needs of a set of scores: the finite ones sorted ascending, and how many of them are negative. */
export interface ScoreRanks { sorted: Float64Array; negatives: number }

/** The ranks of `scores` (non-finite ones, e.g. cells not computed, left out). */
export function scoreRanks(scores: ArrayLike<number>): ScoreRanks {
  const sorted = Float64Array.from(Array.prototype.filter.call(scores, Number.isFinite) as number[]).sort();
  return { sorted, negatives: lowerBound(sorted, 0) };
}

/**
 * The equalised position in [−1, 1] of a score v under `ranks` (NaN when v is not finite): with j the index of the
 * first sorted score ≥ v, a negative v maps to −1 + (1 − buffer)·j/(neg − 1) and any other to
 * buffer + (1 − buffer)·(j − neg)/(rest − 1), then the sign is flipped (converged positive). Equal scores share the
 * position of the first of them; a sign class of one value maps to its lower end. A v not among the ranks (a cell that
 * arrived after they were taken) takes the position of the next score up, clamped to its sign's band.
 */
export function equalizedPosition(ranks: ScoreRanks, v: number): number {
  if (!Number.isFinite(v)) return NaN;
  const { sorted, negatives: neg } = ranks, rest = sorted.length - neg;
  const j = lowerBound(sorted, v), band = 1 - PAPER_BUFFER;
  const y = v < 0
    ? -1 + band * (neg > 1 ? Math.min(j, neg - 1) / (neg - 1) : 0)
    : PAPER_BUFFER + band * (rest > 1 ? Math.min(Math.max(j - neg, 0), rest - 1) / (rest - 1) : 0);
  return -y;
}

/** Each score's equalised position in [−1, 1] (equalizedPosition under the ranks of all of them; NaN where not finite). */
export function equalizedScores(scores: ArrayLike<number>): Float64Array {
  const ranks = scoreRanks(scores);
  return Float64Array.from({ length: scores.length }, (_, i) => equalizedPosition(ranks, scores[i]));
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

/** Entries of the Spectral table over [−1, 1]: a million cells are coloured without parsing a million CSS strings. */
const SPECTRAL_STEPS = 1024;
let table: Uint8Array | undefined;

/**
 * The Spectral colour of an equalised position y ∈ [−1, 1] (−1 red: not converged, +1 blue: converged), as [r, g, b]:
 * d3's interpolateSpectral at (y + 1) / 2, taken from a table of SPECTRAL_STEPS entries (y clamped to [−1, 1]).
 */
export function spectral(y: number): [number, number, number] {
  if (!table) {
    table = new Uint8Array(3 * SPECTRAL_STEPS);
    for (let i = 0; i < SPECTRAL_STEPS; i++) {
      const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(interpolateSpectral(i / (SPECTRAL_STEPS - 1)))!;
      table.set([Number(m[1]), Number(m[2]), Number(m[3])], 3 * i);
    }
  }
  const t = Math.max(0, Math.min(1, (y + 1) / 2)), i = 3 * Math.round(t * (SPECTRAL_STEPS - 1));
  return [table[i], table[i + 1], table[i + 2]];
}
