import { describe, expect, it } from 'vitest';
import { compareOutputs, disagreementMap, RELATIVE_ERROR_FLOOR } from '../../src/core/compare';
import { classSwatches, heatmapPixels, heatmapScale, paintCells, scaleSwatches, viridis, CLASS_COLORS, NEVER_COLOR, NO_VALUE_COLOR } from '../../src/core/heatmap';
import { allocateOutputs, classifyCell, countClasses, setCell } from '../../src/core/outputs';
import { cellSetup } from '../../src/core/grid';
import { outputsOfLosses, trainCell } from '../../src/core/reference';
import { buildResults, RESULTS_FORMAT } from '../../src/core/results';
import { parseSpec } from '../../src/core/spec';

describe('classes under each convergence rule', () => {
  // Hand-built trajectories loss[0 … 24], threshold 1e-4: one per class, through the kernels' bookkeeping.
  const threshold = 1e-4;
  const decay = Array.from({ length: 25 }, (_, k) => 0.1 * 0.5 ** k); // below 1e-4 from k = 10 on, stays
  const dipped = Array.from({ length: 25 }, (_, k) => (k === 2 ? 6e-5 : 0.5)); // the cell: touched once at k = 2
  const flat = Array.from({ length: 25 }, () => 0.2); // never below; the tail equals the first loss
  const slowly = Array.from({ length: 25 }, (_, k) => 0.2 - 0.004 * k); // never below, but ends lower than it started
  const blownUp = [0.1, 0.5, 30, Infinity];
  const rules = ['ends-below', 'reached', 'tail-mean'] as const;
  const classes = (losses: number[]) => rules.map((rule) => classifyCell(outputsOfLosses(losses, threshold), rule));

  it('records what the rules need: first step below, the step it settled below from, the tail ratio', () => {
    expect(outputsOfLosses(decay, threshold)).toMatchObject({ stepsToThreshold: 10, settledAt: 10, divergedAt: -1 });
    expect(outputsOfLosses(dipped, threshold)).toMatchObject({ stepsToThreshold: 2, settledAt: -1, finalLoss: 0.5, minLoss: 6e-5 });
    // The last 20 of 25 losses are k = 5 … 24: mean of 0.5^k for those k, over the first (0.1 / 0.1 = 1).
    const tail = Array.from({ length: 20 }, (_, j) => 0.5 ** (j + 5)).reduce((a, b) => a + b / 20, 0);
    expect(outputsOfLosses(decay, threshold).tailLossRatio).toBeCloseTo(tail, 15);
    expect(outputsOfLosses(flat, threshold).tailLossRatio).toBeCloseTo(1, 14);
    expect(outputsOfLosses(blownUp, threshold)).toMatchObject({ divergedAt: 3, stepsToThreshold: -1, settledAt: -1 });
    expect(outputsOfLosses(blownUp, threshold).tailLossRatio).toBeNaN();
  });

  it('takes the mean over all losses when there are fewer than 20', () => {
    expect(outputsOfLosses([0.4, 0.2, 0.1], threshold).tailLossRatio).toBeCloseTo((1 + 0.5 + 0.25) / 3, 15);
  });

  it('classes each trajectory by the rule: converged, left, stalled, diverged', () => {
    expect(classes(decay)).toEqual(['converged', 'converged', 'converged']);
    expect(classes(dipped)).toEqual(['left', 'converged', 'stalled']); // touched once: only "reached" calls it converged
    expect(classes(flat)).toEqual(['stalled', 'stalled', 'stalled']); // tail / first = 1 is not below 1
    expect(classes(slowly)).toEqual(['stalled', 'stalled', 'converged']); // the paper's rule: ended lower than it began
    expect(classes(blownUp)).toEqual(['diverged', 'diverged', 'diverged']);
  });

  it('calls the fractal view\'s cell at lrHidden 7.42 × lrOutput 85 "left", not converged, under the default rule', () => {
    // The cell of issue 18, from the ready-made fractal view (eva, tanh, 1000 steps, 256 × 256 over 0.1 … 100 log):
    // column 159 is lrHidden 7.42, row 249 is lrOutput 85.0. Its loss dips below 1e-4 at step 2 and sits at 0.51.
    const parsed = parseSpec({ preset: 'eva', activation: 'tanh', steps: 1000, threshold: 1e-4, x: { param: 'lrHidden', min: 0.1, max: 100, count: 256, scale: 'log' }, y: { param: 'lrOutput', min: 0.1, max: 100, count: 256, scale: 'log' } });
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const spec = parsed.spec;
    expect(spec.convergence).toBe('ends-below');
    const cell = 249 * 256 + 159, setup = cellSetup(spec, cell);
    expect(setup[8]).toBeCloseTo(7.42, 2);
    expect(setup[9]).toBeCloseTo(85.0, 1);
    const out = trainCell(setup, { activation: spec.activation, biases: spec.biases, steps: spec.steps, threshold: spec.threshold });
    expect(out).toMatchObject({ stepsToThreshold: 2, settledAt: -1, divergedAt: -1 });
    expect(out.minLoss).toBeCloseTo(6.075e-5, 8); // the read-out: minLoss 6.075e-5, finalLoss 5.101e-1
    expect(out.finalLoss).toBeCloseTo(0.5101, 4);
    expect(out.tailLossRatio).toBeGreaterThan(1); // the tail sits above the first loss (0.4542)
    expect(classifyCell(out, 'ends-below')).toBe('left');
    expect(classifyCell(out, 'reached')).toBe('converged');
    expect(classifyCell(out, 'tail-mean')).not.toBe('converged');
  });
});

