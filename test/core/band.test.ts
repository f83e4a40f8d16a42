/**
 * A 1-D replica sweep's P(converged) band (src/core/band.ts): which views draw it, its runs, outline and paths, and the
 * exported figure of such a sweep (a curve over 0 … 1 with the band, not a strip of colours).
 */
import { describe, expect, it } from 'vitest';
import { bandOutline, bandPaths, bandRuns, probabilityTicks, showsBand } from '../../src/core/band';
import { figureSvg } from '../../src/core/figure';
import { heatmapScale } from '../../src/core/heatmap';
import { allocateOutputs, type SweepOutputs } from '../../src/core/outputs';
import { wilson } from '../../src/core/replicas';
import { parseSpec, type SweepSpec } from '../../src/core/spec';

function spec(input: object): SweepSpec {
  const r = parseSpec(input);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.spec;
}

/** Replica outputs of `converged[i]` of R at cell i (NaN: not run). */
function replicaOutputs(converged: number[], R: number): SweepOutputs {
  const o = allocateOutputs(converged.length, true);
  converged.forEach((k, i) => {
    if (Number.isNaN(k)) return;
    const { low, high } = wilson(k, R);
    o.pConverged![i] = k / R; o.pConvergedLow![i] = low; o.pConvergedHigh![i] = high;
  });
  return o;
}

describe('the band of a 1-D replica sweep', () => {
  const o = replicaOutputs([0, 4, 8, NaN, 16], 16);

  it('is drawn for the probability and its bounds of a 1-D replica sweep only', () => {
    expect(showsBand(o, 1, 'pConverged')).toBe(true);
    expect(showsBand(o, 1, 'pConvergedHigh')).toBe(true);
    expect(showsBand(o, 1, 'medianFinalLoss')).toBe(false);
    expect(showsBand(o, 2, 'pConverged')).toBe(false);
    expect(showsBand(allocateOutputs(5), 1, 'pConverged')).toBe(false);
  });

  it('runs over neighbouring computed cells, a cell not run breaking it', () => {
    const runs = bandRuns(o, 5);
    expect(runs.map((run) => run.map((q) => q.i))).toEqual([[0, 1, 2], [4]]);
    expect(runs[0][1]).toEqual({ i: 1, p: 0.25, ...wilson(4, 16) });
    expect(runs[0][0].low).toBe(0);
    expect(runs[1][0].high).toBe(1);
  });

  it('outlines the upper bounds left to right and the lower ones back; one cell is a box', () => {
    const xOf = (i: number) => 10 * i, yOf = (p: number) => 100 * (1 - p);
    const [three, one] = bandRuns(o, 5);
    const outline = bandOutline(three, xOf, yOf, 2);
    expect(outline.map(([x]) => x)).toEqual([0, 10, 20, 20, 10, 0]);
    expect(outline[1][1]).toBeCloseTo(100 * (1 - wilson(4, 16).high), 12);
    expect(outline[4][1]).toBeCloseTo(100 * (1 - wilson(4, 16).low), 12);
    expect(bandOutline(one, xOf, yOf, 2)).toEqual([[38, 0], [42, 0], [42, 100 * (1 - wilson(16, 16).low)], [38, 100 * (1 - wilson(16, 16).low)]]);
    const { band, curve } = bandPaths([three, one], xOf, yOf, 2);
    expect(band.match(/Z/g)).toHaveLength(2);
    expect(curve).toBe('M0 100 L10 75 L20 50 M40 0');
  });

  it('labels its y axis 0 … 1', () => {
    expect(probabilityTicks().map((t) => t.label)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
  });
});

describe("a 1-D replica sweep's figure", () => {
  const s = spec({ x: { param: 'lr', min: 0.1, max: 10, count: 5, scale: 'log' }, replicas: { count: 16 } });
  const o = replicaOutputs([0, 4, 8, 12, 16], 16);
  const svg = (metric: 'pConverged' | 'medianFinalLoss', outputs?: SweepOutputs) => figureSvg({ spec: s, scale: heatmapScale(o, metric, s), cellsHref: 'data:,', computedBy: 'cpu', outputs });

  it('draws P(converged) over 0 … 1 with the band and its legend, not the strip of colours', () => {
    const figure = svg('pConverged', o);
    expect(figure).toMatch(/<path class="band" d="M[^"]+Z"/);
    expect(figure).toMatch(/<path class="curve" d="M[^"]+"/);
    expect(figure.match(/<circle /g)).toHaveLength(5);
    expect(figure).toMatch(/>P\(converged\)</);
    expect(figure).toMatch(/>Wilson 95% interval</);
    expect(figure).toMatch(/>16 replicas a cell</);
    for (const label of ['0', '0.2', '0.4', '0.6', '0.8', '1']) expect(figure).toContain(`text-anchor="end">${label}</text>`);
    expect(figure).not.toMatch(/<image /);
  });

  it('stays a strip for other metrics, or without the outputs', () => {
    expect(svg('medianFinalLoss', o)).toMatch(/<image /);
    expect(svg('pConverged')).not.toMatch(/class="band"/);
  });
});
