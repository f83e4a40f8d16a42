import { describe, expect, it } from 'vitest';
import { runReference } from '../../src/core/cpu-runner';
import { PRESET_NAMES } from '../../src/core/presets';
import { COURSE_LEARNING_RATES, courseMapSpec, courseSpec, courseVerdict, fullSweepSpec } from '../../src/ui/course-plan';
import { READY_MADE } from '../../src/ui/ready-made';

/** The verdict the course page shows for `preset`, from the float64 oracle's numbers (the page's table, in float64). */
async function verdict(preset: (typeof PRESET_NAMES)[number]): Promise<string> {
  const spec = courseSpec(preset);
  const { outputs } = await runReference(spec, 'float64');
  return courseVerdict(COURSE_LEARNING_RATES, outputs.stepsToThreshold, outputs.finalLoss, spec.steps, spec.threshold);
}

describe('the course view', () => {
  it('era-v1: η = 2 converges fastest, first below E < 1e-4 (at step 39), as README says', async () => {
    expect(await verdict('era-v1')).toMatch(/^η = 2 converges fastest: E < 0\.0001 at step 39, E\(200\) = 4\.0\d+e-14\.$/);
  });

  it('eva and mazur: says that none of the six reached the threshold, and which descended furthest', async () => {
    // Targets 0.01 / 0.99 are far from a sigmoid's reach in 200 steps: E(200) of η = 2 is 2.1e-3 (eva), 1.5e-3 (mazur).
    expect(await verdict('eva')).toMatch(/^None of the 6 rates reached E < 0\.0001 within 200 steps; η = 2 descends furthest: E\(200\) = 2\.149\d+e-3\.$/);
    expect(await verdict('mazur')).toMatch(/^None of the 6 rates reached E < 0\.0001 within 200 steps; η = 2 descends furthest: E\(200\) = 1\.4[67]\d+e-3\.$/);
  });

  it('names the rate that reached the threshold first, not the one with the lowest final loss', () => {
    // η = 1 crosses at step 50 and ends at 1e-6; η = 2 crosses later (80) yet ends lower (1e-9): η = 1 was faster.
    expect(courseVerdict([1, 2], [50, 80], [1e-6, 1e-9], 100, 1e-4)).toBe('η = 1 converges fastest: E < 0.0001 at step 50, E(100) = 1.000000e-6.');
    // Diverged runs (NaN) never descend furthest; all of them diverged: said so.
    expect(courseVerdict([1, 2], [-1, -1], [NaN, 0.3], 100, 1e-4)).toBe('None of the 2 rates reached E < 0.0001 within 100 steps; η = 2 descends furthest: E(100) = 3.000000e-1.');
    expect(courseVerdict([1, 2], [-1, -1], [NaN, NaN], 100, 1e-4)).toBe('None of the 2 rates reached E < 0.0001 within 100 steps: every one diverged.');
  });

  it('draws the map and opens the full sweep of the chosen preset', () => {
    for (const preset of PRESET_NAMES) {
      expect(courseMapSpec(preset).preset).toBe(preset);
      expect(courseMapSpec(preset).targets).toEqual(courseSpec(preset).targets);
      const full = fullSweepSpec(preset);
      expect(full.preset).toBe(preset);
      expect(full.x).toEqual(fullSweepSpec('era-v1').x); // the same lr × init-scale sweep, READY_MADE[0]
      expect(full.steps).toBe(READY_MADE[0].spec.steps);
    }
    expect(fullSweepSpec('mazur').biases).toEqual([0.35, 0.6]);
  });
});
