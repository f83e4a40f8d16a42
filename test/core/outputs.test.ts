import { describe, expect, it } from 'vitest';
import { compareOutputs, disagreementMap, RELATIVE_ERROR_FLOOR } from '../../src/core/compare';
import { heatmapPixels, heatmapScale, paintCells, viridis, CLASS_COLORS, NEVER_COLOR, NO_VALUE_COLOR } from '../../src/core/heatmap';
import { allocateOutputs, classify, countClasses, setCell } from '../../src/core/outputs';
import { buildResults, RESULTS_FORMAT } from '../../src/core/results';
import { parseSpec } from '../../src/core/spec';

describe('classes', () => {
  it('diverged beats converged; converged needs stepsToThreshold ≥ 0', () => {
    expect(classify(5, 7)).toBe('diverged');
    expect(classify(5, -1)).toBe('converged');
    expect(classify(-1, -1)).toBe('stalled');
  });
});

function outputs(cells: Array<[number, number, number]>) {
  const o = allocateOutputs(cells.length);
  cells.forEach(([finalLoss, stepsToThreshold, divergedAt], i) => setCell(o, i, { finalLoss, minLoss: finalLoss, peakLoss: finalLoss, stepsToThreshold, divergedAt }));
  return o;
}

describe('compare', () => {
  const reference = outputs([[1e-5, 10, -1], [2e-5, 20, -1], [0.3, -1, -1], [NaN, -1, 4], [1e-20, 3, -1]]);
  const gpu = outputs([[1.1e-5, 10, -1], [2e-5, 21, -1], [1e-6, 50, -1], [NaN, -1, 4], [2e-12, 3, -1]]);

  it('counts class disagreements and errors over cells both call converged', () => {
    const a = compareOutputs(gpu, reference);
    expect(a).toMatchObject({ cells: 5, classDisagreements: 1, classAgreementRate: 0.8, bothConverged: 3, relativeCells: 2, stepsToThresholdDisagreements: 1 });
    expect(a.finalLossAbsErrorMax).toBeCloseTo(1e-6, 15);
    expect(a.finalLossRelErrorMax).toBeCloseTo(0.1, 12);
    expect(a.finalLossRelErrorMedian).toBe(0); // of [0, 0.1], the lower middle
  });

  it(`compares losses below ${RELATIVE_ERROR_FLOOR} absolutely only`, () => {
    expect(compareOutputs(gpu, reference, [4])).toMatchObject({ relativeCells: 0, bothConverged: 1 });
  });

  it('maps disagreeing cells, and compares only the sampled cells when given', () => {
    expect(Array.from(disagreementMap(gpu, reference))).toEqual([0, 0, 1, 0, 0]);
    expect(compareOutputs(gpu, reference, [0, 1])).toMatchObject({ cells: 2, classDisagreements: 0 });
  });
});

