import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referenceCellTrainer } from '../../src/core/cpu-runner';
import { gridSize } from '../../src/core/grid';
import { isMlp, parseSpec } from '../../src/core/spec';

/** The fractal paper's six conditions (Sohl-Dickstein 2024), as examples/paper-*.json: sizes as the paper's. */
const CONDITIONS = {
  tanh: { activation: 'tanh', points: 272, minibatch: undefined, x: 'lrHidden' },
  relu: { activation: 'relu', points: 272, minibatch: undefined, x: 'lrHidden' },
  identity: { activation: 'identity', points: 16, minibatch: undefined, x: 'lrHidden' },
  minibatch: { activation: 'tanh', points: 272, minibatch: 16, x: 'lrHidden' },
  'single-point': { activation: 'tanh', points: 1, minibatch: undefined, x: 'lrHidden' },
  offset: { activation: 'tanh', points: 272, minibatch: undefined, x: 'initOffset' },
} as const;

describe('the fractal paper\'s six conditions as examples', () => {
  for (const [name, want] of Object.entries(CONDITIONS)) {
    it(`examples/paper-${name}.json is the paper's ${name} condition, and its cells train`, () => {
      const parsed = parseSpec(JSON.parse(readFileSync(new URL(`../../examples/paper-${name}.json`, import.meta.url), 'utf8')));
      if (!parsed.ok) throw new Error(parsed.errors.join('; '));
      const spec = parsed.spec;
      if (!isMlp(spec)) throw new Error('not an MLP spec');
      expect([spec.network.inputs, spec.network.width, spec.network.outputs, spec.network.scaling]).toEqual([16, 16, 1, 'mean-field']);
      expect(spec.network.activation).toBe(want.activation);
      expect(spec.data.points).toBe(want.points);
      expect(spec.minibatch?.size).toBe(want.minibatch);
      expect(spec.x.param).toBe(want.x);
      expect(spec.convergence).toBe('tail-mean');
      expect(gridSize(spec).cells).toBeGreaterThanOrEqual(64 * 64);
      // The view holds both sides of the boundary: along its diagonal, some cells converge by the paper's rule (score < 0) and some do not.
      const train = referenceCellTrainer({ ...spec, steps: 30 }, 'float64'), { nx, ny } = gridSize(spec);
      const scores = Array.from({ length: 12 }, (_, j) => { const i = Math.round((j / 11) * (nx - 1)); return train(i + Math.round((j / 11) * (ny - 1)) * nx).score; });
      expect(scores.some((v) => v < 0) && scores.some((v) => v > 0), scores.join(' ')).toBe(true);
    });
  }
});

describe('a figure of an MLP sweep', () => {
  it('names the network, not the course preset', async () => {
    const { specLine } = await import('../../src/core/figure');
    const parsed = parseSpec(JSON.parse(readFileSync(new URL('../../examples/paper-minibatch.json', import.meta.url), 'utf8')));
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const line = specLine(parsed.spec, 'cpu');
    expect(line).toMatch(/^MLP 16-16-1 tanh mean-field, 272 points, minibatch 16, 100 steps; converged: the fractal paper's rule; cpu$/);
    expect(line).not.toMatch(/era-v1|sigmoid|threshold/);
  });
});
