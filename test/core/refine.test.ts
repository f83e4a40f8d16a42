import { describe, expect, it } from 'vitest';
import { completedStride, refinementPlan } from '../../src/core/refine';

describe('progressive refinement', () => {
  it('orders every cell exactly once, coarse passes first, each pass only new cells', () => {
    for (const [nx, ny, first] of [[1024, 1024, 4096], [100, 37, 64], [5, 1, 1], [1, 1, 4096], [256, 3, 16]]) {
      const plan = refinementPlan(nx, ny, first);
      const seen = new Uint8Array(nx * ny);
      for (const c of plan.order) seen[c]++;
      expect(seen.every((v) => v === 1)).toBe(true);
      expect(plan.passEnds.at(-1)).toBe(nx * ny);
      expect(plan.strides.at(-1)).toBe(1);
      expect(plan.passEnds[0]).toBeLessThanOrEqual(Math.max(1, first));
      // Every cell of pass p lies on pass p's stride grid.
      let offGrid = 0;
      plan.strides.forEach((s, p) => {
        for (let k = p ? plan.passEnds[p - 1] : 0; k < plan.passEnds[p]; k++) {
          const c = plan.order[k];
          if ((c % nx) % s !== 0 || Math.floor(c / nx) % s !== 0) offGrid++;
        }
      });
      expect(offGrid).toBe(0);
    }
  });

  it('starts a 1024² view with a 64² first pass (1/256 of the cells)', () => {
    const plan = refinementPlan(1024, 1024);
    expect(plan.strides).toEqual([16, 8, 4, 2, 1]);
    expect(plan.passEnds[0]).toBe(4096);
    expect(plan.passEnds[1]).toBe(128 * 128);
  });

  it('knows the finest complete pass (the page starts with 1,024 cells: a 32² picture of a 1024² view)', () => {
    const plan = refinementPlan(8, 8, 4); // strides 4, 2, 1
    expect(plan.strides).toEqual([4, 2, 1]);
    expect(completedStride(plan, 3)).toBeUndefined();
    expect(completedStride(plan, plan.passEnds[0])).toBe(4);
    expect(completedStride(plan, plan.passEnds[1] - 1)).toBe(4);
    expect(completedStride(plan, 64)).toBe(1);
    const page = refinementPlan(1024, 1024, 1024);
    expect(page.strides).toEqual([32, 16, 8, 4, 2, 1]);
    expect(page.passEnds[0]).toBe(1024);
  });
});
