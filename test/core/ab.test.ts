import { describe, expect, it } from 'vitest';
import { settingValue, specB } from '../../src/core/ab';
import { parseSpec, type SweepSpec } from '../../src/core/spec';

const a: SweepSpec = (() => {
  const r = parseSpec({ preset: 'eva', x: { param: 'lr', min: 0.1, max: 10, count: 8, scale: 'log' }, y: { param: 'initScale', min: 0.5, max: 2, count: 4, scale: 'log' } });
  if (!r.ok) throw new Error(r.errors.join());
  return r.spec;
})();

describe('A/B specs', () => {
  it('changes one setting and keeps the grid', () => {
    const b = specB(a, 'activation', 'tanh');
    expect(b.ok && b.spec).toEqual({ ...a, activation: 'tanh' });
    const steps = specB(a, 'steps', '250');
    expect(steps.ok && steps.spec.steps).toBe(250);
    expect(settingValue(a, 'threshold')).toBe('0.0001');
  });

  it('takes a new preset whole: its targets and weights, not A’s', () => {
    const b = specB(a, 'preset', 'era-v1');
    expect(b.ok && [b.spec.preset, b.spec.targets]).toEqual(['era-v1', [0.5, 0.5]]);
    expect(b.ok && b.spec.x).toEqual(a.x);
  });

  it('refuses what cannot make a different B, with the reason', () => {
    expect(specB(a, 'lr', '2')).toEqual({ ok: false, errors: [expect.stringMatching(/^lr: this view sweeps it on an axis/)] });
    expect(specB(a, 'lrOutput', '2')).toEqual({ ok: false, errors: [expect.stringMatching(/^lrOutput: this view sweeps it on an axis/)] });
    expect(specB(a, 'threshold', 'abc')).toEqual({ ok: false, errors: ['threshold: B\'s value must be a number; got "abc"'] });
    const negative = specB(a, 'threshold', '-1');
    expect(!negative.ok && negative.errors[0]).toMatch(/^threshold: must be > 0/);
  });
});
