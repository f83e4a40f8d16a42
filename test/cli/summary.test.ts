import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/cli/summary';
import { allocateOutputs } from '../../src/core/outputs';
import { parseSpec } from '../../src/core/spec';

const run = (cells: number) => ({ outputs: allocateOutputs(cells), status: 'complete' as const, cellsDone: cells, elapsedMs: 1000, networkStepsPerSecond: 1 });

describe('the sweep summary', () => {
  it('names an MLP sweep\'s network, not the course preset or a threshold the paper\'s rule does not use', () => {
    const parsed = parseSpec(JSON.parse(readFileSync(new URL('../../examples/paper-minibatch.json', import.meta.url), 'utf8')));
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const steps = formatSummary(parsed.spec, 'cpu', 'test', run(48 * 48)).split('\n').find((l) => l.startsWith('steps'));
    expect(steps).toBe('steps       100 per cell, MLP 16-16-1 tanh mean-field, 272 points, minibatch 16');
  });

  it('names a course sweep\'s activation, preset and threshold', () => {
    const parsed = parseSpec({ x: { param: 'lr', min: 0.1, max: 10, count: 4, scale: 'log' } });
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const steps = formatSummary(parsed.spec, 'cpu', 'test', run(4)).split('\n').find((l) => l.startsWith('steps'));
    expect(steps).toMatch(/^steps +\d[\d,]* per cell, sigmoid, preset \S+, threshold [\d.e-]+$/);
  });
});