describe('heatmap', () => {
  it('puts the largest y on the top row and the first x on the left', () => {
    const o = outputs([[1e-6, 1, -1], [1e-4, 2, -1], [1e-2, -1, -1], [NaN, -1, 0]]); // 2 × 2: row 0 = cells 0, 1
    const scale = heatmapScale(o, 'finalLoss', 10);
    expect(scale).toMatchObject({ kind: 'log', min: 1e-6, max: 1e-2 });
    const px = heatmapPixels(o, 2, 2, scale);
    const at = (row: number, col: number) => Array.from(px.slice((row * 2 + col) * 4, (row * 2 + col) * 4 + 3));
    expect(at(1, 0)).toEqual(viridis(0)); // cell 0: smallest loss, bottom left
    expect(at(1, 1)).toEqual(viridis(0.5)); // cell 1: 1e-4 is half way on log10
    expect(at(0, 0)).toEqual(viridis(1)); // cell 2: top left
    expect(at(0, 1)).toEqual(CLASS_COLORS.diverged); // cell 3: diverged, no loss: the diverged colour, not "not run"
  });

  it('tells diverged, never and not-run cells apart on every metric', () => {
    // converged at 1, stalled, diverged at 3, not computed
    const o = outputs([[1e-6, 1, -1], [0.2, -1, -1], [NaN, -1, 3], [NaN, -1, -1]]);
    const colors = (metric: 'finalLoss' | 'stepsToThreshold' | 'divergedAt') => {
      const px = heatmapPixels(o, 4, 1, heatmapScale(o, metric, 10));
      return [0, 1, 2, 3].map((i) => Array.from(px.slice(i * 4, i * 4 + 3)));
    };
    expect(colors('finalLoss').slice(2)).toEqual([CLASS_COLORS.diverged, NO_VALUE_COLOR]);
    expect(colors('stepsToThreshold').slice(1)).toEqual([NEVER_COLOR, CLASS_COLORS.diverged, NO_VALUE_COLOR]);
    expect(colors('stepsToThreshold')[0]).not.toEqual(NEVER_COLOR); // 1 step: a colour of the scale
    expect(colors('divergedAt')).toEqual([NEVER_COLOR, NEVER_COLOR, viridis(0.3), NO_VALUE_COLOR]);
  });

  it('colors the class map by class', () => {
    const o = outputs([[1e-6, 1, -1], [0.2, -1, -1], [NaN, -1, 3]]);
    const px = heatmapPixels(o, 3, 1, heatmapScale(o, 'class', 10));
    expect([0, 1, 2].map((i) => Array.from(px.slice(i * 4, i * 4 + 3)))).toEqual([CLASS_COLORS.converged, CLASS_COLORS.stalled, CLASS_COLORS.diverged]);
  });

  it('fills cells not yet computed from their block corner during a refinement, and paints new cells alone', () => {
    // 4 × 2 cells, first pass at stride 2 computed (cells 0 and 2): converged and diverged.
    const o = outputs([[1e-6, 1, -1], [NaN, -1, -1], [NaN, -1, 1], [NaN, -1, -1], [NaN, -1, -1], [NaN, -1, -1], [NaN, -1, -1], [NaN, -1, -1]]);
    const computed = Uint8Array.from([1, 0, 1, 0, 0, 0, 0, 0]);
    const scale = heatmapScale(o, 'class', 10);
    const color = (px: Uint8ClampedArray, cell: number) => { const p = ((1 - Math.floor(cell / 4)) * 4 + (cell % 4)) * 4; return Array.from(px.slice(p, p + 3)); };
    const before = heatmapPixels(o, 4, 2, scale, { computed, stride: undefined });
    expect(color(before, 1)).toEqual(NO_VALUE_COLOR);
    const coarse = heatmapPixels(o, 4, 2, scale, { computed, stride: 2 });
    expect([0, 1, 4, 5].map((c) => color(coarse, c))).toEqual(Array(4).fill(CLASS_COLORS.converged));
    expect([2, 3, 6, 7].map((c) => color(coarse, c))).toEqual(Array(4).fill(CLASS_COLORS.diverged));
    // Cell 5 arrives (stalled): only its pixel changes.
    o.finalLoss[5] = 0.3;
    paintCells(coarse, o, 4, 2, scale, [5]);
    expect(color(coarse, 5)).toEqual(CLASS_COLORS.stalled);
    expect(color(coarse, 4)).toEqual(CLASS_COLORS.converged);
  });

  it('scales step counts linearly from 0 to steps', () => {
    const o = outputs([[1e-6, 5, -1], [1e-6, 10, -1]]);
    const px = heatmapPixels(o, 2, 1, heatmapScale(o, 'stepsToThreshold', 10));
    expect(Array.from(px.slice(0, 3))).toEqual(viridis(0.5));
    expect(Array.from(px.slice(4, 7))).toEqual(viridis(1));
  });
});

describe('results file', () => {
  it('writes axes, outputs in cell order and null for non-finite numbers', () => {
    const r = parseSpec({ x: { param: 'lr', values: [0.1, 1] }, y: { param: 'initScale', values: [1] } });
    if (!r.ok) throw new Error();
    const o = outputs([[1e-5, 10, -1], [NaN, -1, 2]]);
    o.minLoss[1] = Infinity;
    const file = JSON.parse(JSON.stringify(buildResults(r.spec, 'cpu', 'cpu / float64 reference', { outputs: o, status: 'complete', cellsDone: 2, elapsedMs: 10, networkStepsPerSecond: 2e5 })));
    expect(file).toMatchObject({
      format: RESULTS_FORMAT, backend: 'cpu', status: 'complete', x: { param: 'lr', values: [0.1, 1] }, y: { param: 'initScale', values: [1] },
      outputs: { finalLoss: [1e-5, null], minLoss: [1e-5, null], stepsToThreshold: [10, -1], divergedAt: [-1, 2] },
    });
    expect(file.spec).toEqual(r.spec);
    expect(countClasses(o)).toEqual({ converged: 1, stalled: 0, diverged: 1, notRun: 0 });
  });

  it('counts cells not computed apart: NaN finalLoss and no divergence is exactly "not run"', () => {
    const o = outputs([[1e-5, 10, -1], [NaN, -1, 2], [0.3, -1, -1]]);
    const notRun = allocateOutputs(4);
    for (const name of ['finalLoss', 'minLoss', 'stepsToThreshold', 'divergedAt'] as const) notRun[name].set(o[name]);
    expect(countClasses(notRun)).toEqual({ converged: 1, stalled: 1, diverged: 1, notRun: 1 });
    expect(countClasses(notRun, 1, 3)).toEqual({ converged: 0, stalled: 1, diverged: 1, notRun: 0 });
  });
});
