/**
 * The page's MLP (issue 20): the form's MLP fields ↔ spec, the axis parameters each network offers, the fractal
 * paper's ready-made views, every MLP field through the URL, and the (temporary) CPU engine for MLP views. Pure: the
 * DOM part of the form is exercised in the browser.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HEATMAP_METRICS } from '../../src/core/heatmap';
import { appliesTo, overlap, PARAMETERS } from '../../src/core/parameters';
import { isMlp, parseSpec, type MlpSweepSpec, type SweepSpec } from '../../src/core/spec';
import { axisParamFor, axisParamsFor, INIT_DEFAULTS, mlpFieldTexts, MLP_PATHS, readMlpFields } from '../../src/ui/network-form';
import { PAPER_VIEWS } from '../../src/ui/ready-made';
import { INITIAL_STATE, resolveArithmetic } from '../../src/ui/state';
import { readUrl, writeUrl } from '../../src/ui/url-table';
import { rateText } from '../../src/ui/words';
import type { Capabilities } from '../../src/worker/sweep.worker';

const parsed = (raw: unknown): SweepSpec => {
  const r = parseSpec(raw);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.spec;
};
const mlp = (raw: unknown): MlpSweepSpec => {
  const spec = parsed(raw);
  if (!isMlp(spec)) throw new Error('not an MLP spec');
  return spec;
};
const AXES = { x: { param: 'lrHidden', min: 0.01, max: 100, count: 8, scale: 'log' }, y: { param: 'lrOutput', min: 0.01, max: 100, count: 8, scale: 'log' } };
/** Specs that set every MLP field away from its default, one at a time and all at once. */
const VARIANTS: Record<string, object> = {
  sizes: { network: { kind: 'mlp', inputs: 3, width: 7, outputs: 2, activation: 'relu', scaling: 'standard' }, ...AXES },
  data: { network: { kind: 'mlp', activation: 'identity' }, data: { points: 4096, seed: 4294967295 }, ...AXES },
  minibatch: { network: { kind: 'mlp' }, minibatch: { size: 5, seed: 9 }, ...AXES },
  offset: { network: { kind: 'mlp' }, initOffsetEveryStep: true, init: { distribution: 'uniform', scale: 0.5, seed: 11 }, x: { param: 'initOffset', min: -1, max: 1, count: 4 }, y: { param: 'lr', values: [0.1, 1, 10] } },
  everything: { network: { kind: 'mlp', inputs: 64, width: 1, outputs: 64, activation: 'tanh', scaling: 'standard' }, data: { points: 1, seed: 0 }, minibatch: { size: 4096, seed: 0 }, initOffsetEveryStep: true, steps: 7, threshold: 0.5, convergence: 'reached', ...AXES },
};
const views = Object.entries({ ...Object.fromEntries(PAPER_VIEWS.map((v) => [v.name, v.spec])), ...VARIANTS });

describe('the form\'s MLP fields', () => {
  for (const [name, raw] of views) {
    it(`read back the spec they were filled from (${name})`, () => {
      const spec = mlp(raw), texts = mlpFieldTexts(spec);
      expect(Object.keys(texts).sort()).toEqual([...MLP_PATHS].sort());
      // The rest of the form (steps, axes, init, …) as the course fields read them.
      const { steps, threshold, convergence, lrHidden, lrOutput, init, x, y } = spec;
      expect(mlp({ ...readMlpFields((path) => texts[path as keyof typeof texts]), steps, threshold, convergence, lrHidden, lrOutput, init, x, y })).toEqual(spec);
    });
  }

  it('leave blank fields to the spec\'s defaults: the paper\'s 16-16-1, P = 272, full batch, the offset added once', () => {
    const raw = readMlpFields((path) => ({ 'network.activation': 'tanh', 'network.scaling': 'mean-field', initOffsetEveryStep: 'false' })[path] ?? '');
    expect(raw).toEqual({ network: { kind: 'mlp', activation: 'tanh', scaling: 'mean-field' } });
    const spec = mlp({ ...raw, ...AXES });
    expect([spec.network.inputs, spec.network.width, spec.network.outputs, spec.data.points, spec.data.seed, spec.minibatch, spec.initOffsetEveryStep]).toEqual([16, 16, 1, 272, 1, null, false]);
  });

  it('pass a wrong value through to validation, which names its field', () => {
    const texts: Record<string, string> = { 'network.width': 'wide', 'network.inputs': '65', 'data.points': '0', 'minibatch.size': '2.5', 'network.activation': 'tanh', 'network.scaling': 'mean-field' };
    const r = parseSpec({ ...readMlpFields((path) => texts[path] ?? ''), ...AXES });
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors;
    expect(errors.map((e) => e.slice(0, e.indexOf(':'))).sort()).toEqual(['data.points', 'minibatch.size', 'network.inputs', 'network.width']);
    expect(errors).toContain('network.inputs: must be an integer from 1 to 64 (inputs d of the MLP); got 65');
    expect(errors.find((e) => e.startsWith('network.width'))).toContain('got "wide"');
  });

  it('send a minibatch seed only with a size (a blank size is full batch)', () => {
    expect(readMlpFields((path) => (path === 'minibatch.seed' ? '4' : ''))).not.toHaveProperty('minibatch');
    expect(readMlpFields((path) => ({ 'minibatch.size': '8', 'minibatch.seed': '4' })[path] ?? '').minibatch).toEqual({ size: 8, seed: 4 });
  });
});

