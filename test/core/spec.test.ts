import { describe, expect, it } from 'vitest';
import { cellSetup } from '../../src/core/grid';
import { MAX_CELLS, MAX_NETWORK_STEPS, parseSpec, parseSpecText } from '../../src/core/spec';

const x = { param: 'lr', min: 0.01, max: 100, count: 8, scale: 'log' };

/** The validation messages for `input`, joined; fails the test if the spec is accepted. */
function errorsOf(input: unknown): string {
  const r = parseSpec(input);
  if (r.ok) throw new Error(`accepted: ${JSON.stringify(input)}`);
  return r.errors.join('\n');
}

describe('valid specs', () => {
  it('fill every default from the era-v1 preset', () => {
    const r = parseSpec({ x });
    expect(r.ok && r.spec).toEqual({
      preset: 'era-v1', activation: 'sigmoid', steps: 1000, threshold: 1e-4, convergence: 'ends-below', lrHidden: 0.5, lrOutput: 0.5, momentum: 0,
      inputs: [0.05, 0.1], targets: [0.5, 0.5], biases: [0, 0], weights: [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55],
      init: { distribution: 'uniform', scale: 1, seed: 0 }, x, y: null,
    });
  });

  it('take the convergence rule, and name the three rules when it is not one of them', () => {
    expect(parseSpec({ convergence: 'tail-mean', x }).ok && (parseSpec({ convergence: 'tail-mean', x }) as { spec: { convergence: string } }).spec.convergence).toBe('tail-mean');
    const bad = parseSpec({ convergence: 'touched', x });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors[0]).toMatch(/^convergence: must be one of "ends-below" .*"reached" .*"tail-mean" .*; got "touched"$/);
  });

  it('take targets and biases from the chosen preset', () => {
    const r = parseSpec({ preset: 'mazur', x });
    expect(r.ok && [r.spec.targets, r.spec.biases]).toEqual([[0.01, 0.99], [0.35, 0.6]]);
  });

  it('let lr set both layers and lrHidden / lrOutput override it', () => {
    const r = parseSpec({ lr: 2, lrOutput: 3, x });
    expect(r.ok && [r.spec.lrHidden, r.spec.lrOutput]).toEqual([2, 3]);
  });

  it('round-trip: a normalized spec parses to itself', () => {
    const first = parseSpec({ preset: 'eva', activation: 'tanh', x, y: { param: 'seed', count: 3 }, init: { distribution: 'normal' } });
    if (!first.ok) throw new Error(first.errors.join());
    expect(parseSpec(JSON.parse(JSON.stringify(first.spec)))).toEqual(first);
  });

  it('turn a seed axis count into draw indices 0 … count−1', () => {
    const r = parseSpec({ x, y: { param: 'seed', count: 4 } });
    expect(r.ok && r.spec.y).toEqual({ param: 'seed', values: [0, 1, 2, 3] });
  });
});

