/** The accuracy heatmap of a 2-D MNIST sweep (pure): which settings vary, and the final accuracy of each cell. */
import type { MnistResults } from '../../mnist/sweep';

export type SweptSetting = 'lr' | 'dropout' | 'seed';

/** The heatmap's axes and cells: value[y][x] = mean final test accuracy of the copies there (NaN: none finished yet). */
export interface AccuracyGrid { x: SweptSetting; y: SweptSetting; xs: number[]; ys: number[]; values: number[][]; copies: number[][][] }

/** The grid of a sweep with two or more varying settings (learning rate across; dropout, or else seed, down; copies
 *  differing in the third are averaged); null for a 1-D sweep. */
export function accuracyGrid(results: MnistResults): AccuracyGrid | null {
  const values = (s: SweptSetting) => [...new Set(results.copies.map((c) => c.settings[s]))].sort((a, b) => a - b);
  const varying = (['lr', 'dropout', 'seed'] as const).filter((s) => values(s).length > 1);
  if (varying.length < 2) return null;
  const [x, y] = varying[0] === 'lr' && varying.length === 3 ? ['lr', 'dropout'] as const : [varying[0], varying[1]];
  const xs = values(x), ys = values(y);
  const copies = ys.map(() => xs.map(() => [] as number[]));
  results.copies.forEach((c, i) => copies[ys.indexOf(c.settings[y])][xs.indexOf(c.settings[x])].push(i));
  const grid = copies.map((row) => row.map((cell) => {
    const finals = cell.map((i) => results.copies[i].epochs.at(-1)?.testAccuracy).filter((a): a is number => a !== undefined);
    return finals.length ? finals.reduce((a, b) => a + b, 0) / finals.length : NaN;
  }));
  return { x, y, xs, ys, values: grid, copies };
}
