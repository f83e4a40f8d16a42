/** The accuracy heatmap of an MNIST sweep (pure): which settings vary, and the final accuracy of each cell. */
import type { MnistResults } from './sweep';

export type SweptSetting = 'lr' | 'dropout' | 'seed';

/** The heatmap's axes and cells: value[y][x] = mean final test accuracy of the copies there (NaN: none finished yet). */
export interface AccuracyGrid { x: SweptSetting; y: SweptSetting; xs: number[]; ys: number[]; values: number[][]; copies: number[][][] }

/**
 * The grid of a sweep (learning rate across; dropout, or else seed, down; copies differing in the third are
 * averaged). With `oneRow`, a sweep of one varying setting gives a single row (its y axis a setting that does not
 * vary); otherwise null for fewer than two varying settings.
 */
export function accuracyGrid(results: MnistResults, oneRow = false): AccuracyGrid | null {
  const values = (s: SweptSetting) => [...new Set(results.copies.map((c) => c.settings[s]))].sort((a, b) => a - b);
  const varying = (['lr', 'dropout', 'seed'] as const).filter((s) => values(s).length > 1);
  if (varying.length < (oneRow ? 1 : 2)) return null;
  const [x, y] = varying.length === 1 ? [varying[0], varying[0] === 'seed' ? 'lr' as const : 'seed' as const]
    : varying[0] === 'lr' && varying.length === 3 ? ['lr', 'dropout'] as const : [varying[0], varying[1]];
  const xs = values(x), ys = values(y);
  const copies = ys.map(() => xs.map(() => [] as number[]));
  const xAt = new Map(xs.map((v, i) => [v, i])), yAt = new Map(ys.map((v, i) => [v, i])); // not indexOf: n copies × n values
  results.copies.forEach((c, i) => copies[yAt.get(c.settings[y])!][xAt.get(c.settings[x])!].push(i));
  const grid = copies.map((row) => row.map((cell) => {
    const finals = cell.map((i) => results.copies[i].epochs.at(-1)?.testAccuracy).filter((a): a is number => a !== undefined);
    return finals.length ? finals.reduce((a, b) => a + b, 0) / finals.length : NaN;
  }));
  return { x, y, xs, ys, values: grid, copies };
}
