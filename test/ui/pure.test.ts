import { describe, expect, it } from 'vitest';
import { resultsCsv } from '../../src/core/csv';
import { allocateOutputs, setCell } from '../../src/core/outputs';
import { parseSpec } from '../../src/core/spec';
import { axisValues } from '../../src/core/grid';
import { axisTicks, formatAxisValue, formatTickValue, scaleTicks } from '../../src/core/ticks';
import { precisionNotice } from '../../src/ui/precision';

describe('axis ticks', () => {
  it('put decades at their log positions', () => {
    const t = axisTicks({ param: 'lr', min: 0.01, max: 100, count: 256, scale: 'log' });
    expect(t.map((x) => x.label)).toEqual(['0.01', '0.1', '1', '10', '100']);
    expect(t.map((x) => x.position)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('add 2 and 5 within a single decade', () => {
    expect(axisTicks({ param: 'lr', min: 1, max: 10, count: 9, scale: 'log' }).map((x) => x.label)).toEqual(['1', '2', '5', '10']);
  });

  it('use round steps on linear axes', () => {
    const t = axisTicks({ param: 't1', min: -1, max: 1, count: 64, scale: 'linear' });
    expect(t.map((x) => x.label)).toEqual(['-1', '-0.5', '0', '0.5', '1']);
    expect(t[0].position).toBe(0);
  });

  it('keep round, distinct labels on deeply zoomed axes', () => {
    const log = axisTicks({ param: 'lrHidden', min: 1.0548866970778064, max: 1.062144746672458, count: 256, scale: 'log' });
    expect(log.length).toBeGreaterThanOrEqual(2);
    expect(new Set(log.map((t) => t.label)).size).toBe(log.length);
    expect(log[0].label).toBe('1.056');
    const linear = axisTicks({ param: 'w1', min: 0.5, max: 0.5 + 1e-7, count: 64, scale: 'linear' });
    expect(linear.map((t) => t.label).slice(0, 5)).toEqual(['0.5', '0.50000002', '0.50000004', '0.50000006', '0.50000008']);
    expect(new Set(linear.map((t) => t.label)).size).toBe(linear.length);
  });

  it('label seed rows by draw index', () => {
    expect(axisTicks({ param: 'seed', values: [0, 1, 2] }).map((x) => x.label)).toEqual(['#0', '#1', '#2']);
  });

  it('read a cell with the digits that tell it from its neighbours', () => {
    const deep = { param: 'lrHidden', min: 1.06845, max: 1.06855, count: 256, scale: 'log' } as const;
    const labels = axisValues(deep).map((v) => formatAxisValue(deep, v));
    expect(new Set(labels).size).toBe(256); // every cell distinct (3 digits would give 1.07 for all)
    expect(labels[0]).toBe('1.06845');
    const wide = { param: 'lr', min: 0.01, max: 100, count: 256, scale: 'log' } as const;
    expect(formatAxisValue(wide, axisValues(wide)[100])).toBe('0.37'); // 0.369…, neighbours 3.7% apart
    expect(formatAxisValue({ param: 'seed', values: [0, 1] }, 1)).toBe('#1');
  });

  it('tick colour scales by decades (log) or three values (linear)', () => {
    const log = scaleTicks({ kind: 'log', min: 1e-32, max: 0.25 });
    expect(log.map((t) => t.label)).toEqual(['1e-32', '1e-28', '1e-24', '1e-20', '1e-16', '1e-12', '1e-8', '1e-4']);
    expect(log[0].position).toBe(0);
    expect(scaleTicks({ kind: 'linear', min: 0, max: 1000 }).map((t) => [t.label, t.position])).toEqual([['0', 0], ['500', 0.5], ['1000', 1]]);
    expect(scaleTicks({ kind: 'log', min: 0.02, max: 0.05 }).map((t) => t.label)).toEqual(['0.02', '0.05']); // less than a decade: the ends
  });

  it('format small and large values compactly', () => {
    expect([1e-4, 0.002, 1234, 1e5].map(formatTickValue)).toEqual(['1e-4', '0.002', '1230', '1e5']);
  });
});

describe('CSV export', () => {
  it('writes one row per cell with axis values, outputs and class', () => {
    const r = parseSpec({ x: { param: 'lr', values: [0.5, 2] } });
    if (!r.ok) throw new Error();
    const o = allocateOutputs(2);
    setCell(o, 0, { finalLoss: 1e-5, minLoss: 1e-5, peakLoss: 0.014, tailLossRatio: 0.002, score: -12.5, stepsToThreshold: 40, settledAt: 41, divergedAt: -1 });
    setCell(o, 1, { finalLoss: NaN, minLoss: 0.2, peakLoss: 0.3, tailLossRatio: NaN, score: 3.25, stepsToThreshold: -1, settledAt: -1, divergedAt: 3 });
    expect(resultsCsv(r.spec, o)).toBe('ix,iy,lr,finalLoss,minLoss,peakLoss,tailLossRatio,score,stepsToThreshold,settledAt,divergedAt,class\n0,0,0.5,0.00001,0.00001,0.014,0.002,-12.5,40,41,-1,converged\n1,0,2,,0.2,0.3,,3.25,-1,-1,3,diverged\n');
  });

  it('puts a replica sweep\'s rows after the others, a cell not computed empty', () => {
    const r = parseSpec({ replicas: { count: 4 }, x: { param: 'lr', values: [0.5, 2] } });
    if (!r.ok) throw new Error();
    const o = allocateOutputs(2, true);
    setCell(o, 0, { finalLoss: 1e-5, minLoss: 1e-5, peakLoss: 0.014, tailLossRatio: 0.002, score: -12.5, stepsToThreshold: 40, settledAt: 41, divergedAt: -1 });
    Object.assign(o.replicasConverged!, [3, -1]); Object.assign(o.replicasStalled!, [1, -1]); Object.assign(o.replicasDiverged!, [0, -1]);
    Object.assign(o.pConverged!, [0.75, NaN]); Object.assign(o.medianStepsToThreshold!, [42.5, NaN]);
    const [header, cell0, cell1] = resultsCsv(r.spec, o).split('\n');
    expect(header).toBe('ix,iy,lr,finalLoss,minLoss,peakLoss,tailLossRatio,score,stepsToThreshold,settledAt,divergedAt,pConverged,pConvergedLow,pConvergedHigh,medianStepsToThreshold,medianFinalLoss,divergedAtQ1,divergedAtMedian,replicasConverged,replicasStalled,replicasDiverged,class');
    expect(cell0).toBe('0,0,0.5,0.00001,0.00001,0.014,0.002,-12.5,40,41,-1,0.75,,,42.5,,,,3,1,0,converged');
    expect(cell1).toBe('1,0,2,,,,,,-1,-1,-1,,,,,,,,-1,-1,-1,');
  });
});

describe('precision notice', () => {
  const view = (min: number, max: number) => {
    const r = parseSpec({ x: { param: 'lr', min, max, count: 256, scale: 'linear' }, y: { param: 'initScale', min: 0.5, max: 2, count: 256, scale: 'log' } });
    if (!r.ok) throw new Error(r.errors.join());
    return r.spec;
  };
  it('stays quiet on ordinary views', () => expect(precisionNotice(view(0.01, 100), 'float32')).toBeUndefined());
  it('warns before the stripes, then says stripes are an artefact, and offers float64', () => {
    const near = precisionNotice(view(1, 1 + 255 * 4 * 2 ** -23), 'float32')!; // 4 float32 steps per cell
    expect(near.level).toBe('warning');
    expect(near.text).toMatch(/along x \(lr\) are only 4\.0 float32 steps apart.*about 2 more 2× zooms/);
    expect(near.offerFloat64).toBe(true);
    const past = precisionNotice(view(1, 1 + 100 * 2 ** -23), 'float32')!;
    expect(past.level).toBe('stripes');
    expect(past.text).toMatch(/stripes\) are an artefact of float32/);
    // The same window is far from float64's limit.
    expect(precisionNotice(view(1, 1 + 100 * 2 ** -23), 'float64')).toBeUndefined();
    expect(precisionNotice(view(1, 1 + 100 * 2 ** -52), 'float64')!.text).toMatch(/as deep as the page can zoom/);
  });
});
