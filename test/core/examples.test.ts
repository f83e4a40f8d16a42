/** Every examples/*.json is a valid sweep spec, already normalized where it says so; the replica views are the issue's. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gridSize } from '../../src/core/grid';
import { parseSpec, type SweepSpec } from '../../src/core/spec';

const folder = new URL('../../examples/', import.meta.url);
const example = (file: string): SweepSpec => {
  const parsed = parseSpec(JSON.parse(readFileSync(new URL(file, folder), 'utf8')));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.errors.join('; ')}`);
  return parsed.spec;
};

describe('the examples', () => {
  it('parse, every one of them', () => {
    const files = readdirSync(folder).filter((f) => f.endsWith('.json'));
    expect(files).toEqual(expect.arrayContaining(['replicas-lr-initscale.json', 'replicas-1d.json', 'lr-x-initscale.json']));
    for (const file of files) expect(() => example(file), file).not.toThrow();
  });

  it('replicas-lr-initscale.json is the ready-made view: the course network, lr × init scale, 64 common replicas of a normal init', () => {
    const spec = example('replicas-lr-initscale.json');
    expect(spec.network).toBeUndefined();
    expect([spec.x.param, spec.y?.param]).toEqual(['lr', 'initScale']);
    expect(spec.replicas).toEqual({ count: 64, draws: 'common', keep: 'summary' });
    expect(spec.init.distribution).toBe('normal');
    expect(gridSize(spec).cells).toBe(64 * 64);
  });

  it('replicas-1d.json is a 1-D learning-rate sweep with replicas', () => {
    const spec = example('replicas-1d.json');
    expect([spec.x.param, spec.y]).toEqual(['lr', null]);
    expect(spec.replicas?.count).toBeGreaterThan(1);
  });
});
