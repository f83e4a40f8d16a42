import { describe, expect, it } from 'vitest';
import { gridSize } from '../../src/core/grid';
import { benchSpec, SIZES, stats } from '../../bench/workloads';

describe('benchmark workloads', () => {
  it('build sweeps of exactly the benchmark sizes', () => {
    for (const cells of SIZES) expect(gridSize(benchSpec(cells)).cells).toBe(cells);
    expect(gridSize(benchSpec(4096 * 4)).cells).toBe(16384);
  });

  it('summarize runs by median, min, max and relative spread', () => {
    expect(stats([3, 1, 2])).toEqual({ runs: 3, median: 2, min: 1, max: 3, spread: 1 });
    expect(stats([4, 1, 2, 3]).median).toBe(2.5);
  });
});
