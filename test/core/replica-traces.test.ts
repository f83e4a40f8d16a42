/**
 * The inspector's replay of a replica cell (src/core/replica-traces.ts): the kept steps, a trace's losses on them, the
 * median curve (by hand, and against the full traces), and replays of both network kinds against the sweep itself.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernelModule } from '../../src/cli/node-cpu';
import { WasmKernel } from '../../src/cpu/kernel';
import { TRACE_ROW_LENGTH } from '../../src/cpu/layout';
import { runReference } from '../../src/core/cpu-runner';
import { cellSetup } from '../../src/core/grid';
import { OUTPUT_NAMES, REPLICA_OUTPUT_NAMES, outputArray, type SweepOutputs } from '../../src/core/outputs';
import { keptSteps, lossesOnSteps, medianCurve, replayPlan, replayReplicas, replaySummary, type NetworkReplay } from '../../src/core/replica-traces';
import { quantile } from '../../src/core/replicas';
import { parseSpec, type MlpSweepSpec, type SweepSpec } from '../../src/core/spec';
import { MLP_TRACE_ROW_LENGTH, traceMlpCell } from '../../src/mlp/trace';

function spec(input: Record<string, unknown>): SweepSpec {
  const r = parseSpec(input);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec;
}

describe('the steps a replay keeps', () => {
  it('are 0, every, 2·every, … and the last step once', () => {
    expect(Array.from(keptSteps(10, 4))).toEqual([0, 4, 8, 10]);
    expect(Array.from(keptSteps(8, 4))).toEqual([0, 4, 8]);
    expect(Array.from(keptSteps(3, 1))).toEqual([0, 1, 2, 3]);
  });

  it('take a trace\'s loss where it has a row, NaN from its divergence on (the divergence row, off the grid, is dropped)', () => {
    // rows of (k, loss, one more number): k = 0, 4 and a divergence at 6 (loss Infinity)
    const rows = [0, 1, 9, 4, 0.5, 9, 6, Infinity, 9];
    expect(Array.from(lossesOnSteps(rows, 3, keptSteps(10, 4)))).toEqual([1, 0.5, NaN, NaN]);
    expect(Array.from(lossesOnSteps([0, 1, 4, NaN], 2, [0, 4, 8]))).toEqual([1, NaN, NaN]);
  });
});

describe('the median curve', () => {
  it('is the median over the replicas not diverged by then, the mean of the middle two for an even count, NaN over none', () => {
    // 4 replicas × 3 steps; replica 3 diverged before step 1, replicas 1 and 2 before step 2, replica 0 … all by 2.
    const loss = [
      1, 0.4, NaN,
      2, 0.8, NaN,
      3, 0.2, NaN,
      4, NaN, NaN,
    ];
    expect(Array.from(medianCurve(loss, 4, 3))).toEqual([2.5, 0.4, NaN]);
    expect(Array.from(medianCurve([5, 1, 3], 3, 1))).toEqual([3]);
  });
});

describe('how much a replay covers', () => {
  const course = { preset: 'era-v1', init: { distribution: 'normal', scale: 1, seed: 1 }, x: { param: 'lr', min: 0.1, max: 10, count: 4, scale: 'log' } };
  it('replays every replica of a course cell at 1000 steps, even 4096, and fewer when steps or an MLP cost more', () => {
    expect(replayPlan(spec({ ...course, steps: 1000, replicas: { count: 4096 } }))).toEqual({ replicas: 4096, replayed: 4096, every: 5 });
    expect(replayPlan(spec({ ...course, steps: 100_000, replicas: { count: 4096 } }))).toEqual({ replicas: 4096, replayed: 100, every: 401 });
    expect(replayPlan(spec({ ...course, steps: 10, replicas: { count: 3 } }))).toEqual({ replicas: 3, replayed: 3, every: 1 });
    const paper = spec({ network: { kind: 'mlp', inputs: 16, width: 16, outputs: 1, activation: 'tanh', scaling: 'mean-field' }, data: { points: 272, seed: 1 }, steps: 100, replicas: { count: 64 }, x: { param: 'lrHidden', values: [1] } });
    expect(replayPlan(paper).replayed).toBe(16); // about 1.6 s of the TypeScript oracle
  });
});

/** The sweep's own outputs of cell `cell`'s replicas (keep "all") against the replay's, row by row, bit for bit. */
function expectSameReplicas(sweep: SweepOutputs, R: number, cell: number, replay: SweepOutputs) {
  for (const name of OUTPUT_NAMES) expect(Array.from(replay[name]), name).toEqual(Array.from(sweep[name].subarray(cell * R, cell * R + R)));
}