describe('the initial weights the form switches to with the network', () => {
  it('are the ones each kind\'s spec takes when it names none', () => {
    for (const kind of ['course', 'mlp'] as const) {
      const { init } = parsed({ ...(kind === 'mlp' ? { network: { kind } } : {}), x: AXES.x });
      expect([init.distribution, String(init.scale), String(init.seed)]).toEqual(INIT_DEFAULTS[kind]);
    }
  });
});

describe('the axis parameters each network offers', () => {
  it('are the PARAMETERS rows that apply to it', () => {
    expect(axisParamsFor('course')).toEqual(PARAMETERS.map((p) => p.name));
    expect(axisParamsFor('mlp')).toEqual(['lr', 'lrHidden', 'lrOutput', 'initScale', 'initOffset', 'seed']);
  });

  it('move an axis off a parameter the new network lacks, to the paper\'s lrHidden × lrOutput or one that does not clash', () => {
    expect(axisParamFor('x', 'momentum', 'none', 'mlp')).toBe('lrHidden');
    expect(axisParamFor('y', 'w3', 'lrHidden', 'mlp')).toBe('lrOutput');
    const y = axisParamFor('y', 'i1', 'lr', 'mlp');
    expect(appliesTo(y as never, 'mlp') && !overlap(y as never, 'lr')).toBe(true);
    // A parameter that applies, none, and a link's unknown one (validation names it) stay.
    expect([axisParamFor('x', 'initScale', 'none', 'mlp'), axisParamFor('y', 'none', 'lr', 'mlp'), axisParamFor('x', 'banana', 'none', 'mlp')]).toEqual(['initScale', 'none', 'banana']);
    expect(axisParamFor('x', 'lr', 'seed', 'course')).toBe('lr');
  });
});

describe('the fractal paper\'s ready-made views', () => {
  it('are examples/paper-*.json, one per condition, each a valid MLP sweep', () => {
    const files = ['tanh', 'relu', 'identity', 'minibatch', 'single-point', 'offset'].map((n) => JSON.parse(readFileSync(new URL(`../../examples/paper-${n}.json`, import.meta.url), 'utf8')));
    expect(PAPER_VIEWS.map((v) => v.spec)).toEqual(files);
    expect(new Set(PAPER_VIEWS.map((v) => v.name)).size).toBe(6);
    for (const v of PAPER_VIEWS) expect(isMlp(parsed(v.spec))).toBe(true);
    // Each opens on the paper's own measure, which the map can show.
    expect(PAPER_VIEWS.every((v) => v.metric === 'score' && HEATMAP_METRICS.includes(v.metric))).toBe(true);
  });
});

describe('an MLP view\'s link', () => {
  for (const [name, raw] of views) {
    it(`reproduces the sweep (${name})`, () => {
      const spec = parsed(raw);
      const link = writeUrl({ ...INITIAL_STATE, tab: 'sweep', view: { spec, arithmetic: 'float64' }, metric: 'score' });
      const back = readUrl(link.startsWith('?#') ? '' : link, link.startsWith('?#') ? link.slice(1) : '');
      expect(back.specErrors).toEqual([]);
      expect(back.view).toEqual({ spec, arithmetic: 'float64' });
      expect(back.metric).toBe('score');
    });
  }

  it('edited to a wrong MLP value, says which field and why, and keeps the JSON for the form', () => {
    const edited = (change: object) => readUrl(`?${new URLSearchParams({ spec: JSON.stringify({ ...PAPER_VIEWS[0].spec, ...change }) })}`);
    const wide = edited({ network: { kind: 'mlp', width: 999 } });
    expect(wide.view).toBeUndefined();
    expect(wide.specErrors).toEqual(['network.width: must be an integer from 1 to 64 (hidden width n of the MLP); got 999']);
    expect(wide.rejected).toEqual({ raw: { ...PAPER_VIEWS[0].spec, network: { kind: 'mlp', width: 999 } } });
    expect(edited({ network: { kind: 'mlp', activation: 'sigmoid' } }).specErrors).toEqual(['network.activation: must be one of tanh, relu, identity (the MLP\'s hidden activation); got "sigmoid"']);
    expect(edited({ momentum: 0.5 }).specErrors[0]).toMatch(/^momentum: describes the course's 2-2-2 network, not the mlp/);
    expect(edited({ x: { param: 'w1', min: 0, max: 1, count: 4 } }).specErrors[0]).toMatch(/^x\.param: "w1" does not apply to the mlp network; its axis parameters are lr, lrHidden, lrOutput, initScale, initOffset, seed$/);
    expect(edited({ minibatch: { size: 5000 } }).specErrors[0]).toMatch(/^minibatch\.size: must be an integer from 1 to 4096/);
  });
});

describe('an MLP view\'s arithmetic', () => {
  const gpu: Capabilities = { gpu: { adapter: 'a GPU', isFallback: false }, threads: 2, auto: { device: 'webgpu', reason: '' } };
  const emulated: Capabilities = { gpu: { adapter: 'SwiftShader', isFallback: true }, threads: 2, auto: { device: 'cpu', reason: '' } };
  it('follows the same rule as a course view: auto is float32 on a real GPU, float64 where the CPU engine is faster', () => {
    const paper = parsed(PAPER_VIEWS[0].spec);
    expect((['auto', 'float32', 'float64'] as const).map((choice) => resolveArithmetic(choice, gpu, paper))).toEqual(['float32', 'float32', 'float64']);
    expect(resolveArithmetic('auto', emulated, paper)).toBe('float64');
  });
});

describe('a speed in words', () => {
  it('keeps an MLP\'s slow rate readable (not "0.0 M") and the course\'s fast one in millions', () => {
    expect(rateText(24_870.4)).toBe('24,870 network-steps/s');
    expect(rateText(41_049_000)).toBe('41.0 M network-steps/s');
  });
});