/** Outputs of cells [finalLoss, stepsToThreshold, divergedAt]: settled from stepsToThreshold on, tail ratio finalLoss. */
function outputs(cells: Array<[number, number, number]>) {
  const o = allocateOutputs(cells.length);
  cells.forEach(([finalLoss, stepsToThreshold, divergedAt], i) => setCell(o, i, {
    finalLoss, minLoss: finalLoss, peakLoss: finalLoss, tailLossRatio: finalLoss, score: -finalLoss, stepsToThreshold, settledAt: divergedAt >= 0 ? -1 : stepsToThreshold, divergedAt,
  }));
  return o;
}

/** Settings a heatmap scale reads: steps 10, threshold 1e-4 (its colours reach a decade below: 1e-5). */
const SCALE_SPEC = { steps: 10, threshold: 1e-4, convergence: 'ends-below' } as const;

describe('compare', () => {
  const reference = outputs([[1e-5, 10, -1], [2e-5, 20, -1], [0.3, -1, -1], [NaN, -1, 4], [1e-20, 3, -1]]);
  const gpu = outputs([[1.1e-5, 10, -1], [2e-5, 21, -1], [1e-6, 50, -1], [NaN, -1, 4], [2e-12, 3, -1]]);

  it('counts class disagreements and errors over cells both call converged', () => {
    const a = compareOutputs(gpu, reference, 'ends-below');
    expect(a).toMatchObject({ cells: 5, classDisagreements: 1, classAgreementRate: 0.8, bothConverged: 3, relativeCells: 2, stepsToThresholdDisagreements: 1 });
    expect(a.finalLossAbsErrorMax).toBeCloseTo(1e-6, 15);
    expect(a.finalLossRelErrorMax).toBeCloseTo(0.1, 12);
    expect(a.finalLossRelErrorMedian).toBe(0); // of [0, 0.1], the lower middle
  });

  it(`compares losses below ${RELATIVE_ERROR_FLOOR} absolutely only`, () => {
    expect(compareOutputs(gpu, reference, 'ends-below', [4])).toMatchObject({ relativeCells: 0, bothConverged: 1 });
  });

  it('maps disagreeing cells, and compares only the sampled cells when given', () => {
    expect(Array.from(disagreementMap(gpu, reference, 'ends-below'))).toEqual([0, 0, 1, 0, 0]);
    expect(compareOutputs(gpu, reference, 'ends-below', [0, 1])).toMatchObject({ cells: 2, classDisagreements: 0 });
  });
});

