/**
 * The WGSL trainer against the CPU references, on a real WebGPU implementation (SwiftShader through Dawn here).
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { compareOutputs } from '../../src/core/compare';
import { runReference } from '../../src/core/cpu-runner';
import { gridSize } from '../../src/core/grid';
import { ACTIVATIONS } from '../../src/core/network';
import { CONVERGENCE_RULE_NAMES, OUTPUT_NAMES, type SweepOutputs } from '../../src/core/outputs';
import type { RunResult } from '../../src/core/run';
import { refinementPlan } from '../../src/core/refine';
import { parseSpec, type SweepSpec } from '../../src/core/spec';
import { compileShader } from '../../src/gpu/pipeline';
import { CELL_STATE } from '../../src/gpu/layout';
import { GpuTrainer, SweepInterruptedError } from '../../src/gpu/trainer';
import { createTestTrainer, randomSpec, TEST_SEED } from './setup';

// Acquired once; awaited before every test, so a missing adapter fails each test with its message (never a skip).
const trainerReady = createTestTrainer();
trainerReady.catch(() => undefined);
let trainer: GpuTrainer;
beforeEach(async () => { trainer = await trainerReady; });
afterAll(async () => (await trainerReady.catch(() => undefined))?.gpu.device.destroy());

function spec(input: object): SweepSpec {
  const r = parseSpec(input);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec;
}

/**
 * Largest |gpu − ref| / (relative·ref + √(2·ref)·δ) over cells where both losses are finite: ≤ 1 means within
 * tolerance. E = ½Σ(t − a_o)², so an absolute error δ in the outputs a_o moves E by about |t − a_o|·δ = √(2E)·δ, which
 * dominates near convergence (float32's resolution of t − a_o); the relative part covers larger losses.
 */
function maxScaledLossError(gpu: SweepOutputs, ref: SweepOutputs, relative: number, delta: number): number {
  let worst = 0;
  gpu.finalLoss.forEach((a, i) => {
    const b = ref.finalLoss[i];
    if (Number.isFinite(a) && Number.isFinite(b)) worst = Math.max(worst, Math.abs(a - b) / (relative * b + Math.sqrt(2 * b) * delta));
  });
  return worst;
}

const sameOutputs = (a: RunResult, b: RunResult) => {
  for (const name of OUTPUT_NAMES) expect(a.outputs[name], name).toEqual(b.outputs[name]);
};

