import { describe, expect, it } from 'vitest';
import { cellSetup } from '../../src/core/grid';
import { ACTIVATIONS, forward, gradient, SETUP, type Activation } from '../../src/core/network';
import { PRESETS, type PresetName } from '../../src/core/presets';
import { trainCell } from '../../src/core/reference';
import { parseSpec, type SweepSpec } from '../../src/core/spec';

/** A one-cell sweep whose only cell has learning rate `lr` (default 0.5). */
function spec({ lr = 0.5, ...input }: Record<string, unknown>): SweepSpec {
  const r = parseSpec({ x: { param: 'lr', values: [lr] }, ...input });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec;
}

/** loss[0..steps] of cell 0 of `s` from the reference. */
function lossCurve(s: SweepSpec, arithmetic: 'float64' | 'float32' = 'float64'): number[] {
  const losses: number[] = [];
  trainCell(cellSetup(s, 0), { ...s, biases: s.biases }, arithmetic, (_k, loss) => losses.push(loss));
  return losses;
}

/**
 * The seed README's equations transcribed literally, term by term, sharing no code with src/core/network.ts: an
 * independent implementation to check the reference against over many steps.
 */
function sheetTrain(p: { inputs: readonly number[]; targets: readonly number[]; weights: readonly number[]; biases: readonly number[] }, lr: number, steps: number): number[] {
  const σ = (x: number) => 1 / (1 + Math.exp(-x));
  const [i1, i2] = p.inputs, [t1, t2] = p.targets, [b1, b2] = p.biases;
  let [w1, w2, w3, w4, w5, w6, w7, w8] = p.weights;
  const losses: number[] = [];
  for (let k = 0; k <= steps; k++) {
    const h1 = w1 * i1 + w2 * i2 + b1, h2 = w3 * i1 + w4 * i2 + b1;
    const a_h1 = σ(h1), a_h2 = σ(h2);
    const o1 = w5 * a_h1 + w6 * a_h2 + b2, o2 = w7 * a_h1 + w8 * a_h2 + b2;
    const a_o1 = σ(o1), a_o2 = σ(o2);
    losses.push(0.5 * (t1 - a_o1) ** 2 + 0.5 * (t2 - a_o2) ** 2);
    const dE_dw5 = (a_o1 - t1) * a_o1 * (1 - a_o1) * a_h1;
    const dE_dw6 = (a_o1 - t1) * a_o1 * (1 - a_o1) * a_h2;
    const dE_dw7 = (a_o2 - t2) * a_o2 * (1 - a_o2) * a_h1;
    const dE_dw8 = (a_o2 - t2) * a_o2 * (1 - a_o2) * a_h2;
    const dE_dah1 = (a_o1 - t1) * a_o1 * (1 - a_o1) * w5 + (a_o2 - t2) * a_o2 * (1 - a_o2) * w7;
    const dE_dah2 = (a_o1 - t1) * a_o1 * (1 - a_o1) * w6 + (a_o2 - t2) * a_o2 * (1 - a_o2) * w8;
    const dE_dw1 = dE_dah1 * a_h1 * (1 - a_h1) * i1, dE_dw2 = dE_dah1 * a_h1 * (1 - a_h1) * i2;
    const dE_dw3 = dE_dah2 * a_h2 * (1 - a_h2) * i1, dE_dw4 = dE_dah2 * a_h2 * (1 - a_h2) * i2;
    [w1, w2, w3, w4] = [w1 - lr * dE_dw1, w2 - lr * dE_dw2, w3 - lr * dE_dw3, w4 - lr * dE_dw4];
    [w5, w6, w7, w8] = [w5 - lr * dE_dw5, w6 - lr * dE_dw6, w7 - lr * dE_dw7, w8 - lr * dE_dw8];
  }
  return losses;
}