describe('heatmap', () => {
  it('puts the largest y on the top row and the first x on the left', () => {
    const o = outputs([[1e-6, 1, -1], [1e-4, 2, -1], [1e-2, -1, -1], [NaN, -1, 0]]); // 2 × 2: row 0 = cells 0, 1
    const scale = heatmapScale(o, 'finalLoss', { ...SCALE_SPEC, threshold: 1e-7 });
    expect(scale).toMatchObject({ kind: 'log', min: 1e-6, max: 1e-2, below: false });
    const px = heatmapPixels(o, 2, 2, scale);
    const at = (row: number, col: number) => Array.from(px.slice((row * 2 + col) * 4, (row * 2 + col) * 4 + 3));
    expect(at(1, 0)).toEqual(viridis(0)); // cell 0: smallest loss, bottom left
    expect(at(1, 1)).toEqual(viridis(0.5)); // cell 1: 1e-4 is half way on log10
    expect(at(0, 0)).toEqual(viridis(1)); // cell 2: top left
    expect(at(0, 1)).toEqual(CLASS_COLORS.diverged); // cell 3: diverged, no loss: the diverged colour, not "not run"
  });

  it('spans losses from a decade below the threshold, drawing smaller ones and exact zeros as "below"', () => {
    // float64 round-off takes converged cells to 1e-33 and 0; the structure lies between the start and the threshold.
    const o = outputs([[1e-33, 1, -1], [0, 1, -1], [1e-3, -1, -1], [0.5, -1, -1]]);
    const scale = heatmapScale(o, 'finalLoss', SCALE_SPEC);
    expect(scale).toMatchObject({ kind: 'log', min: 1e-5, max: 0.5, below: true });
    const px = heatmapPixels(o, 4, 1, scale);
    expect([0, 1].map((i) => Array.from(px.slice(i * 4, i * 4 + 3)))).toEqual([viridis(0), viridis(0)]);
    expect(scaleSwatches(scale, false).map(([label]) => label)).toEqual(['below 1e-5', 'diverged', 'not run']);
    // Every value below the floor: the scale spans what there is instead of one colour.
    const tiny = outputs([[1e-33, 1, -1], [1e-20, 1, -1]]);
    expect(heatmapScale(tiny, 'finalLoss', SCALE_SPEC)).toMatchObject({ min: 1e-33, max: 1e-20, below: false });
    // Ratios reach three decades below the paper's line at 1.
    expect(heatmapScale(outputs([[1e-9, 1, -1], [2, -1, -1]]), 'tailLossRatio', SCALE_SPEC)).toMatchObject({ min: 1e-3, max: 2, below: true });
  });

  it('tells diverged, never and not-run cells apart on every metric', () => {
    // converged at 1, stalled, diverged at 3, not computed
    const o = outputs([[1e-6, 1, -1], [0.2, -1, -1], [NaN, -1, 3], [NaN, -1, -1]]);
    const colors = (metric: 'finalLoss' | 'stepsToThreshold' | 'divergedAt') => {
      const px = heatmapPixels(o, 4, 1, heatmapScale(o, metric, SCALE_SPEC));
      return [0, 1, 2, 3].map((i) => Array.from(px.slice(i * 4, i * 4 + 3)));
    };
    expect(colors('finalLoss').slice(2)).toEqual([CLASS_COLORS.diverged, NO_VALUE_COLOR]);
    expect(colors('stepsToThreshold').slice(1)).toEqual([NEVER_COLOR, CLASS_COLORS.diverged, NO_VALUE_COLOR]);
    expect(colors('stepsToThreshold')[0]).not.toEqual(NEVER_COLOR); // 1 step: a colour of the scale
    expect(colors('divergedAt')).toEqual([NEVER_COLOR, NEVER_COLOR, viridis(0.3), NO_VALUE_COLOR]);
  });

  it('colors the class map by class under the view\'s rule, "left" with its own swatch', () => {
    const o = outputs([[1e-6, 1, -1], [0.2, -1, -1], [NaN, -1, 3], [0.5, 2, -1]]);
    o.settledAt[3] = -1; // reached the threshold at step 2, ended at 0.5
    const colors = (rule: 'ends-below' | 'reached') => {
      const px = heatmapPixels(o, 4, 1, heatmapScale(o, 'class', { ...SCALE_SPEC, convergence: rule }));
      return [0, 1, 2, 3].map((i) => Array.from(px.slice(i * 4, i * 4 + 3)));
    };
    expect(colors('ends-below')).toEqual([CLASS_COLORS.converged, CLASS_COLORS.stalled, CLASS_COLORS.diverged, CLASS_COLORS.left]);
    expect(colors('reached')[3]).toEqual(CLASS_COLORS.converged);
    expect(new Set(Object.values(CLASS_COLORS).map(String)).size).toBe(4);
    const legend = (rule: 'ends-below' | 'reached') => classSwatches(heatmapScale(o, 'class', { ...SCALE_SPEC, convergence: rule }), false).map(([label]) => label);
    expect(legend('ends-below')).toEqual(['converged', 'left (ended above)', 'stalled', 'diverged', 'not run']);
    expect(legend('reached')).toEqual(['converged', 'stalled', 'diverged', 'not run']);
  });

  it('fills cells not yet computed from their block corner during a refinement, and paints new cells alone', () => {
    // 4 × 2 cells, first pass at stride 2 computed (cells 0 and 2): converged and diverged.
    const o = outputs([[1e-6, 1, -1], [NaN, -1, -1], [NaN, -1, 1], [NaN, -1, -1], [NaN, -1, -1], [NaN, -1, -1], [NaN, -1, -1], [NaN, -1, -1]]);
    const computed = Uint8Array.from([1, 0, 1, 0, 0, 0, 0, 0]);
    const scale = heatmapScale(o, 'class', SCALE_SPEC);
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
    const px = heatmapPixels(o, 2, 1, heatmapScale(o, 'stepsToThreshold', SCALE_SPEC));
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
    expect(countClasses(o, 'ends-below')).toEqual({ converged: 1, left: 0, stalled: 0, diverged: 1, notRun: 0 });
  });

  it('counts cells not computed apart: NaN finalLoss and no divergence is exactly "not run"', () => {
    const o = outputs([[1e-5, 10, -1], [NaN, -1, 2], [0.3, -1, -1]]);
    const notRun = allocateOutputs(4);
    for (const name of ['finalLoss', 'minLoss', 'stepsToThreshold', 'settledAt', 'divergedAt'] as const) notRun[name].set(o[name]);
    expect(countClasses(notRun, 'ends-below')).toEqual({ converged: 1, left: 0, stalled: 1, diverged: 1, notRun: 1 });
    expect(countClasses(notRun, 'ends-below', 1, 3)).toEqual({ converged: 0, left: 0, stalled: 1, diverged: 1, notRun: 0 });
  });
});
