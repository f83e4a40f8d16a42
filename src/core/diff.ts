/**
 * A/B difference of two sweeps over the same grid: per cell, which of the two converged. Pure.
 */
import { classOf, isComputed, type ConvergenceRule, type SweepOutputs } from './outputs';

/** Difference classes, in code order (code = index); a cell not computed in A or B gets code DIFF_CLASSES.length. */
export const DIFF_CLASSES = ['both converged', 'only A converged', 'only B converged', 'neither converged'] as const;
export type DiffClass = (typeof DIFF_CLASSES)[number];

/** Colors of the difference map, [r, g, b], in code order; the last is "not run in A or B". */
export const DIFF_COLORS: Array<[number, number, number]> = [[170, 215, 185], [235, 140, 30], [40, 110, 220], [85, 85, 95], [40, 40, 48]];

/** Per-cell difference codes (index into DIFF_CLASSES; DIFF_CLASSES.length = not run in A or B), converged under `rule`. */
export function classDiff(a: SweepOutputs, b: SweepOutputs, rule: ConvergenceRule): Uint8Array {
  const converged = (o: SweepOutputs, i: number) => classOf(o, i, rule) === 'converged';
  const codes = new Uint8Array(a.finalLoss.length);
  codes.forEach((_, i) => {
    if (!isComputed(a, i) || !isComputed(b, i)) { codes[i] = DIFF_CLASSES.length; return; }
    const ca = converged(a, i), cb = converged(b, i);
    codes[i] = ca && cb ? 0 : ca ? 1 : cb ? 2 : 3;
  });
  return codes;
}

/** How many cells fall in each difference class (and how many were not run). */
export function diffCounts(codes: Uint8Array): Record<DiffClass | 'not run', number> {
  const counts = new Array<number>(DIFF_CLASSES.length + 1).fill(0);
  for (const c of codes) counts[c]++;
  return Object.fromEntries([...DIFF_CLASSES, 'not run'].map((name, k) => [name, counts[k]])) as Record<DiffClass | 'not run', number>;
}