describe('the course sheet (float64 reference)', () => {
  // DESIGN §1's table: E before any update, computed from the sheets' inputs, weights and targets.
  const sheetE0: Record<PresetName, number> = { 'era-v1': 0.014181377937891659, eva: 0.24251985734837728, mazur: 0.2983711087600027 };
  for (const [preset, e0] of Object.entries(sheetE0)) {
    it(`E before any update is ${e0} for ${preset}`, () => {
      expect(Math.abs(lossCurve(spec({ preset, steps: 1 }))[0] - e0) / e0).toBeLessThanOrEqual(1e-15);
    });
  }

  it("reproduces Matt Mazur's weights after the first update (η = 0.5, biases 0.35 / 0.60)", () => {
    const s = spec({ preset: 'mazur', steps: 1, lr: 0.5 });
    const weights: number[][] = [];
    trainCell(cellSetup(s, 0), s, 'float64', (_k, _loss, w) => weights.push(Array.from(w)));
    // The blog's values, printed to 8–9 significant digits.
    const published = [0.149780716, 0.19956143, 0.24975114, 0.29950229, 0.35891648, 0.408666186, 0.511301270, 0.561370121];
    weights[1].forEach((w, j) => expect(w).toBeCloseTo(published[j], 8));
  });

  for (const lr of [0.1, 0.2, 0.5, 0.8, 1, 2]) {
    for (const preset of ['era-v1', 'eva', 'mazur'] as const) {
      it(`matches the README's equations over 1000 steps at η = ${lr} (${preset})`, () => {
        const ours = lossCurve(spec({ preset, steps: 1000, lr }));
        const sheet = sheetTrain(PRESETS[preset], lr, 1000);
        // Same equations, different grouping of the same float64 operations: agreement to a few ulps, growing
        // slowly with k; 1e-12 relative (or 1e-20 absolute once E is ~0) leaves a wide margin yet catches any
        // wrong term, which moves E by far more than that within the first step.
        ours.forEach((e, k) => expect(Math.abs(e - sheet[k])).toBeLessThanOrEqual(1e-12 * sheet[k] + 1e-20));
      });
    }
  }

  it('would catch the famous spreadsheet slip (a_h1(1 − a_h1) in ∂E/∂w3 and ∂E/∂w4)', () => {
    const s = spec({ preset: 'eva', steps: 1 });
    const setup = cellSetup(s, 0), w = setup.slice(0, 8);
    const f = forward(w, setup, s);
    const g = gradient(w, setup, f, s, new Float64Array(8));
    const slipped = (g[2] / (f.ah2 * (1 - f.ah2))) * f.ah1 * (1 - f.ah1);
    expect(Math.abs(slipped - g[2]) / Math.abs(g[2])).toBeGreaterThan(1e-4);
  });

  it('η = 2 gives the lowest error of the six course learning rates (the README’s conclusion)', () => {
    const after = (lr: number) => lossCurve(spec({ steps: 50, lr }))[50];
    const errors = [0.1, 0.2, 0.5, 0.8, 1, 2].map(after);
    expect([...errors].sort((a, b) => b - a)).toEqual(errors);
  });
});

describe('gradient', () => {
  // Points where no hidden or output pre-activation sits at relu's kink (all are far from 0 here).
  const presets: PresetName[] = ['eva', 'mazur'];
  for (const activation of ACTIVATIONS) {
    for (const preset of presets) {
      it(`matches central finite differences for every weight (${activation}, ${preset})`, () => {
        const s = spec({ preset, activation, weights: [0.15, -0.2, 0.25, 0.3, 0.4, -0.45, 0.5, 0.55] });
        const setup = cellSetup(s, 0), w = setup.slice(SETUP.w1, SETUP.w1 + 8);
        const g = gradient(w, setup, forward(w, setup, s), s, new Float64Array(8));
        const h = 1e-6;
        for (let j = 0; j < 8; j++) {
          const plus = w.slice(), minus = w.slice();
          plus[j] += h; minus[j] -= h;
          const numeric = (forward(plus, setup, s).loss - forward(minus, setup, s).loss) / (2 * h);
          // Central differences err by O(h²)·E''' ≈ 1e-12 plus rounding ≈ 1e-16 / h ≈ 1e-10: 1e-8 absolute.
          expect(Math.abs(numeric - g[j]), `∂E/∂w${j + 1}`).toBeLessThan(1e-8);
        }
      });
    }
  }
});

describe('float32-faithful reference', () => {
  it('rounds every result to float32', () => {
    const s = spec({ steps: 20, lr: 2 });
    for (const e of lossCurve(s, 'float32')) expect(Math.fround(e)).toBe(e);
  });

  it('stays within float32 arithmetic of float64 over 20 steps', () => {
    const f32 = lossCurve(spec({ preset: 'eva', steps: 20 }), 'float32');
    const f64 = lossCurve(spec({ preset: 'eva', steps: 20 }));
    // Inputs and weights rounded once (≈ 6e-8 relative), a few dozen roundings per step: well under 1e-5.
    f32.forEach((e, k) => expect(Math.abs(e - f64[k]) / f64[k]).toBeLessThan(1e-5));
  });
});

describe('divergence', () => {
  it('reports the first non-finite step and stops (identity, huge η)', () => {
    const s = spec({ activation: 'identity', lr: 1e6, steps: 100, preset: 'eva' });
    const out = trainCell(cellSetup(s, 0), s);
    expect(out.divergedAt).toBeGreaterThan(0);
    expect(out.finalLoss).toBeNaN();
    expect(Number.isFinite(out.minLoss)).toBe(true);
  });

  it('never diverges with a sigmoid at any sane η (gradients are bounded)', () => {
    for (const activation of ['sigmoid'] as Activation[]) {
      const out = trainCell(cellSetup(spec({ activation, lr: 1e4, steps: 200 }), 0), spec({ activation, lr: 1e4, steps: 200 }));
      expect(out.divergedAt).toBe(-1);
    }
  });
});

describe("the kernel's tanh (float32-faithful)", () => {
  it('is within 2 float32 ulps of tanh over ±20 and saturates at ±1 beyond', async () => {
    const { kernelTanh, ROUND } = await import('../../src/core/network');
    const float32 = ROUND.float32;
    for (let x = -20; x <= 20; x += 0.00731) {
      const want = Math.tanh(x), got = kernelTanh(Math.fround(x), float32);
      // 2 ulps of float32 at |tanh x| (2^-23 relative), computed against tanh at the rounded input.
      expect(Math.abs(got - Math.tanh(Math.fround(x)))).toBeLessThanOrEqual(2 * 2 ** -23 * Math.max(Math.abs(want), 2 ** -126));
    }
    expect([kernelTanh(1e4, float32), kernelTanh(-1e30, float32), kernelTanh(0, float32)]).toEqual([1, -1, 0]);
  });
});
