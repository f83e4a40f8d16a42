import { interpolateSpectral } from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import { figureSvg } from '../../src/core/figure';
import { barColor, barTicks, barTitle, heatmapPixels, heatmapScale, lockedOrFitted, NO_VALUE_COLOR, scaleSwatches, viridis } from '../../src/core/heatmap';
import { allocateOutputs, setCell } from '../../src/core/outputs';
import { equalizedPosition, scoreRanks, spectral } from '../../src/core/paper-colour';
import { describeScore, scoreLegend, scoreTicks } from '../../src/core/score-scale';
import { parseSpec } from '../../src/core/spec';
import { formatHeatmapLegend } from '../../src/cli/summary';

/** Outputs of cells with these scores (NaN: not run; a positive score diverged at step 3, a negative one converged). */
function scored(scores: number[]) {
  const o = allocateOutputs(scores.length);
  scores.forEach((score, i) => {
    if (Number.isNaN(score)) return;
    setCell(o, i, score < 0
      ? { finalLoss: 1e-3, minLoss: 1e-3, peakLoss: 1, tailLossRatio: 0.01, score, stepsToThreshold: 5, settledAt: 5, divergedAt: -1 }
      : { finalLoss: NaN, minLoss: 0.5, peakLoss: 9, tailLossRatio: NaN, score, stepsToThreshold: -1, settledAt: -1, divergedAt: 3 });
  });
  return o;
}
const rgbOf = (px: Uint8ClampedArray, i: number) => [px[4 * i], px[4 * i + 1], px[4 * i + 2]];
const SPEC = { steps: 100, threshold: 1e-4, convergence: 'tail-mean' as const };

describe("the score's heatmap scale", () => {
  const o = scored([-300, -5, -10, 2, 40, 7, NaN, 40]);
  const scale = heatmapScale(o, 'score', SPEC);

  it('is equalised over the computed cells: ranks, lowest and highest score', () => {
    expect(scale).toMatchObject({ metric: 'score', kind: 'equalized', min: -300, max: 40 });
    expect(Array.from(scale.ranks!.sorted)).toEqual([-300, -10, -5, 2, 7, 40, 40]);
    expect(scale.ranks!.negatives).toBe(3);
  });

  it("colours each cell by the paper's colouring: Spectral of its equalised position, not run dark", () => {
    const px = heatmapPixels(o, 8, 1, scale);
    // −300 is the most negative (position +1, deepest blue); −5 the nearest 0 (+0.25); 2 the smallest positive (−0.25);
    // the two 40s share the rank of the first of them (−0.75).
    expect(rgbOf(px, 0)).toEqual(spectral(1));
    expect(rgbOf(px, 1)).toEqual(spectral(0.25));
    expect(rgbOf(px, 3)).toEqual(spectral(-0.25));
    expect(rgbOf(px, 4)).toEqual(spectral(-0.75));
    expect(rgbOf(px, 7)).toEqual(spectral(-0.75));
    expect(rgbOf(px, 6)).toEqual([...NO_VALUE_COLOR]);
    const [r, , b] = rgbOf(px, 0), [r4, , b4] = rgbOf(px, 4);
    expect(b).toBeGreaterThan(r); // converged blue
    expect(r4).toBeGreaterThan(b4); // diverged red
  });

  it('has no "diverged" swatch (the score colours diverged cells) and a Spectral bar, top blue', () => {
    expect(scaleSwatches(scale, false).map(([label]) => label)).toEqual(['not run']);
    expect(barColor(scale, 1)).toEqual(spectral(1));
    expect(barColor(scale, 0)).toEqual(spectral(-1));
    expect(barColor(heatmapScale(o, 'finalLoss', SPEC), 1)).toEqual(viridis(1));
    expect(barTitle(scale)).toMatch(/rank.*converged.*diverged/);
  });

  it('labels the bar with raw scores at their ranks: each sign\'s ends and median (ties at the first of them), and 0 between them', () => {
    expect(barTicks(scale).map((t) => [t.position, t.label])).toEqual([
      [0.125, '40'], [0.25, '7'], [0.375, '2'], [0.5, '0'], [0.625, '-5'], [0.8125, '-10'], [1, '-300'],
    ]);
  });

  it('gives only the signs a view has, and one tick per position', () => {
    expect(scoreTicks(scoreRanks([3, 3, 3])).map((t) => t.label)).toEqual(['3', '0']);
    expect(scoreTicks(scoreRanks([-2, -1])).map((t) => [t.position, t.label])).toEqual([[0.5, '0'], [0.625, '-1'], [1, '-2']]);
    expect(scoreTicks(scoreRanks([NaN]))).toEqual([{ position: 0.5, label: '0' }]);
    // Positive scores just above 1 (a stalled cell's Σ 1/v): distinct ticks read differently, never "1" twice.
    const near1 = scoreTicks(scoreRanks([1.0003, 1.0004, 1.02])).map((t) => t.label);
    expect(new Set(near1).size).toBe(near1.length);
    expect(near1).toEqual(['1.02', '1.0004', '1', '0']);
  });

  it('places a score that arrived after the ranks were taken inside its own sign\'s band', () => {
    const ranks = scoreRanks([-3, -1, 1, 3]);
    expect(equalizedPosition(ranks, -0.5)).toBe(0.25); // beyond the negatives: clamped to their band
    expect(equalizedPosition(ranks, 99)).toBe(-1);
    expect(equalizedPosition(ranks, -99)).toBe(1);
    expect(equalizedPosition(ranks, NaN)).toBeNaN();
  });

  it("ignores a locked log scale (a link's scale=1~5 with metric=score): its colours are ranks", () => {
    const linked = { metric: 'score' as const, kind: 'log' as const, min: 1, max: 5 };
    expect(lockedOrFitted(linked, scale)).toBe(scale);
    const loss = heatmapScale(o, 'finalLoss', SPEC), lockedLoss = { ...loss, min: 1e-9 };
    expect(lockedOrFitted(lockedLoss, loss)).toBe(lockedLoss); // other metrics keep their lock
    expect(lockedOrFitted(lockedLoss, scale)).toBe(scale); // and a lock belongs to its metric
  });

  it('takes its Spectral colours from d3 (the table matches at the ends and the middle)', () => {
    const css = (t: number) => interpolateSpectral(t).match(/\d+/g)!.map(Number);
    expect(spectral(-1)).toEqual(css(0));
    expect(spectral(0)).toEqual(css(0.5));
    expect(spectral(1)).toEqual(css(1));
  });
});