describe(`WGSL trainer vs the references (random specs, SWEEP_TEST_SEED=${TEST_SEED})`, () => {
  it('runs on a real WebGPU adapter', () => {
    expect(trainer.gpu.adapter).not.toBe('');
    console.log(`adapter: ${trainer.gpu.adapter}`);
  });

  // Two steps (three evaluations) against the float32-faithful reference, which rounds exactly where the kernel
  // does. relu and identity use only + − ×, so they can differ only by multiply-add fusion (½ ulp per op). sigmoid
  // and tanh add the GPU's exp/tanh, which WGSL allows 3 + 2|x| ulp: ~100 ulp (6e-6 relative) at the |x| ≈ 50 that
  // random weights and inputs reach, amplified by two updates at η ≤ 30. So: 3e-5 relative, plus δ = 3e-6 (50 ulps
  // of 0.5) in the outputs a_o. Measured on SwiftShader over 25 random specs per activation, the worst cell used
  // 4% (sigmoid) and 40% (tanh) of this bound, relu and identity 0.
  for (const activation of ACTIVATIONS) {
    it(`matches the float32-faithful reference within 3e-5 relative + 3e-6 in a_o over 2 steps (${activation})`, async () => {
      const s = randomSpec(`short ${activation}`, { activation, steps: 2 });
      const [gpu, f32] = [await trainer.run(s), await runReference(s, 'float32')];
      expect(gpu.status).toBe('complete');
      expect(maxScaledLossError(gpu.outputs, f32.outputs, 3e-5, 3e-6)).toBeLessThanOrEqual(1);
      expect(gpu.outputs.divergedAt).toEqual(f32.outputs.divergedAt);
    });
  }

  // The bookkeeping the convergence rules read, over 30 steps (so that the tail is the last 20 of 31 losses, not all):
  // settledAt is an integer event, exact unless a loss lies within rounding of the threshold, which random specs
  // almost never give (≥ 99% of cells); tailLossRatio is a mean of loss ratios, each within the losses' tolerance, so
  // within 1e-3 relative in ≥ 95% of cells after 30 steps (the 10-step bound above is 90% at 1e-4).
  for (const activation of ACTIVATIONS) {
    it(`tracks settledAt and tailLossRatio as the float32-faithful reference does over 30 steps (${activation})`, async () => {
      const s = randomSpec(`rules ${activation}`, { activation, steps: 30 });
      const [gpu, f32] = [await trainer.run(s), await runReference(s, 'float32')];
      let cells = 0, settledSame = 0, tailClose = 0;
      gpu.outputs.divergedAt.forEach((d, i) => {
        if (d >= 0 || f32.outputs.divergedAt[i] >= 0) return;
        cells++;
        if (gpu.outputs.settledAt[i] === f32.outputs.settledAt[i]) settledSame++;
        const a = gpu.outputs.tailLossRatio[i], b = f32.outputs.tailLossRatio[i];
        if (Math.abs(a - b) <= 1e-3 * Math.abs(b) + 1e-7) tailClose++;
      });
      expect(cells).toBeGreaterThan(0);
      expect(settledSame / cells).toBeGreaterThanOrEqual(0.99);
      expect(tailClose / cells).toBeGreaterThanOrEqual(0.95);
      // A diverged cell has no tail: none, as its finalLoss.
      gpu.outputs.divergedAt.forEach((d, i) => { if (d >= 0) expect(gpu.outputs.tailLossRatio[i]).toBeNaN(); });
    });
  }

  // After 10 steps at η up to 30, cells near the fractal boundary amplify those few-ulp differences by orders of
  // magnitude, so here the tolerance is a rate: 90% of cells within 1e-4 relative + 1e-6 in a_o. Measured over 25
  // random specs per activation on SwiftShader: 98.8% in the worst spec (tanh), 100% for the others.
  for (const activation of ACTIVATIONS) {
    it(`keeps ≥ 90% of cells within tolerance of the float32-faithful reference over 10 steps (${activation})`, async () => {
      const s = randomSpec(`ten ${activation}`, { activation, steps: 10 });
      const [gpu, f32] = [await trainer.run(s), await runReference(s, 'float32')];
      let compared = 0, close = 0;
      gpu.outputs.finalLoss.forEach((a, i) => {
        const b = f32.outputs.finalLoss[i];
        if (!Number.isFinite(b)) return;
        compared++;
        if (Math.abs(a - b) <= 1e-4 * b + Math.sqrt(2 * b) * 1e-6) close++;
      });
      expect(compared).toBeGreaterThan(0);
      expect(close / compared).toBeGreaterThanOrEqual(0.9);
    });
  }

  for (const activation of ACTIVATIONS) {
    it(`agrees with the float64 reference on the class of ≥ 95% of cells over 1000 steps (${activation})`, async () => {
      // Long runs amplify float32 rounding without bound near the fractal boundary, so cell-by-cell tolerances mean
      // nothing there; what must hold is the picture: the class of almost every cell. float32 alone moves the
      // boundary: over 25 random 32 × 32 specs per activation the worst agreement was 98.0% (tanh, identity), the
      // float32-faithful CPU reference itself as low as 98.8%; 95% leaves room for that and fails on real errors.
      const s = randomSpec(`long ${activation}`, { activation, steps: 1000 }, 32);
      const [gpu, f64] = [await trainer.run(s), await runReference(s, 'float64')];
      for (const rule of CONVERGENCE_RULE_NAMES) expect(compareOutputs(gpu.outputs, f64.outputs, rule).classAgreementRate, rule).toBeGreaterThanOrEqual(0.95);
    });
  }

  // Momentum on an axis runs the velocity loop (MOMENTUM override); the 2-step bound above holds for it as well, and
  // peakLoss (the highest loss, here reached on the way up at large η·β) tracks the reference the same way.
  for (const activation of ['sigmoid', 'tanh'] as const) {
    it(`with momentum on an axis, matches the float32-faithful reference over 2 steps, peakLoss included (${activation})`, async () => {
      const s = randomSpec(`momentum ${activation}`, { activation, steps: 2, y: { param: 'momentum', min: 0, max: 0.95, count: 16, scale: 'linear' } });
      const [gpu, f32] = [await trainer.run(s), await runReference(s, 'float32')];
      expect(maxScaledLossError(gpu.outputs, f32.outputs, 3e-5, 3e-6)).toBeLessThanOrEqual(1);
      const asFinal = (o: SweepOutputs) => ({ ...o, finalLoss: o.peakLoss });
      expect(maxScaledLossError(asFinal(gpu.outputs), asFinal(f32.outputs), 3e-5, 3e-6)).toBeLessThanOrEqual(1);
      expect(gpu.outputs.divergedAt).toEqual(f32.outputs.divergedAt);
    });
  }

  it('reports divergence at the same step as the float32 reference (identity, huge η)', async () => {
    const s = spec({ preset: 'eva', activation: 'identity', steps: 200, x: { param: 'lr', min: 1, max: 1e4, count: 64, scale: 'log' } });
    const [gpu, f32] = [await trainer.run(s), await runReference(s, 'float32')];
    const diverged = Array.from(f32.outputs.divergedAt).filter((k) => k >= 0).length;
    expect(diverged).toBeGreaterThan(10);
    expect(gpu.outputs.divergedAt).toEqual(f32.outputs.divergedAt);
    gpu.outputs.divergedAt.forEach((k, i) => { if (k >= 0) expect(gpu.outputs.finalLoss[i]).toBeNaN(); });
  });

  it('saturates tanh units at ±1 instead of NaN for huge pre-activations', async () => {
    // initScale 1000 with inputs 5 puts |h| in the thousands, where a sinh/cosh-based tanh overflows to NaN.
    const s = spec({ activation: 'tanh', inputs: [5, 5], steps: 5, x: { param: 'initScale', min: 1, max: 1000, count: 16, scale: 'log' } });
    const [gpu, f32] = [await trainer.run(s), await runReference(s, 'float32')];
    expect(Array.from(gpu.outputs.divergedAt)).toEqual(new Array(16).fill(-1));
    expect(maxScaledLossError(gpu.outputs, f32.outputs, 3e-5, 3e-6)).toBeLessThanOrEqual(1);
  });

  it('reproduces the sheet: E before any update and the six course learning rates', async () => {
    const s = spec({ steps: 100, x: { param: 'lr', values: [0.1, 0.2, 0.5, 0.8, 1, 2] } });
    const gpu = await trainer.run(s);
    const f64 = await runReference(s, 'float64');
    // δ = 1e-6 in a_o (17 float32 ulps of 0.5; measured ≤ 7.4e-8 on SwiftShader) and nothing relative: near
    // convergence the relative error grows as E shrinks, which is float32's resolution, not a kernel error.
    expect(maxScaledLossError(gpu.outputs, f64.outputs, 0, 1e-6)).toBeLessThanOrEqual(1);
    const e0 = await trainer.run(spec({ steps: 1, x: { param: 'lr', values: [0] } }));
    // loss[1] with η = 0 is E before any update (DESIGN §1: 0.014181377937891659), within the same √(2E)·δ.
    expect(Math.abs(e0.outputs.finalLoss[0] - 0.014181377937891659)).toBeLessThanOrEqual(Math.sqrt(2 * 0.014181377937891659) * 1e-6);
  });
});

