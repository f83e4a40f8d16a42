import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults, writeResults } from '../../src/cli/results-file';
import { decodeNpy, encodeNpy } from '../../src/core/npy';
import { runReference } from '../../src/core/cpu-runner';
import { resultsHead } from '../../src/core/results';
import { isMlp, parseSpec } from '../../src/core/spec';
import { mlpInitialWeights, mlpProblem } from '../../src/mlp/problem';

function mlp(data: { points: number; seed: number }, inputs = 16, minibatch?: { size: number; seed: number }) {
  const r = parseSpec({ network: { kind: 'mlp', inputs, width: 16, outputs: 1, activation: 'tanh', scaling: 'mean-field' }, data, init: { distribution: 'normal', scale: 1, seed: 2 }, ...(minibatch ? { minibatch } : {}), steps: 10, x: { param: 'lrHidden', min: 0.1, max: 10, count: 3, scale: 'log' }, y: { param: 'lrOutput', min: 0.1, max: 10, count: 2, scale: 'log' } });
  if (!r.ok || !isMlp(r.spec)) throw new Error(r.ok ? 'not an MLP' : r.errors.join());
  return r.spec;
}
/** The 6-cell sweep run by the float64 reference and written to a fresh folder: its results.json. */
async function write(spec: ReturnType<typeof mlp>, dir = mkdtempSync(join(tmpdir(), 'draws-'))) {
  const run = await runReference(spec, 'float64');
  writeResults(dir, 'results', resultsHead(spec, 'cpu', 'test', run), run.outputs);
  return join(dir, 'results.json');
}

describe('an MLP sweep\'s results file', () => {
  it('records its draws as row-major nested lists any tool can recompute a cell from, and reads back', async () => {
    const spec = mlp({ points: 5, seed: 1 }, 16, { size: 2, seed: 3 }), file = await write(spec);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const p = mlpProblem(spec), w = mlpInitialWeights(spec, 0);
    expect(Object.keys(json.draws)).toEqual(['x', 'y', 'w0', 'w1', 'batches']);
    expect(json.draws.x.flat()).toEqual(Array.from(p.x));
    expect(json.draws.x[0]).toHaveLength(16);
    expect(json.draws.y).toEqual(Array.from(p.y, (v) => [v]));
    expect([...json.draws.w0.flat(), ...json.draws.w1.flat()]).toEqual(Array.from(w));
    expect(json.draws.batches).toHaveLength(10);
    expect(json.drawFiles).toBeUndefined();
    const back = readResults(file);
    expect(back.ok, back.ok ? '' : back.error).toBe(true);
  });

  it('is refused when a draw disagrees with its spec, naming the field', async () => {
    const file = await write(mlp({ points: 5, seed: 1 }));
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.draws.w0[3][7] = 0.25;
    writeFileSync(file, JSON.stringify(json));
    const back = readResults(file);
    expect(back.ok ? '' : back.error).toMatch(/: draws\.w0\[3\]\[7\]: 0\.25; the spec \(init normal, scale 1, seed 2, draw 0\) gives -?\d.*damaged or edited/);
  });

  it('puts a draw of more than 65,536 numbers in a .npy file numpy reads, checks it on read and drops it on rewrite', async () => {
    const spec = mlp({ points: 4096, seed: 1 }, 20), file = await write(spec), dir = join(file, '..');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.draws.x).toBeUndefined();
    expect(json.drawFiles.x).toMatch(/^results\..+\.draws-x\.npy$/);
    const x = decodeNpy(readFileSync(join(dir, json.drawFiles.x)));
    expect(x.ok && x.shape).toEqual([4096, 20]);
    expect(x.ok && Array.from(x.values)).toEqual(Array.from(mlpProblem(spec).x));
    expect(readResults(file).ok).toBe(true);
    // Another valid array in its place (and no checksums to catch it first): the draw check names it.
    const { sha256: _sums, ...unsummed } = json;
    writeFileSync(file, JSON.stringify(unsummed));
    const other = mlpProblem(mlp({ points: 4096, seed: 5 }, 20)).x;
    writeFileSync(join(dir, json.drawFiles.x), encodeNpy(other, [4096, 20]));
    const back = readResults(file);
    expect(back.ok ? '' : back.error).toMatch(new RegExp(`drawFiles\\.x \\(${json.drawFiles.x.replace(/\./g, '\\.')}\\)\\[0\\]\\[0\\]: .*data\\.seed 1`));
    // Rewritten: the new file names a new companion, and the replaced one's is gone.
    writeFileSync(file, JSON.stringify(json));
    await new Promise((resolve) => setTimeout(resolve, 5)); // a write id is the time in ms and the pid
    await write(spec, dir);
    const now = JSON.parse(readFileSync(file, 'utf8')).drawFiles.x;
    expect(now).not.toBe(json.drawFiles.x);
    expect(readdirSync(dir).filter((f) => f.endsWith('.npy'))).toEqual([now]);
  });

  it('is enough to recompute every cell with nothing but the file: its draws, network and axes, as documented', async () => {
    const spec = mlp({ points: 6, seed: 1 }, 3, { size: 2, seed: 3 }), file = await write(spec);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const { inputs: d, width: n, outputs: o, activation } = json.spec.network;
    const [X, Y, W0, W1, B] = ['x', 'y', 'w0', 'w1', 'batches'].map((k) => json.draws[k] as number[][]);
    const a = 1 / Math.sqrt(d), b = 1 / n, g = Math.SQRT2; // mean-field; the paper's tanh(√2 z)
    expect(activation).toBe('tanh');
    let checked = 0;
    json.y.values.forEach((lrOutput: number, iy: number) => json.x.values.forEach((lrHidden: number, ix: number) => {
      let w0 = W0.map((r) => [...r]), w1 = W1.map((r) => [...r]), loss = NaN;
      for (let k = 0; k <= json.spec.steps; k++) {
        const H = X.map((x) => Array.from({ length: n }, (_, j) => Math.tanh(g * a * x.reduce((s, xi, i) => s + xi * w0[i][j], 0))));
        const R = H.map((h, p) => Array.from({ length: o }, (_, c) => b * h.reduce((s, hj, j) => s + hj * w1[j][c], 0) - Y[p][c]));
        loss = R.flat().reduce((s, r) => s + r * r, 0) / (X.length * o);
        if (k === json.spec.steps || !Number.isFinite(loss)) break;
        const S = B[k], m = S.length, G = S.map((p) => R[p].map((r) => (r * 2) / (m * o)));
        const dW1 = w1.map((row, j) => row.map((_, c) => b * S.reduce((s, p, q) => s + H[p][j] * G[q][c], 0)));
        const dZ = S.map((p, q) => Array.from({ length: n }, (_, j) => b * G[q].reduce((s, gc, c) => s + gc * w1[j][c], 0) * g * (1 - H[p][j] ** 2)));
        const dW0 = w0.map((row, i) => row.map((_, j) => a * S.reduce((s, p, q) => s + X[p][i] * dZ[q][j], 0)));
        w0 = w0.map((row, i) => row.map((w, j) => w - lrHidden * dW0[i][j]));
        w1 = w1.map((row, j) => row.map((w, c) => w - lrOutput * dW1[j][c]));
      }
      const stored = json.outputs.finalLoss[iy * json.x.values.length + ix];
      if (stored === null) { expect(Number.isFinite(loss)).toBe(false); return; }
      expect(Math.abs(loss - stored) / stored, `cell ${ix}, ${iy}`).toBeLessThan(1e-9);
      checked++;
    }));
    expect(checked).toBeGreaterThan(0);
  });
});