describe('invalid specs get a message naming the field, the value and what is allowed', () => {
  const cases: Array<[string, unknown, RegExp[]]> = [
    ['not an object', 42, [/spec/, /object/i]],
    ['missing x', {}, [/^x: /m]],
    ['unknown top-level key', { x, learningRate: 1 }, [/unknown key "learningRate"/, /allowed keys are .*lrHidden/]],
    ['unknown axis key', { x: { ...x, step: 2 } }, [/^x: unknown key "step"/m, /allowed keys are param, min, max, count, scale, values/]],
    ['unknown init key', { x, init: { sigma: 1 } }, [/^init: unknown key "sigma"/m]],
    ['unknown preset', { x, preset: 'era-v2' }, [/^preset: must be one of era-v1, eva, mazur; got "era-v2"/m]],
    ['unknown activation', { x, activation: 'gelu' }, [/^activation: must be one of sigmoid, tanh, relu, identity; got "gelu"/m]],
    ['unknown axis param', { x: { ...x, param: 'dropout' } }, [/^x\.param: must be one of lr, lrHidden, lrOutput, momentum/m, /got "dropout"/]],
    ['momentum of 1 or more', { momentum: 1, x }, [/^momentum: must be < 1 \(momentum β/m]],
    ['momentum axis past 1', { x: { param: 'momentum', min: 0, max: 1.5, count: 4 } }, [/^x\.max: momentum β .* must be < 1; got 1\.5/m]],
    ['zero count', { x: { ...x, count: 0 } }, [/^x\.count: must be a positive integer .*; got 0/m]],
    ['fractional count', { x: { ...x, count: 2.5 } }, [/^x\.count: must be a positive integer .*; got 2\.5/m]],
    ['string count', { x: { ...x, count: '8' } }, [/^x\.count: must be a positive integer .*; got "8"/m]],
    ['non-finite number', { x: { ...x, max: Infinity } }, [/^x\.max: must be a finite number/m]],
    ['NaN threshold', { x, threshold: NaN }, [/^threshold: must be a finite number/m]],
    ['negative threshold', { x, threshold: -1 }, [/^threshold: must be > 0/m, /got -1/]],
    ['zero steps', { x, steps: 0 }, [/^steps: must be an integer from 1 to 1000000; got 0/m]],
    ['too many steps', { x, steps: 2_000_000 }, [/^steps: must be an integer from 1 to 1000000; got 2000000/m]],
    ['negative lr', { x, lr: -0.1 }, [/^lr: must be ≥ 0/m]],
    ['seven weights', { x, weights: [1, 2, 3, 4, 5, 6, 7] }, [/^weights: must be a list of eight finite numbers/m]],
    ['one target', { x, targets: [0.5] }, [/^targets: must be a list of two finite numbers/m]],
    ['min ≥ max on a log axis', { x: { ...x, min: 10, max: 1 } }, [/^x: min \(10\) must be less than max \(1\)/m]],
    ['zero min on a log axis', { x: { ...x, min: 0 } }, [/^x\.min: a log axis needs min > 0; got 0/m, /linear/]],
    ['range without count', { x: { param: 'lr', min: 0.1, max: 1 } }, [/^x\.count: missing/m]],
    ['values and a range', { x: { param: 'lr', values: [1], min: 0, max: 1, count: 2 } }, [/^x: give either "values" or "min", "max", "count"/m]],
    ['empty values', { x: { param: 'lr', values: [] } }, [/^x\.values: must hold at least one value/m]],
    ['seed axis with a range', { x: { param: 'seed', min: 0, max: 9, count: 10 } }, [/^x: a seed axis takes "count"/m]],
    ['fractional seed values', { x: { param: 'seed', values: [0.5] } }, [/^x\.values: seed axis values must be integers/m]],
    ['both axes the same', { x, y: { ...x } }, [/^y\.param: both axes sweep "lr"/m]],
    ['lr with lrHidden', { x, y: { param: 'lrHidden', values: [1] } }, [/^y\.param: "lr" and "lrHidden" set the same thing .* so they cannot share a sweep/m]],
    ['bad init seed', { x, init: { seed: -1 } }, [/^init\.seed: must be an integer from 0 to 4294967295; got -1/m]],
    ['bad init distribution', { x, init: { distribution: 'cauchy' } }, [/^init\.distribution: must be "uniform" .* or "normal"/m]],
  ];
  for (const [name, input, patterns] of cases) {
    it(name, () => {
      const message = errorsOf(input);
      for (const pattern of patterns) expect(message).toMatch(pattern);
    });
  }

  it('reports every problem at once, not just the first', () => {
    expect(errorsOf({ x: { ...x, count: 0 }, steps: 0, preset: 'nope' }).split('\n')).toHaveLength(3);
  });

  it('rejects more cells than the limit and says how many are allowed', () => {
    const message = errorsOf({ x: { ...x, count: 8192 }, y: { param: 'initScale', min: 0.1, max: 10, count: 4096 } });
    expect(message).toContain('33,554,432 cells');
    expect(message).toContain(`at most ${MAX_CELLS.toLocaleString('en-US')} (4096 × 4096)`);
  });

  it('rejects more network-steps than the limit and says how many are allowed', () => {
    const message = errorsOf({ steps: 100_000, x: { ...x, count: 4096 }, y: { param: 'initScale', min: 0.1, max: 10, count: 4096 } });
    expect(message).toMatch(/^steps: 16,777,216 cells × 100,000 steps/);
    expect(message).toContain(`at most ${MAX_NETWORK_STEPS.toLocaleString('en-US')}`);
  });

  it('reports malformed JSON text as a spec error with an example', () => {
    const r = parseSpecText('{"x": {"param": "lr",}');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]).toMatch(/^spec: not valid JSON .*\{"x": \{"param": "lr"/);
  });

  it('checks the size of a seed axis from its count, before making its draws', () => {
    const started = performance.now();
    expect(errorsOf({ x: { param: 'seed', count: 4294967296 } })).toMatch(/^x\.count: the sweep has 4,294,967,296 cells; at most 16,777,216/);
    expect(errorsOf({ x: { param: 'seed', count: 200_000_000 } })).toMatch(/200,000,000 cells/);
    expect(performance.now() - started).toBeLessThan(1000); // no 200 M-entry list was made (it took 15 s)
  });

  it('names a number beyond float64 (1e309 parses as Infinity) instead of echoing "null"', () => {
    const r = parseSpecText('{"x": {"param": "lr", "min": 1e309, "max": 2, "count": 3}}');
    expect(!r.ok && r.errors.join()).toMatch(/^x\.min: must be a finite number .*; got a number beyond float64's range/);
  });

  it('cuts a long invalid value short in its message, saying how long it was', () => {
    const message = errorsOf({ x, preset: 'x'.repeat(50_000_000 / 1000) });
    expect(message.length).toBeLessThan(400);
    expect(message).toMatch(/^preset: must be one of .*; got "x{79}… \(50,002 characters\)$/);
  });

  it('refuses JSON nested deeper than a spec can be, with a message rather than a stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(errorsOf({ x, y: deep })).toMatch(/^spec: nested more than 8 levels deep/);
  });

  it('reads a file that starts with a UTF-8 byte-order mark', () => {
    expect(parseSpecText(`\uFEFF${JSON.stringify({ x })}`).ok).toBe(true);
  });

  it('refuses negative learning rates on an axis as at the top level', () => {
    expect(errorsOf({ x: { param: 'lr', min: -1, max: 1, count: 3 } })).toMatch(/^x\.min: learning rate η \(both layers\) must be ≥ 0; got -1/);
    expect(errorsOf({ x: { param: 'lrHidden', values: [0.1, -0.5] } })).toMatch(/^x\.values: learning rate of the input layer \(w1…w4; the MLP.s W0\) must be ≥ 0; got -0\.5/);
  });
});

describe('MLP specs (the fractal paper network)', () => {
  const x = { param: 'lrHidden', min: 0.1, max: 10, count: 4, scale: 'log' };
  const errorsOf = (input: unknown) => { const r = parseSpec(input); return r.ok ? [] : r.errors; };

  it("fills the paper's defaults and parses its own normal form again", () => {
    const r = parseSpec({ network: { kind: 'mlp' }, x });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.spec.network).toEqual({ kind: 'mlp', inputs: 16, width: 16, outputs: 1, activation: 'tanh', scaling: 'mean-field' });
    expect(r.spec.data).toEqual({ points: 272, seed: 1 });
    expect(r.spec.init).toEqual({ distribution: 'normal', scale: 1, seed: 2 });
    expect([r.spec.minibatch, r.spec.initOffsetEveryStep, r.spec.convergence]).toEqual([null, false, 'tail-mean']);
    expect(parseSpec(JSON.parse(JSON.stringify(r.spec)))).toEqual(r);
    const course = parseSpec({ x });
    expect(course.ok && 'network' in course.spec).toBe(false);
  });

  it('names the field of every bad size, kind mix-up and axis that does not apply', () => {
    expect(errorsOf({ network: { kind: 'mlp', width: 65 }, x })[0]).toMatch(/^network\.width: must be an integer from 1 to 64/);
    expect(errorsOf({ network: { kind: 'mlp' }, data: { points: 5000 }, x })[0]).toMatch(/^data\.points: must be an integer from 1 to 4096/);
    expect(errorsOf({ network: { kind: 'mlp', activation: 'sigmoid' }, x })[0]).toMatch(/^network\.activation: must be one of tanh, relu, identity/);
    expect(errorsOf({ network: { kind: 'mlp' }, weights: [1, 2, 3, 4, 5, 6, 7, 8], x })[0]).toMatch(/^weights: describes the course's 2-2-2 network/);
    expect(errorsOf({ network: { kind: 'mlp' }, momentum: 0.9, x })[0]).toMatch(/^momentum: .*plain gradient descent/);
    expect(errorsOf({ network: { kind: 'mlp' }, x: { param: 'w1', values: [1] } })[0]).toMatch(/^x\.param: "w1" does not apply to the mlp network; its axis parameters are lr, lrHidden, lrOutput, initScale, initOffset, seed/);
    expect(errorsOf({ data: { points: 8 }, x })[0]).toMatch(/^data: belongs to the mlp network/);
    expect(errorsOf({ network: { kind: 'course', width: 3 }, x })[0]).toMatch(/^network\.width: belongs to the mlp network/);
    expect(errorsOf({ network: { kind: 'mlp' }, minibatch: { size: 4096 }, steps: 5000, x })[0]).toMatch(/^minibatch\.size: 5,000 steps × 4096 points/);
    expect(errorsOf({ network: { kind: 'mlp', depth: 3 }, x })[0]).toMatch(/^network: unknown key "depth"; allowed keys are kind, inputs, width, outputs, activation, scaling/);
  });

  it('puts initOffset on both kinds: added to w1…w4 of the course network after any initScale', () => {
    const r = parseSpec({ x: { param: 'initOffset', values: [0.5] }, y: { param: 'initScale', values: [2] } });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const setup = cellSetup(r.spec, 0);
    expect(Array.from(setup.subarray(0, 8))).toEqual([0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55].map((w, j) => w * 2 + (j < 4 ? 0.5 : 0)));
  });
});
