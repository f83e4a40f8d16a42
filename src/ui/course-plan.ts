/**
 * The course view's sweeps and its verdict, for a preset: the six learning rates of the sheet, the map beside them and
 * the full sweep a click opens, all of the chosen preset. Pure (tested in Node).
 */
import type { PresetName } from '../core/presets';
import { parseSpec, type SweepSpec } from '../core/spec';
import { READY_MADE } from './ready-made';

export const COURSE_LEARNING_RATES = [0.1, 0.2, 0.5, 0.8, 1, 2];
export const COURSE_STEPS = 200;

function parsed(raw: Record<string, unknown>): SweepSpec {
  const r = parseSpec(raw);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec;
}

/** The course experiment as a sweep: one row of six learning rates. */
export const courseSpec = (preset: PresetName): SweepSpec =>
  parsed({ preset, steps: COURSE_STEPS, threshold: 1e-4, x: { param: 'lr', values: COURSE_LEARNING_RATES } });

/** The map beside the curves: learning rate × initial-weight scale of `preset`, 64 × 64 cells of 300 steps. */
export const courseMapSpec = (preset: PresetName): SweepSpec =>
  parsed({ preset, steps: 300, threshold: 1e-4, x: { param: 'lr', min: 0.01, max: 100, count: 64, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 10, count: 64, scale: 'log' } });

/** The full sweep "Open the full sweep" opens: the first ready-made sweep (lr × init scale), of `preset`. */
export const fullSweepSpec = (preset: PresetName): SweepSpec => parsed({ ...READY_MADE[0].spec, preset });

const fmt = (v: number) => v.toExponential(6);

/**
 * The summary's verdict, from the numbers the table shows (`stepsToThreshold[i]`: the step at which rate i first had
 * E < `threshold`, −1 for never; `finalLoss[i]`: E after `steps` steps, NaN once diverged). The rate that reached the
 * threshold in the fewest steps converges fastest (ties: the lower final loss); when none did, it says so and names
 * the rate with the lowest final loss. Example: "η = 2 converges fastest: E < 0.0001 at step 39, E(200) = 4.441000e-14."
 */
export function courseVerdict(rates: readonly number[], stepsToThreshold: ArrayLike<number>, finalLoss: ArrayLike<number>, steps: number, threshold: number): string {
  const order = rates.map((_, i) => i);
  const lower = (a: number, b: number) => (Number.isNaN(finalLoss[a]) ? 1 : Number.isNaN(finalLoss[b]) ? -1 : finalLoss[a] - finalLoss[b]);
  const reached = order.filter((i) => stepsToThreshold[i] >= 0).sort((a, b) => stepsToThreshold[a] - stepsToThreshold[b] || lower(a, b));
  if (reached.length) {
    const i = reached[0];
    return `η = ${rates[i]} converges fastest: E < ${threshold} at step ${stepsToThreshold[i]}, E(${steps}) = ${fmt(finalLoss[i])}.`;
  }
  const none = `None of the ${rates.length} rates reached E < ${threshold} within ${steps} steps`;
  const finite = order.filter((i) => Number.isFinite(finalLoss[i])).sort(lower);
  if (!finite.length) return `${none}: every one diverged.`;
  return `${none}; η = ${rates[finite[0]]} descends furthest: E(${steps}) = ${fmt(finalLoss[finite[0]])}.`;
}