describe('the score in words', () => {
  it('reads a cell out with its raw score and what its sign says', () => {
    expect(describeScore(-12.5)).toBe('score -1.250e+1: converged (negative)');
    expect(describeScore(4.56)).toBe('score 4.560e+0: diverged (not negative)');
    expect(describeScore(0)).toBe('score 0: diverged (not negative)');
    expect(describeScore(NaN)).toBe('score none');
  });

  it("says the CLI figure's colouring and each end's scores", () => {
    expect(scoreLegend(scoreRanks([-300, -5, 2, 40]))).toBe("the paper's colouring (Spectral by rank, each sign equalised): -300 … -5 converged (blue); 2 … 40 diverged (red)");
    expect(scoreLegend(scoreRanks([2]))).toMatch(/none converged; 2 … 2 diverged/);
    expect(formatHeatmapLegend('score.png', heatmapScale(scored([-3, 4]), 'score', SPEC))).toBe(`  score.png              ${scoreLegend(scoreRanks([-3, 4]))}`);
  });
});

describe("a figure of the score", () => {
  it('draws the Spectral bar with the raw-score ticks and the title of the colouring', () => {
    const r = parseSpec({ x: { param: 'lr', min: 0.1, max: 10, count: 4, scale: 'log' }, convergence: 'tail-mean' });
    if (!r.ok) throw new Error(r.errors.join('; '));
    const o = scored([-300, -5, 2, 40]);
    const svg = figureSvg({ spec: r.spec, scale: heatmapScale(o, 'score', r.spec), cellsHref: 'data:,', computedBy: 'cpu' });
    const [red, , blue] = spectral(1);
    expect(svg).toContain(`<stop offset="0" stop-color="rgb(${red},${spectral(1)[1]},${blue})"/>`);
    expect(svg).toMatch(/>-300</);
    expect(svg).toMatch(/>40</);
    expect(svg).toMatch(/score, by rank/);
    expect(svg).not.toMatch(/>diverged</); // no swatch: the colours say it
  });
});
