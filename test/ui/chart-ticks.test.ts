/** The labels of the page's charts, laid out in Node: a chart's log axis and a 1-D sweep's value axis. */
import { describe, expect, it } from 'vitest';
import { logAxisTicks } from '../../src/core/ticks';
import { curveY, LABEL_GAP, lineTickLabels } from '../../src/ui/heatmap/draw';
import { allocateOutputs } from '../../src/core/outputs';

const labels = (lo: number, hi: number, max?: number) => logAxisTicks(lo, hi, max).map((t) => t.label);

describe("a chart's log axis", () => {
  it('labels whole decades over a wide range, every 2nd when they would be too many', () => {
    expect(labels(-3.2, 0.1)).toEqual(['1e-3', '1e-2', '1e-1', '1e0']);
    // 1e-14 … 1e0 is 15 decades: 8 of them at most, so every 2nd (1e-14, 1e-12, … 1e0).
    expect(labels(-14.3, 0.2, 8)).toEqual(['1e-14', '1e-12', '1e-10', '1e-8', '1e-6', '1e-4', '1e-2', '1e0']);
  });

  it('labels 1, 2, 5 × 10^k when the data span less than three decades (the MNIST training loss had one tick, 1e0)', () => {
    // A loss from about 0.15 to 2.3 (log10 −0.82 … 0.36).
    expect(labels(-0.82, 0.36)).toEqual(['2e-1', '5e-1', '1e0', '2e0']);
  });

  it('adds 3 × 10^k, then every mantissa, until there are three labels', () => {
    // 0.1 … 0.31: 1e-1, 2e-1 from 1, 2, 5 (two), so 1, 2, 3, 5.
    expect(labels(-1, -0.51)).toEqual(['1e-1', '2e-1', '3e-1']);
    // 0.2 … 0.45: 2e-1, 3e-1, 4e-1 from 1 … 9.
    expect(labels(Math.log10(0.2), Math.log10(0.45))).toEqual(['2e-1', '3e-1', '4e-1']);
  });

  it('uses round linear steps inside a ninth of a decade, placed at their log10', () => {
    // 0.301 … 0.312: steps of 0.005 give two (0.305, 0.31), so steps of 0.002.
    const ticks = logAxisTicks(Math.log10(0.301), Math.log10(0.312));
    expect(ticks.map((t) => t.label)).toEqual(['0.302', '0.304', '0.306', '0.308', '0.31', '0.312']);
    expect(ticks[0].log10).toBeCloseTo(Math.log10(0.302), 12);
  });

  it('never gives fewer than 3 labels nor more than asked for, over ranges from a hundredth of a decade to 40', () => {
    for (const span of [0.01, 0.05, 0.2, 0.5, 0.9, 1, 1.7, 2.5, 4, 9, 17, 40]) {
      for (const lo of [-33.3, -7, -1.05, 0, 0.42]) {
        const ticks = logAxisTicks(lo, lo + span, 6);
        expect(ticks.length, `${lo} … ${lo + span}`).toBeGreaterThanOrEqual(3);
        expect(ticks.length, `${lo} … ${lo + span}`).toBeLessThanOrEqual(6);
        for (const t of ticks) expect(t.log10).toBeGreaterThanOrEqual(lo - 1e-9), expect(t.log10).toBeLessThanOrEqual(lo + span + 1e-9);
      }
    }
  });
});

describe("a 1-D sweep's value axis", () => {
  const plot = (h: number) => ({ x: 72, y: 14, w: 480, h, cssW: 672, cssH: h + 66 });
  const gaps = (ys: number[]) => ys.slice().sort((a, b) => a - b).slice(1).map((y, i, all) => y - (i === 0 ? ys.slice().sort((a, b) => a - b)[0] : all[i - 1]));

  it('puts "0" below the decades, clear of the lowest one (it overlapped 1e-32 by 4 px)', () => {
    const layout = lineTickLabels(plot(440), { metric: 'finalLoss', kind: 'log', min: 1e-32, max: 0.03 });
    expect(layout[0]).toEqual({ y: 14 + 440 - 14, label: '0' });
    expect(layout.map((l) => l.label)).toContain('1e-32');
    for (const gap of gaps(layout.map((l) => l.y))) expect(gap).toBeGreaterThanOrEqual(LABEL_GAP);
  });

  it('leaves out decades that would collide on a short plot, never the 0', () => {
    const layout = lineTickLabels(plot(120), { metric: 'finalLoss', kind: 'log', min: 1e-32, max: 0.03 });
    expect(layout[0].label).toBe('0');
    expect(layout.length).toBeGreaterThanOrEqual(3);
    for (const gap of gaps(layout.map((l) => l.y))) expect(gap).toBeGreaterThanOrEqual(LABEL_GAP);
  });

  it('has no 0 line on a linear scale', () => {
    expect(lineTickLabels(plot(300), { metric: 'stepsToThreshold', kind: 'linear', min: 0, max: 200 }).map((l) => l.label)).toEqual(['0', '100', '200']);
  });

  it('labels a probability 0, 0.2 … 1 (the band of a replica sweep), evenly, 1 at the top', () => {
    const layout = lineTickLabels(plot(300), { metric: 'pConverged', kind: 'linear', min: 0, max: 1 });
    expect(layout.map((l) => l.label)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(layout[5].y).toBeLessThan(layout[0].y);
    for (const gap of gaps(layout.map((l) => l.y))) expect(gap).toBeCloseTo((300 - 40) / 5, 9);
  });

  it('puts the marks of a cell on its point, or nowhere in particular where it has no value', () => {
    const outputs = allocateOutputs(3, true);
    outputs.pConverged!.set([0, 0.5, NaN]);
    const scale = { metric: 'pConverged', kind: 'linear', min: 0, max: 1 } as const;
    const labels = lineTickLabels(plot(300), scale);
    expect(curveY(plot(300), outputs, scale, 0)).toBe(labels[0].y);
    expect(curveY(plot(300), outputs, scale, 1)).toBeCloseTo((labels[2].y + labels[3].y) / 2, 9);
    expect(curveY(plot(300), outputs, scale, 2)).toBeUndefined();
  });
});
