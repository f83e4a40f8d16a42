/** What the library's Node and browser entries share (src/library.ts): the spec check, its error, the axes. */
import { describe, expect, it } from 'vitest';
import { axesOf, checkedSpec, checkedThreads, SpecError } from '../../src/library';
import { sweep } from '../../src/index';

const SPEC = { preset: 'era-v1', steps: 10, x: { param: 'lr', min: 0.1, max: 10, count: 3, scale: 'log' }, y: { param: 'initScale', values: [2, 0.5] } };

describe('the library’s shared part', () => {
  it('checks a spec given as an object or as JSON text alike, with every default filled in', () => {
    const spec = checkedSpec(SPEC);
    expect(checkedSpec(JSON.stringify(SPEC))).toEqual(spec);
    expect(spec.threshold).toBeGreaterThan(0);
  });

  it('refuses a bad spec with a SpecError: the messages, and the command line’s text', () => {
    const error = (() => { try { checkedSpec({ ...SPEC, steps: -1, x: { ...SPEC.x, count: 0 } }); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(SpecError);
    const { errors, message, name } = error as SpecError;
    expect(errors.length).toBe(2);
    expect([name, message]).toEqual(['SpecError', `invalid sweep spec:\n${errors.map((e) => `  - ${e}`).join('\n')}`]);
    expect(() => checkedSpec('{ not json')).toThrow(SpecError);
  });

  it('gives the axes in cell order, y null for a 1-D sweep', () => {
    const spec = checkedSpec(SPEC);
    expect(axesOf(spec)).toEqual({ x: { param: 'lr', values: [0.1, expect.closeTo(1, 12), 10] }, y: { param: 'initScale', values: [2, 0.5] } });
    expect(axesOf(checkedSpec({ ...SPEC, y: undefined })).y).toBeNull();
  });

  it('takes threads as a positive whole number, or the fallback when left out, and names the fix otherwise', () => {
    expect([checkedThreads(undefined, 6), checkedThreads(3, 6)]).toEqual([6, 3]);
    for (const bad of [0, -2, 1.5, Number.NaN]) expect(() => checkedThreads(bad, 6)).toThrow(/positive whole number.*leave it out/);
  });

  it('the Node sweep() refuses an unknown backend or bad threads before any engine starts, naming the choices', async () => {
    await expect(sweep(SPEC, { backend: 'gpu' as never })).rejects.toThrow('backend "gpu" is not one of auto, webgpu, cpu, cpu-f32');
    await expect(sweep(SPEC, { backend: 'cpu', threads: 0 })).rejects.toThrow(/positive whole number/);
    await expect(sweep({ ...SPEC, steps: -1 }, { backend: 'cpu' })).rejects.toThrow(SpecError);
  });
});