describe('tiling and chunking', () => {
  it('give bit-identical outputs whatever the tile sizes, steps per chunk and waiting strategy', async () => {
    const s = randomSpec('tiling', { steps: 50 });
    const whole = await trainer.run(s);
    sameOutputs(await trainer.run(s, { tileCells: 37, stepsPerChunk: 7 }), whole);
    sameOutputs(await trainer.run(s, { tileCells: 256, stepsPerChunk: 1 }), whole);
    sameOutputs(await trainer.run(s, { tileCells: 100, firstTileCells: 3, sleepWhileWaiting: true }), whole);
  });

  it('give the same outputs in refinement order, and a cancelled refinement keeps exactly the cells done', async () => {
    const s = spec({ steps: 200, x: { param: 'lr', min: 0.1, max: 50, count: 48, scale: 'log' }, y: { param: 'initScale', min: 0.2, max: 8, count: 40, scale: 'log' } });
    const { order } = refinementPlan(48, 40, 64);
    const whole = await trainer.run(s);
    const refined = await trainer.run(s, { cellOrder: order, tileCells: 256, firstTileCells: 64 });
    expect(refined.cellsDone).toBe(48 * 40);
    sameOutputs(refined, whole);
    const abort = new AbortController();
    const partial = await trainer.run(s, { cellOrder: order, tileCells: 256, firstTileCells: 64, signal: abort.signal, onProgress: (p) => { if (p.cellsDone >= 64) abort.abort(); } });
    expect(partial.status).toBe('cancelled');
    const done = new Set(order.subarray(0, partial.cellsDone));
    const wrong = order.filter((c) => done.has(c) ? !Object.is(partial.outputs.finalLoss[c], whole.outputs.finalLoss[c]) : !Number.isNaN(partial.outputs.finalLoss[c]));
    expect(wrong.length).toBe(0);
  });

  it('run a sweep larger than one tile: 1,048,576 + 1,000 cells in two tiles', async () => {
    const s = spec({ steps: 3, x: { param: 'lr', min: 0.01, max: 100, count: 1049, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 10, count: 1000, scale: 'log' } });
    expect(gridSize(s).cells).toBe(1_049_000);
    const gpu = await trainer.run(s); // default tile: 2^20 cells
    expect(gpu).toMatchObject({ status: 'complete', cellsDone: 1_049_000 });
    const sample = Array.from({ length: 400 }, (_, i) => Math.floor((i * 1_049_000) / 400) + (i % 7));
    sample.push(1_048_575, 1_048_576, 1_048_999); // both sides of the tile boundary and the last cell
    const ref = await runReference(s, 'float32', { cellOrder: sample });
    // 3 steps against the float32-faithful reference; weights up to 10× the sheet's drive |x| in exp up to ~50,
    // where WGSL allows 3 + 2|x| ≈ 100 ulp (6e-6 relative): 1e-4.
    for (const i of sample) expect(Math.abs(gpu.outputs.finalLoss[i] - ref.outputs.finalLoss[i]) / ref.outputs.finalLoss[i]).toBeLessThan(1e-4);
  });
});

