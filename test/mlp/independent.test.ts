/**
 * The MLP oracle against an independent float64 implementation of the paper's training, written from the notebook's
 * equations in matrix form (no code shared with src/mlp: its own loops, orders and activation), on the paper's tanh
 * condition (16-16-1, P = 272). Sums run in other orders, so bits differ: classes must agree on every cell away
 * from the boundary, and final losses within 1e-9 relative where training converged smoothly.
 */
import { describe, expect, it } from 'vitest';
import { gridSize } from '../../src/core/grid';
import { parseSpec, type MlpSweepSpec } from '../../src/core/spec';
import { classOf, type SweepOutputs } from '../../src/core/outputs';
import { runReference } from '../../src/core/cpu-runner';
import { mlpInitialWeights, mlpProblem, mlpSetupWriter, MLP_SETUP_LENGTH } from '../../src/mlp/problem';

/** Full-batch gradient descent, loss before each update and after the last; returns the losses (NaN after a divergence). */
function independentLosses(X: number[][], Y: number[][], W0: number[][], W1: number[][], lrs: [number, number], steps: number): number[] {
  const P = X.length, d = W0.length, n = W1.length, o = W1[0].length;
  const losses: number[] = [];
  for (let k = 0; k <= steps; k++) {
    // H = tanh(√2 · X W0 / √d), F = H W1 / n (mean field)
    const H = X.map((xp) => Array.from({ length: n }, (_, j) => Math.tanh(Math.SQRT2 * xp.reduce((s, xi, i) => s + xi * W0[i][j], 0) / Math.sqrt(d))));
    const R = H.map((hp, p) => Array.from({ length: o }, (_, c) => hp.reduce((s, hj, j) => s + hj * W1[j][c], 0) / n - Y[p][c]));
    const loss = R.flat().reduce((s, r) => s + r * r, 0) / (P * o);
    if (!Number.isFinite(loss) || ![...W0.flat(), ...W1.flat()].every(Number.isFinite)) { losses.push(NaN); break; }
    losses.push(loss);
    if (k === steps) break;
    const G = R.map((rp) => rp.map((r) => (2 * r) / (P * o)));
    const gW1 = W1.map((_, j) => Array.from({ length: o }, (_, c) => H.reduce((s, hp, p) => s + hp[j] * G[p][c], 0) / n));
    const dZ = H.map((hp, p) => hp.map((h, j) => (G[p].reduce((s, g, c) => s + g * W1[j][c], 0) / n) * Math.SQRT2 * (1 - h * h)));
    const gW0 = W0.map((_, i) => Array.from({ length: n }, (_, j) => X.reduce((s, xp, p) => s + xp[i] * dZ[p][j], 0) / Math.sqrt(d)));
    W0 = W0.map((row, i) => row.map((w, j) => w - lrs[0] * gW0[i][j]));
    W1 = W1.map((row, j) => row.map((w, c) => w - lrs[1] * gW1[j][c]));
  }
  return losses;
}

const rows = (flat: ArrayLike<number>, cols: number) => Array.from({ length: flat.length / cols }, (_, r) => Array.from(Array.prototype.slice.call(flat, r * cols, r * cols + cols) as number[]));

describe('the MLP oracle against an independent implementation (tanh, 16-16-1, P = 272)', () => {
  it('agrees on every class away from the boundary and on smooth final losses to 1e-9', async () => {
    const parsed = parseSpec({ network: { kind: 'mlp' }, steps: 60, x: { param: 'lrHidden', min: 0.3, max: 300, count: 7, scale: 'log' }, y: { param: 'lrOutput', min: 0.3, max: 300, count: 7, scale: 'log' } });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const spec = parsed.spec as MlpSweepSpec;
    const problem = mlpProblem(spec), drawn = mlpInitialWeights(spec, 0);
    const X = rows(problem.x, 16), Y = rows(problem.y, 1), W0 = rows(drawn.subarray(0, 256), 16), W1 = rows(drawn.subarray(256), 1);
    const ours = (await runReference(spec, 'float64')).outputs;
    const { nx, ny, cells } = gridSize(spec);
    const write = mlpSetupWriter(spec), setup = new Float64Array(MLP_SETUP_LENGTH);
    const theirClass: string[] = [], theirFinal: number[] = [], theirSmooth: boolean[] = [];
    for (let c = 0; c < cells; c++) {
      write(c, setup);
      const losses = independentLosses(X, Y, W0, W1, [setup[0], setup[1]], spec.steps);
      const diverged = !Number.isFinite(losses[losses.length - 1]);
      const tail = losses.slice(-20).map((l) => l / losses[0]);
      theirClass.push(diverged ? 'diverged' : tail.reduce((s, v) => s + v, 0) / tail.length < 1 ? 'converged' : 'stalled');
      theirFinal.push(diverged ? NaN : losses[losses.length - 1]);
      theirSmooth.push(!diverged && losses.every((l, k) => k === 0 || l <= losses[k - 1])); // never rose: no catapult, no chaos
    }
    const ourClass = (c: number) => classOf(ours as SweepOutputs, c, 'tail-mean');
    let interior = 0, smooth = 0;
    const classes = new Set<string>();
    for (let iy = 0; iy < ny; iy++) for (let ix = 0; ix < nx; ix++) {
      const c = iy * nx + ix;
      classes.add(theirClass[c]);
      const neighbours = [[-1, 0], [1, 0], [0, -1], [0, 1]].map(([dx, dy]) => [ix + dx, iy + dy]).filter(([a, b]) => a >= 0 && a < nx && b >= 0 && b < ny).map(([a, b]) => theirClass[b * nx + a]);
      if (neighbours.every((k) => k === theirClass[c])) { interior++; expect(ourClass(c), `cell ${c}`).toBe(theirClass[c]); }
      if (theirClass[c] === 'converged' && theirSmooth[c]) {
        smooth++;
        expect(Math.abs(ours.finalLoss[c] - theirFinal[c]) / theirFinal[c], `cell ${c}`).toBeLessThan(1e-9);
      }
    }
    // The grid spans the boundary: both sides occur, and the checks above ran on many cells.
    expect(classes.has('converged') && (classes.has('diverged') || classes.has('stalled'))).toBe(true);
    expect(interior).toBeGreaterThan(15);
    expect(smooth).toBeGreaterThan(5);
  }, 120_000);
});

