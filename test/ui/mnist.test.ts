/** The MNIST view's pure parts: the settings form, a drawn digit made MNIST-like, the accuracy grid and figure. */
import { describe, expect, it } from 'vitest';
import { accuracyColourRange } from '../../src/mnist/accuracy-map';
import { mnistFigureSvg } from '../../src/mnist/figure';
import { accuracyGrid } from '../../src/mnist/grid';
import { newResults } from '../../src/mnist/sweep';
import { copiesOf } from '../../src/mnist/sweep';
import { DEFAULT_COPY, DEFAULT_RUN } from '../../src/mnist/training';
import { toMnistDigit } from '../../src/ui/mnist/digit';
import { errorsToShow, formLimits, planLine, readMnistForm } from '../../src/ui/mnist/form';

const form = { lr: '0.05, 0.1', seeds: '2', dropout: '0.05', epochs: '3', train: '10000', test: '2000', schedule: 'onecycle' };

describe('the MNIST form', () => {
  it('reads a sweep: every combination, the run limits', () => {
    const read = readMnistForm(form);
    if (!read.ok) throw new Error(read.errors.join());
    expect(read.copies.map((c) => [c.lr, c.seed])).toEqual([[0.05, 1], [0.05, 2], [0.1, 1], [0.1, 2]]);
    expect([read.run.epochs, read.run.trainLimit, read.run.testLimit, read.run.schedule]).toEqual([3, 10000, 2000, 'onecycle']);
  });
  it('names every bad field and its fix', () => {
    const read = readMnistForm({ ...form, lr: '0.1, -1', dropout: '1', epochs: '0' });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors).toEqual([
      { field: 'lr', message: 'Learning rates "0.1, -1": expected learning rates above 0 and below 100, comma-separated (e.g. 0.05)' },
      { field: 'dropout', message: 'Dropout rates "1": expected dropout rates in [0, 1), comma-separated (e.g. 0.05)' },
      { field: 'epochs', message: 'Epochs "0": expected a whole number from 1 to 1,000' },
    ]);
  });
  it('checks through the settings table the command line uses: its limits, its backend words', () => {
    const read = readMnistForm({ ...form, lr: '50', epochs: '1000', engine: 'cpu-f32' });
    if (!read.ok) throw new Error(JSON.stringify(read));
    expect([read.copies[0].lr, read.run.epochs, read.device]).toEqual([50, 1000, 'cpu']);
    expect(readMnistForm({ ...form, engine: 'webgpu' })).toMatchObject({ ok: true, device: 'webgpu' });
    expect(readMnistForm(form)).toMatchObject({ ok: true, device: 'auto' });
    const f64 = readMnistForm({ ...form, engine: 'cpu-f64' });
    expect(f64.ok).toBe(false);
    if (!f64.ok) expect(f64.errors).toEqual([{ field: 'engine', message: expect.stringMatching(/^Engine "cpu-f64": the page trains in float32 .*--backend cpu-f64\)$/) }]);
    expect(readMnistForm({ ...form, engine: 'tpu' })).toEqual({ ok: false, errors: [{ field: 'engine', message: 'Engine "tpu": expected one of auto, webgpu, cpu or cpu-f64' }] });
  });
  it('gives the number inputs the table\'s limits', () => {
    expect(formLimits()).toEqual([
      { field: 'seeds', min: 1, max: 10000 }, { field: 'epochs', min: 1, max: 1000 },
      { field: 'train', min: 1, max: 60000 }, { field: 'test', min: 1, max: 10000 },
    ]);
  });
});