describe('cancel, device loss and shader errors', () => {
  const s = spec({ steps: 200, x: { param: 'lr', min: 0.01, max: 10, count: 40, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 3, count: 10 } });

  it('cancel stops between chunks and keeps every finished tile', async () => {
    const controller = new AbortController();
    const full = await trainer.run(s);
    const partial = await trainer.run(s, {
      tileCells: 100, stepsPerChunk: 50, signal: controller.signal,
      onProgress: (p) => { if (p.cellsDone >= 200) controller.abort(); },
    });
    expect(partial.status).toBe('cancelled');
    expect(partial.cellsDone).toBe(200);
    expect(partial.outputs.finalLoss.slice(0, 200)).toEqual(full.outputs.finalLoss.slice(0, 200));
    expect(Array.from(partial.outputs.finalLoss.slice(200)).every(Number.isNaN)).toBe(true);
    // Mid-tile, with the next chunk already queued (pipelining): the run waits for it and still keeps only whole tiles.
    const midTile = new AbortController();
    let reports = 0;
    const cut = await trainer.run(s, {
      tileCells: 100, stepsPerChunk: 20, signal: midTile.signal,
      onProgress: (p) => { if (++reports === 13) { expect(p.networkStepsDone % (100 * 200)).not.toBe(0); midTile.abort(); } },
    });
    expect(cut.status).toBe('cancelled');
    expect(cut.cellsDone).toBe(100);
    expect(cut.outputs.finalLoss.slice(0, 100)).toEqual(full.outputs.finalLoss.slice(0, 100));
    expect(Array.from(cut.outputs.finalLoss.slice(100)).every(Number.isNaN)).toBe(true);
  });

  it('a cancel mid-tile keeps the tile\'s state as a checkpoint, and resuming it gives the uninterrupted bits', async () => {
    const full = await trainer.run(s);
    const controller = new AbortController();
    let reports = 0;
    const cut = await trainer.run(s, {
      tileCells: 100, stepsPerChunk: 20, signal: controller.signal,
      onProgress: () => { if (++reports === 13) controller.abort(); },
    });
    expect(cut.cellsDone).toBe(100);
    const checkpoint = cut.checkpoint!;
    expect(Array.from(checkpoint.cells)).toEqual(Array.from({ length: 100 }, (_, i) => 100 + i)); // the second tile
    expect(checkpoint.stepsDone).toBeGreaterThan(0);
    expect(checkpoint.stepsDone).toBeLessThanOrEqual(s.steps);
    expect(checkpoint.state.length).toBe(100 * (CELL_STATE.size / 4));
    // Continue: the checkpoint's cells first (from their saved state), then every cell not done, in another tiling.
    const rest = Int32Array.from([...checkpoint.cells, ...Array.from({ length: 200 }, (_, i) => 200 + i)]);
    const resumed = await trainer.run(s, { cellOrder: rest, resume: checkpoint, tileCells: 256 });
    expect(resumed.status).toBe('complete');
    const merged = resumed.outputs;
    for (const name of OUTPUT_NAMES) merged[name].set(cut.outputs[name].subarray(0, 100));
    sameOutputs({ ...full, outputs: merged }, full);
  });

  it('a lost device becomes an error naming the loss, with the finished tiles attached', async () => {
    const own = await createTestTrainer();
    const error = await own.run(s, { tileCells: 100, stepsPerChunk: 50, onProgress: (p) => { if (p.cellsDone >= 100) own.gpu.device.destroy(); } })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SweepInterruptedError);
    const e = error as SweepInterruptedError;
    expect(e.message).toMatch(/device was destroyed.*finished before the loss are kept: continue to compute only the rest/);
    expect(e.partial).toMatchObject({ status: 'interrupted', cellsDone: 100 });
    expect(Number.isFinite(e.partial.outputs.finalLoss[99])).toBe(true);
  });

  it('a WGSL error is reported with its file, line and column', async () => {
    const broken = 'fn f() -> f32 {\n  return 1.0 +;\n}\n';
    await expect(compileShader(trainer.gpu.device, broken)).rejects.toThrow(/^shaders\/train\.wgsl:2:\d+: /);
  });
});

