/**
 * runReplicas when its engine stops with an error carrying what it finished (the GPU trainer's SweepInterruptedError
 * on a lost device): the error then carries the sweep's whole cells, not the engine's chunk of networks.
 */
import { describe, expect, it } from 'vitest';
import { runReference } from '../../src/core/cpu-runner';
import { OUTPUT_NAMES, REPLICA_OUTPUT_NAMES, outputArray } from '../../src/core/outputs';
import { runReplicas } from '../../src/core/replica-run';
import type { RunResult } from '../../src/core/run';
import { parseSpec } from '../../src/core/spec';

const parsed = parseSpec({ activation: 'tanh', preset: 'eva', steps: 60, init: { distribution: 'normal', scale: 1, seed: 5 }, replicas: { count: 4 }, x: { param: 'lr', min: 0.5, max: 60, count: 5, scale: 'log' } });
if (!parsed.ok) throw new Error(parsed.errors.join());
const spec = parsed.spec;

describe('a replica run interrupted by its engine', () => {
  it('rethrows the error with the cells whose replicas all finished, as an interrupted run of the sweep', async () => {
    const whole = await runReference(spec, 'float64');
    const lost = Object.assign(new Error('device lost'), { partial: undefined as RunResult | undefined });
    const error = await runReplicas(spec, {}, async (networks) => {
      // The engine finished 2 cells and one replica of the third, then lost its device.
      const done = await runReference(spec, 'float64', { ...networks, cellOrder: networks.cellOrder.subarray(0, 9) });
      lost.partial = { ...done, status: 'interrupted', cellsDone: 9 };
      throw lost;
    }).catch((e: unknown) => e);
    expect(error).toBe(lost);
    const partial = lost.partial!;
    expect([partial.status, partial.cellsDone]).toEqual(['interrupted', 2]);
    expect(partial.outputs.finalLoss).toHaveLength(5);
    for (const name of [...OUTPUT_NAMES, ...REPLICA_OUTPUT_NAMES]) {
      const got = Array.from(outputArray(partial.outputs, name)!), want = Array.from(outputArray(whole.outputs, name)!);
      expect(got.slice(0, 2), name).toEqual(want.slice(0, 2));
    }
    expect(Array.from(partial.outputs.replicasConverged!.subarray(2))).toEqual([-1, -1, -1]);
  });
});
