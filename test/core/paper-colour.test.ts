import { describe, expect, it } from 'vitest';
import { equalizedScores, spectral } from '../../src/core/paper-colour';

describe("the paper's colouring", () => {
  it('equalises each sign separately onto its band, converged (negative scores) above zero', () => {
    const y = equalizedScores([-300, -5, -10, 2, 40, 7, NaN, 40]);
    // negatives sorted: −300, −10, −5 → −1, −0.625, −0.25, flipped
    expect(Array.from(y.subarray(0, 3))).toEqual([1, 0.25, 0.625]);
    // others sorted: 2, 7, 40, 40 → 0.25, 0.5, 0.75 (ties at the first), flipped
    expect(Array.from(y.subarray(3))).toEqual([-0.25, -0.75, -0.5, NaN, -0.75]);
  });

  it('draws converged blue and not converged red', () => {
    const [r1, , b1] = spectral(1), [r0, , b0] = spectral(-1);
    expect(b1).toBeGreaterThan(r1);
    expect(r0).toBeGreaterThan(b0);
  });
});
