/**
 * The paper's score on a heatmap (src/core/heatmap.ts dispatches here for the `score` output): its colour scale (the
 * ranks of the view's scores, src/core/paper-colour.ts), a cell's colour, the colour bar's ticks in raw scores, and
 * the read-out of one cell. Pure: the page's heatmap and legend and the command line's figures share it.
 */
import { formatOutput } from './outputs';
import { equalizedPosition, scoreRanks, spectral, type ScoreRanks } from './paper-colour';
import type { Tick } from './ticks';
import { formatTickValue } from './ticks';

/** The scale of the score: its ranks, and the lowest and highest finite score ([0, 0] when none). */
export interface ScoreScale { metric: 'score'; kind: 'equalized'; min: number; max: number; ranks: ScoreRanks }

/** The score's scale over a view's scores (cells not computed, NaN, are left out of the ranks). */
export function scoreScale(scores: ArrayLike<number>): ScoreScale {
  const ranks = scoreRanks(scores), n = ranks.sorted.length;
  return { metric: 'score', kind: 'equalized', min: n ? ranks.sorted[0] : 0, max: n ? ranks.sorted[n - 1] : 0, ranks };
}

/** The colour of a score under the view's `ranks` (the Spectral colour of its equalised position); undefined when not finite. */
export function scoreColor(ranks: ScoreRanks, v: number): [number, number, number] | undefined {
  return Number.isFinite(v) ? spectral(equalizedPosition(ranks, v)) : undefined;
}

/** The colour at fraction t ∈ [0, 1] of the score's colour bar, bottom (diverged, red) to top (converged, blue). */
export const scoreBarColor = (t: number): [number, number, number] => spectral(2 * t - 1);

/** The colour bar's title: the score drawn by rank, which end is which. */
export const SCORE_BAR_TITLE = 'score, by rank: ↑ converged, ↓ diverged';

/**
 * The colour bar's ticks, in raw scores, each at its equalised position (position (y + 1) / 2, 0 at the bottom): for
 * each sign that has scores, its two ends and its median rank, and "0" in the gap between the signs (the boundary).
 * Ticks of equal position are given once; labels that would read the same get more digits (1.0003, 1.02 rather
 * than 1 and 1), or are left out.
 */
export function scoreTicks(ranks: ScoreRanks): Tick[] {
  const { sorted, negatives: neg } = ranks, rest = sorted.length - neg;
  const ranksOf = (first: number, count: number) => (count ? [first, first + Math.floor((count - 1) / 2), first + count - 1] : []);
  const ticks: Tick[] = [{ position: 0.5, label: '0' }];
  for (const j of [...ranksOf(0, neg), ...ranksOf(neg, rest)]) {
    const position = (equalizedPosition(ranks, sorted[j]) + 1) / 2;
    const label = distinctLabel(sorted[j], ticks.map((t) => t.label));
    if (label && ticks.every((t) => Math.abs(t.position - position) > 1e-9)) ticks.push({ position, label });
  }
  return ticks.sort((a, b) => a.position - b.position);
}

/** A tick label for `v` that no tick in `taken` has (more digits, up to 7, when the usual 3 collide), or undefined. */
function distinctLabel(v: number, taken: string[]): string | undefined {
  for (let digits = 3; digits <= 7; digits++) {
    const label = digits === 3 ? formatTickValue(v) : String(Number(v.toPrecision(digits)));
    if (!taken.includes(label)) return label;
  }
  return undefined;
}

/** Why the page's "lock colours" is off for the score (its title). */
export const SCORE_LOCK_NOTE = "The paper's colouring ranks each view's own scores (each sign equalised), so a colour is a rank within the view, not a value: fixing it across views means nothing. Hover a cell for its raw score";

/**
 * One cell's score for people (as formatOutput writes it, like the rest of the read-out), with what its sign says under
 * the paper's rule: "score -1.234e+1: converged (negative)", "score 4.560e+0: diverged (not negative)"; "score none"
 * when it has none (not computed).
 */
export function describeScore(v: number): string {
  if (!Number.isFinite(v)) return 'score none';
  return `score ${formatOutput('score', v)}: ${v < 0 ? 'converged (negative)' : 'diverged (not negative)'}`;
}

/** The command line's one-line legend of a score figure: the colouring and the scores each end spans. */
export function scoreLegend(ranks: ScoreRanks): string {
  const { sorted, negatives: neg } = ranks, n = sorted.length, f = formatTickValue;
  const converged = neg ? `${f(sorted[0])} … ${f(sorted[neg - 1])} converged (blue)` : 'none converged';
  const diverged = n > neg ? `${f(sorted[neg])} … ${f(sorted[n - 1])} diverged (red)` : 'none diverged';
  return `the paper's colouring (Spectral by rank, each sign equalised): ${converged}; ${diverged}`;
}
