import { describe, expect, it } from 'vitest';
import { mlpInitialWeights, mlpProblem } from '../../src/mlp/problem';
import { DRAW_INLINE_MAX, drawIsInline, drawsProblem, mlpDraws, nested } from '../../src/core/results-draws';
import { isMlp, parseSpec, type MlpSweepSpec } from '../../src/core/spec';

function mlp(extra: Record<string, unknown> = {}): MlpSweepSpec {
  const r = parseSpec({ network: { kind: 'mlp', inputs: 3, width: 4, outputs: 2, activation: 'tanh', scaling: 'mean-field' }, data: { points: 5, seed: 1 }, init: { distribution: 'normal', scale: 1, seed: 2 }, steps: 7, x: { param: 'lrHidden', min: 0.1, max: 10, count: 4, scale: 'log' }, ...extra });
  if (!r.ok || !isMlp(r.spec)) throw new Error(r.ok ? 'not an MLP' : r.errors.join());
  return r.spec;
}
const inline = (spec: MlpSweepSpec) => Object.fromEntries(Object.entries(mlpDraws(spec)).map(([k, d]) => [k, nested(d)]));

describe('the draws a results file records', () => {
  it('are the problem\'s x and y and draw 0 split into w0 [d][n] and w1 [n][o], row-major', () => {
    const spec = mlp(), p = mlpProblem(spec), w = mlpInitialWeights(spec, 0), d = mlpDraws(spec);
    expect(d.x!.shape).toEqual([5, 3]);
    expect(d.y!.shape).toEqual([5, 2]);
    expect(d.w0!.shape).toEqual([3, 4]);
    expect(d.w1!.shape).toEqual([4, 2]);
    expect(d.batches).toBeUndefined();
    const n = inline(spec);
    expect(n.x[4][2]).toBe(p.x[4 * 3 + 2]);
    expect(n.y[3][1]).toBe(p.y[3 * 2 + 1]);
    expect(n.w0[2][3]).toBe(w[2 * 4 + 3]); // input 2 to hidden unit 3
    expect(n.w1[3][1]).toBe(w[3 * 4 + 3 * 2 + 1]); // hidden unit 3 to output 1, after the 12 of w0
  });

  it('include a minibatch run\'s batches [steps][m]', () => {
    const spec = mlp({ minibatch: { size: 2, seed: 3 } }), d = mlpDraws(spec);
    expect(d.batches!.shape).toEqual([7, 2]);
    expect(d.batches!.values).toBeInstanceOf(Int32Array);
    expect(Array.from(d.batches!.values)).toEqual(Array.from(mlpProblem(spec).batches!));
  });

  it('go to a file beyond DRAW_INLINE_MAX numbers', () => {
    expect(drawIsInline({ values: new Float64Array(DRAW_INLINE_MAX), shape: [DRAW_INLINE_MAX, 1] })).toBe(true);
    expect(drawIsInline({ values: new Float64Array(DRAW_INLINE_MAX + 1), shape: [DRAW_INLINE_MAX + 1, 1] })).toBe(false);
  });
});

describe('drawsProblem', () => {
  it('accepts the spec\'s own draws, inline or from files, and a file without draws', () => {
    const spec = mlp({ minibatch: { size: 2, seed: 3 } }), all = mlpDraws(spec);
    expect(drawsProblem(spec, inline(spec))).toBeUndefined();
    const { x, ...rest } = inline(spec);
    expect(drawsProblem(spec, rest, { x: all.x }, { x: 'r.draws-x.npy' })).toBeUndefined();
    expect(drawsProblem(spec, undefined)).toBeUndefined();
    expect(x).toHaveLength(5);
  });

  it('names the field of a changed number, and what the spec gives', () => {
    const spec = mlp(), draws = inline(spec);
    draws.w0[2][1] += 1e-12;
    expect(drawsProblem(spec, draws)).toMatch(/^draws\.w0\[2\]\[1\]: .*; the spec \(init normal, scale 1, seed 2, draw 0\) gives /);
    const other = inline(mlp({ data: { points: 5, seed: 9 } }));
    expect(drawsProblem(spec, other)).toMatch(/^draws\.x\[0\]\[0\]: .*data\.seed 1/);
  });

  it('refuses missing, extra, misshapen and doubled draws', () => {
    const spec = mlp(), all = mlpDraws(spec);
    const { y: _y, ...noY } = inline(spec);
    expect(drawsProblem(spec, noY)).toMatch(/^draws\.y: missing/);
    expect(drawsProblem(spec, { ...inline(spec), batches: [[0]] })).toMatch(/^draws\.batches: not a draw of this spec/);
    expect(drawsProblem(spec, { ...inline(spec), w1: inline(spec).w1.slice(1) })).toMatch(/^draws\.w1: a list of 3 entries; .* 4 rows of 2/);
    expect(drawsProblem(spec, { ...inline(spec), x: inline(spec).x.map((r, i) => (i === 2 ? r.slice(1) : r)) })).toMatch(/^draws\.x\[2\]: a list of 2 entries/);
    expect(drawsProblem(spec, inline(spec), { x: all.x })).toMatch(/^draws\.x: also under drawFiles/);
    expect(drawsProblem(spec, 'x')).toMatch(/^draws: "x"; expected an object/);
    const flat = { values: all.x!.values, shape: [15, 1] as [number, number] };
    const { x: _x, ...noX } = inline(spec);
    expect(drawsProblem(spec, noX, { x: flat }, { x: 'f.npy' })).toMatch(/^drawFiles\.x \(f\.npy\): shape \(15, 1\); .* \(5, 3\)/);
    expect(drawsProblem(spec, noX, { x: { values: Int32Array.from(all.x!.values), shape: [5, 3] } })).toMatch(/Int32Array values, not Float64Array/);
  });

  it('refuses draws in a course (2-2-2) sweep', () => {
    const r = parseSpec({ x: { param: 'lr', min: 0.1, max: 10, count: 4, scale: 'log' } });
    if (!r.ok) throw new Error(r.errors.join());
    expect(drawsProblem(r.spec, { x: [[1]] })).toMatch(/^draws: present, but the spec is not an MLP/);
    expect(drawsProblem(r.spec, undefined)).toBeUndefined();
  });
});