describe('loss curves', () => {
  it('record every loss[k] on the GPU, matching the float32-faithful reference step by step', async () => {
    const s = spec({ steps: 60, x: { param: 'lr', values: [0.1, 0.2, 0.5, 0.8, 1, 2] } });
    const gpu = await trainer.run(s, { recordLoss: true });
    const { cellSetup } = await import('../../src/core/grid');
    const { trainCell } = await import('../../src/core/reference');
    for (let cell = 0; cell < 6; cell++) {
      const curve: number[] = [];
      trainCell(cellSetup(s, cell), s, 'float32', (_k, loss) => curve.push(loss));
      const recorded = Array.from(gpu.lossHistory!.slice(cell * 61, cell * 61 + 61));
      // Same bound as the short runs: 3e-5 relative + √(2E)·3e-6.
      recorded.forEach((e, k) => expect(Math.abs(e - curve[k])).toBeLessThanOrEqual(3e-5 * curve[k] + Math.sqrt(2 * curve[k]) * 3e-6));
      expect(recorded[60]).toBe(gpu.outputs.finalLoss[cell]);
    }
  });

  it('refuse sweeps whose history does not fit one tile', async () => {
    const s = spec({ steps: 10, x: { param: 'lr', min: 0.1, max: 1, count: 300, scale: 'log' } });
    await expect(trainer.run(s, { recordLoss: true, tileCells: 100 })).rejects.toThrow(/recordLoss is for small sweeps: 300 cells need 3 tiles/);
  });
});