describe('the plan line under the form', () => {
  it('says what Train will run', () => {
    // 2 learning rates × 1 dropout × 2 seeds = 4 copies; 4 × 3 epochs × 10,000 images = 120,000 image-steps.
    expect(planLine(readMnistForm(form))).toBe('4 copies × 3 epochs × 10,000 images = 120,000 image-steps');
    expect(planLine(readMnistForm({ ...form, lr: '0.1', seeds: '1', epochs: '1', train: '500' }))).toBe('1 copy × 1 epoch × 500 images = 500 image-steps');
  });
  it('over the copy limit, still says what was asked, with the limit and the fix, before Train is pressed', () => {
    // 2 learning rates × 1 dropout rate × 20 seeds = 40 copies, above MAX_PAGE_COPIES = 32.
    const read = readMnistForm({ ...form, seeds: '20' });
    expect(read.ok).toBe(false);
    expect(planLine(read)).toBe('40 copies × 3 epochs × 10,000 images: 2 learning rates × 1 dropout rate × 20 seeds make 40 copies; the page trains at most 32 at once. Use fewer values, or the command line (npm run mnist) for larger sweeps.');
  });
  it('with bad fields, names the fields that stop it', () => {
    expect(planLine(readMnistForm({ ...form, lr: 'abc' }))).toBe('Nothing to train until Learning rates is fixed.');
    expect(planLine(readMnistForm({ ...form, lr: 'abc', test: '0' }))).toBe('Nothing to train until Learning rates, Test images are fixed.');
  });
});

describe('field errors on screen', () => {
  const lr = { field: 'lr' as const, message: 'Learning rates: …' }, epochs = { field: 'epochs' as const, message: 'Epochs: …' };
  it('go as soon as their field is fixed, while an error of another field stays', () => {
    expect(errorsToShow([epochs], [lr, epochs], false)).toEqual([epochs]);
    expect(errorsToShow([], [lr, epochs], false)).toEqual([]);
  });
  it('appear for a field still being typed only once it is committed (or Train pressed)', () => {
    expect(errorsToShow([lr], [], false)).toEqual([]);
    expect(errorsToShow([lr], [], true)).toEqual([lr]);
  });
});

describe('a drawn digit', () => {
  it('is scaled into 20 × 20 and centred by its mass in 28 × 28', () => {
    const w = 280, ink = new Float32Array(w * w);
    for (let y = 20; y < 120; y++) for (let x = 200; x < 230; x++) ink[y * w + x] = 1; // a bar in the top right corner
    const digit = toMnistDigit(ink, w, w)!;
    let mass = 0, mx = 0, my = 0, rows = new Set<number>();
    digit.forEach((v, j) => { mass += v; mx += v * (j % 28); my += v * Math.floor(j / 28); if (v > 0) rows.add(Math.floor(j / 28)); });
    expect(Math.abs(mx / mass - 13.5)).toBeLessThanOrEqual(1);
    expect(Math.abs(my / mass - 13.5)).toBeLessThanOrEqual(1);
    expect(rows.size).toBe(20); // the long side fills 20 pixels
    expect(toMnistDigit(new Float32Array(w * w), w, w)).toBeNull();
  });
});

describe('the accuracy grid and the figure', () => {
  const results = newResults(DEFAULT_RUN, copiesOf({ lr: [0.05, 0.1], dropout: [0.05], seeds: [1, 2] }, DEFAULT_COPY), 'cpu');
  results.copies.forEach((c, i) => c.epochs.push({ epoch: 1, trainLoss: 0.1, trainAccuracy: 0.9, testLoss: 0.05, testAccuracy: 0.99 + i / 1000, lr: 0.01, seconds: 1 }));
  it('puts learning rate across and the other varying setting down', () => {
    const grid = accuracyGrid(results)!;
    expect([grid.x, grid.y, grid.xs, grid.ys]).toEqual(['lr', 'seed', [0.05, 0.1], [1, 2]]);
    expect(grid.values).toEqual([[0.99, 0.992], [0.991, 0.993]]);
    const one = newResults(DEFAULT_RUN, copiesOf({ lr: [0.05, 0.1], dropout: [0.05], seeds: [1] }, DEFAULT_COPY), 'cpu');
    expect(accuracyGrid(one)).toBeNull();
    expect(accuracyGrid(one, true)!.ys).toEqual([1]);
  });
  it('widens the colour range to a percentage point and draws the target', () => {
    expect(accuracyColourRange([0.9936, 0.9938, NaN])).toEqual({ lo: 0.9838, hi: 0.9938 });
    const svg = mnistFigureSvg(results);
    expect(svg).toMatch(/target 99\.4%/);
    expect(svg).toMatch(/>99\.30%</);
    expect(svg).toMatch(/60,000 training \/ 10,000 test images/);
  });
});
