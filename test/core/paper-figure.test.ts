import { describe, expect, it } from 'vitest';
import { log10Ticks, paperFigureSvg, paperPixels } from '../../src/core/paper-figure';
import { spectral } from '../../src/core/paper-colour';
import { NO_VALUE_COLOR } from '../../src/core/heatmap';

describe('the paper figure', () => {
  it('ticks log axes at round steps, 3 to 6 of them', () => {
    expect(log10Ticks(-3.07, 6.07)).toEqual([-2, 0, 2, 4, 6]);
    expect(log10Ticks(0.03, 2.3)).toEqual([0.5, 1, 1.5, 2]);
    expect(log10Ticks(1.01, 1.2)).toEqual([1.05, 1.1, 1.15, 1.2]);
  });

  it('colours cells by the paper\'s score, the top row the largest y, cells without a score dark grey', () => {
    // 2 × 2: row 0 (bottom) converged (scores < 0), row 1 (top) not, one cell not computed.
    const rgba = paperPixels([-2, -1, 3, NaN], 2, 2);
    const px = (i: number) => Array.from(rgba.subarray(4 * i, 4 * i + 3));
    expect(px(0)).toEqual(spectral(-0.25)); // top left: cell 2, the only finite non-negative score → −0.25 after the flip
    expect(px(1)).toEqual([...NO_VALUE_COLOR]);
    expect(px(2)).toEqual(spectral(1)); // bottom left: cell 0, the lowest score → +1 (deep blue)
    expect(px(3)).toEqual(spectral(0.25));
  });

  it('shows a missing view as "not computed" and names each panel', () => {
    const svg = paperFigureSvg('T', 'S', [{ title: 'tanh, full batch', subtitle: 'MLP' }]);
    expect(svg).toContain('a) tanh, full batch');
    expect(svg.match(/not computed/g)).toHaveLength(2);
  });
});
