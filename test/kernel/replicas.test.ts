/**
 * Replica sweeps on the WGSL trainers (a real adapter; none is an error): cells × replicas share the dispatches, each
 * replica's bits are those of the same network in a plain GPU sweep with a seed axis, and the summaries follow.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { classOf, OUTPUT_NAMES, REPLICA_OUTPUT_NAMES, type SweepOutputs } from '../../src/core/outputs';
import { parseSpec, type SweepSpec } from '../../src/core/spec';
import { createTestTrainer } from './setup';

const trainer = await createTestTrainer();
afterAll(() => trainer.gpu.device.destroy());

function spec(input: Record<string, unknown>): SweepSpec {
  const r = parseSpec(input);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec;
}
const lrAxis = { param: 'lr', min: 0.5, max: 60, count: 7, scale: 'log' };
const kinds = {
  course: { activation: 'tanh', preset: 'eva', steps: 100, threshold: 1e-3, convergence: 'reached', init: { distribution: 'normal', scale: 1, seed: 5 } },
  mlp: { network: { kind: 'mlp', inputs: 3, width: 8, outputs: 1 }, data: { points: 9, seed: 2 }, steps: 30 },
};

describe('replica sweeps on the WGSL trainers', () => {
  for (const [name, base] of Object.entries(kinds)) {
    it(`every replica has the bits of the same draw on a seed axis, and pConverged is its converged fraction (${name})`, async () => {
      const R = 10;
      const replicated = spec({ ...base, replicas: { count: R, keep: 'all' }, x: lrAxis });
      const seeded = spec({ ...base, x: lrAxis, y: { param: 'seed', count: R } });
      const a = await trainer.run(replicated, { firstTileCells: 16 }), b = await trainer.run(seeded);
      expect(a.status).toBe('complete');
      expect(a.cellsDone).toBe(7);
      const all = (a as { replicaOutputs?: SweepOutputs }).replicaOutputs!;
      for (let ix = 0; ix < 7; ix++) for (let r = 0; r < R; r++) {
        for (const out of OUTPUT_NAMES) expect(Object.is(all[out][ix * R + r], b.outputs[out][r * 7 + ix]), `${out} cell ${ix} replica ${r}`).toBe(true);
      }
      for (const out of OUTPUT_NAMES) expect(Array.from(a.outputs[out]), out).toEqual(Array.from(b.outputs[out].subarray(0, 7)));
      const fractions = Array.from({ length: 7 }, (_, ix) => Array.from({ length: R }, (_, r) => classOf(all, ix * R + r, replicated.convergence)).filter((c) => c === 'converged').length / R);
      expect(Array.from(a.outputs.pConverged!)).toEqual(fractions);
      expect(new Set(fractions.map((f) => (f === 0 ? 'none' : f === 1 ? 'all' : 'some'))).size, 'cells of more than one kind').toBeGreaterThan(1);
    });
  }

  for (const [name, base] of Object.entries(kinds)) {
    for (const convergence of ['ends-below', 'reached', 'tail-mean'] as const) {
      it(`folding on the device gives the host's fold of the same replicas bit for bit (${name}, ${convergence})`, async () => {
        // keep "all" reads every replica back and folds on the host (reduceCell); "summary" folds in shaders/replicas.wgsl.
        const input = { ...base, convergence, x: lrAxis, y: { param: 'initScale', min: 0.3, max: 3, count: 3, scale: 'log' } };
        for (const R of [1, 6, 13]) {
          const device = await trainer.run(spec({ ...input, replicas: { count: R } }), { firstTileCells: 4 * R });
          const host = await trainer.run(spec({ ...input, replicas: { count: R, keep: 'all' } }));
          for (const out of [...OUTPUT_NAMES, ...REPLICA_OUTPUT_NAMES]) {
            Array.from(host.outputs[out]!).forEach((v, i) => expect(Object.is(device.outputs[out]![i], v), `R ${R} ${out}[${i}]: ${device.outputs[out]![i]} vs ${v}`).toBe(true));
          }
          if (R === 13) expect(new Set(Array.from(host.outputs.medianFinalLoss!)).size, 'medians differ from cell to cell').toBeGreaterThan(5);
        }
      });
    }
  }

  it('a cancelled replica sweep keeps whole cells only', async () => {
    const s = spec({ ...kinds.course, replicas: { count: 4 }, x: { ...lrAxis, count: 64 } });
    const abort = new AbortController();
    const r = await trainer.run(s, { signal: abort.signal, tileCells: 64, firstTileCells: 64, onProgress: () => abort.abort() });
    expect(r.status).toBe('cancelled');
    const done = Array.from(r.outputs.replicasConverged!).filter((k) => k >= 0).length;
    expect(done).toBe(r.cellsDone);
    expect(done % 16).toBe(0);
  });
});