describe('a replica cell replayed', () => {
  let kernel: WasmKernel;
  beforeAll(async () => { kernel = await WasmKernel.create(loadKernelModule()); });

  it('of the course: each replica is network cell·R + r, bit for bit the sweep, and the replay\'s summary is the view\'s', async () => {
    const s = spec({ preset: 'era-v1', steps: 200, init: { distribution: 'normal', scale: 1, seed: 5 }, replicas: { count: 12, keep: 'all' }, x: { param: 'lr', min: 0.5, max: 2000, count: 10, scale: 'log' } });
    const run = await runReference(s, 'float64') as Awaited<ReturnType<typeof runReference>> & { replicaOutputs: SweepOutputs };
    const replayOne = (j: number, every: number): NetworkReplay => ({ ...kernel.trace(s, 'float64', cellSetup(s, j), every), rowLength: TRACE_ROW_LENGTH });
    for (const cell of [0, 9]) { // 8 and 2 of 12 converge
      const traces = replayReplicas(s, cell, replayOne, { replicas: 12, replayed: 12, every: 7 });
      expectSameReplicas(run.replicaOutputs, 12, cell, traces.outputs);
      const summary = replaySummary(traces, s.convergence)!;
      for (const name of REPLICA_OUTPUT_NAMES) expect(outputArray(summary, name)![0], name).toBe(outputArray(run.outputs, name)![cell]);
    }
    expect([run.outputs.replicasConverged![0], run.outputs.replicasConverged![9]]).toEqual([8, 2]); // the test needs both classes
    const part = replayReplicas(s, 9, replayOne, { replicas: 12, replayed: 5, every: 7 });
    expect(part.outputs.divergedAt.length).toBe(5);
    expect(replaySummary(part, s.convergence)).toBeUndefined(); // a summary of 5 of 12 would be another statistic
  });

  it('of an MLP: the median at each kept step is the median of the full traces there over the replicas not diverged', async () => {
    const s = spec({ network: { kind: 'mlp', inputs: 3, width: 4, outputs: 1 }, data: { points: 7, seed: 2 }, steps: 40, replicas: { count: 9, keep: 'all' },
      init: { distribution: 'normal', scale: 1, seed: 1 }, lrHidden: 1, x: { param: 'lrOutput', values: [1, 2e4] } }) as MlpSweepSpec;
    const run = await runReference(s, 'float64') as Awaited<ReturnType<typeof runReference>> & { replicaOutputs: SweepOutputs };
    const traces = replayReplicas(s, 1, (j, every) => ({ ...traceMlpCell(s, j, every), rowLength: MLP_TRACE_ROW_LENGTH }), { replicas: 9, replayed: 9, every: 3 });
    expectSameReplicas(run.replicaOutputs, 9, 1, traces.outputs);
    const full = Array.from({ length: 9 }, (_, r) => traceMlpCell(s, 9 + r, 1).rows);
    const { median } = traces;
    traces.k.forEach((k, t) => {
      const alive = full.flatMap((rows, r) => (traces.outputs.divergedAt[r] < 0 || traces.outputs.divergedAt[r] > k ? [rows[k * MLP_TRACE_ROW_LENGTH + 1]] : [])).sort((a, b) => a - b);
      expect(median[t], `k = ${k}`).toBe(quantile(alive, alive.length, 0.5));
    });
    expect(Array.from(traces.outputs.divergedAt).filter((d) => d >= 0).length).toBe(5); // the test needs some diverged, some not
  });
});
