import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/cli/summary';
import { allocateOutputs } from '../../src/core/outputs';
import { reduceCell } from '../../src/core/replicas';
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

  it('says a replica sweep\'s replicas, its networks\' classes and the mean pConverged with the cells strictly between 0 and 1', () => {
    const parsed = parseSpec({ replicas: { count: 4, draws: 'independent' }, x: { param: 'lr', min: 0.1, max: 10, count: 3, scale: 'log' } });
    if (!parsed.ok) throw new Error(parsed.errors.join());
    // Cell 0: 4 of 4 converged; cell 1: 1 converged, 2 stalled, 1 diverged at step 7; cell 2 not computed.
    const networks = allocateOutputs(8), outputs = allocateOutputs(3, true);
    networks.finalLoss.fill(1e-9, 0, 4).fill(0.3, 4, 8); networks.settledAt.fill(5, 0, 5);
    networks.finalLoss[7] = NaN; networks.divergedAt[7] = 7;
    reduceCell(networks, 0, 4, parsed.spec.convergence, outputs, 0);
    reduceCell(networks, 4, 4, parsed.spec.convergence, outputs, 1);
    const lines = formatSummary(parsed.spec, 'cpu', 'test', { ...run(3), outputs, cellsDone: 2, status: 'cancelled' }).split('\n');
    expect(lines).toContain('replicas    4 per cell, independent draws (each cell draws its own); keeps each cell\'s summary');
    expect(lines).toContain('networks    8 (cells × replicas): converged 5 (62.5%), stalled 2 (25.0%), diverged 1 (12.5%)');
    expect(lines).toContain('pConverged  mean 0.625 over 2 cells; 1 cells with 0 < p < 1, 1 with p = 1, 0 with p = 0');
    expect(lines.some((l) => l.startsWith('classes'))).toBe(false);
  });
});
