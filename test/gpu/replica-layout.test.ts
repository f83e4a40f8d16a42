/**
 * shaders/replicas.wgsl's ReplicaSummary against its TypeScript mirror (REPLICA_SUMMARY): the struct's reflected
 * offsets, and the shader's stores into the summaries buffer (word s + k holds the field at byte 4k); and the host's
 * finishing of a summary (unpackSummaries) against reduceCell on hand-made replicas.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allocateOutputs, REPLICA_OUTPUT_NAMES } from '../../src/core/outputs';
import { reduceCell } from '../../src/core/replicas';
import { MLP_BOOK } from '../../src/gpu/mlp-layout';
import { REPLICA_SUMMARY, unpackSummaries } from '../../src/gpu/replica-fold';

Object.assign(globalThis, { GPUShaderStage: { VERTEX: 1, FRAGMENT: 2, COMPUTE: 4 } });
const { makeShaderDataDefinitions } = await import('webgpu-utils');
const code = readFileSync(new URL('../../shaders/replicas.wgsl', import.meta.url), 'utf8');
const defs = makeShaderDataDefinitions(code);

describe('the replica summary layout', () => {
  it('matches struct ReplicaSummary, and the shader stores each field at its offset', () => {
    const def = defs.structs.ReplicaSummary as { size: number; fields: Record<string, { offset: number }> };
    expect({ size: def.size, offsets: Object.fromEntries(Object.entries(def.fields).map(([n, f]) => [n, f.offset])) }).toEqual(REPLICA_SUMMARY);
    const stores = [...code.matchAll(/summaries\[s(?: \+ (\d+)u)?\] = (?:bitcast<u32>\()?(summary\.(\w+)|0u)/g)].map((m) => [Number(m[1] ?? 0), m[3] ?? 'pad'] as const);
    expect(stores.length).toBe(12);
    for (const [k, name] of stores) expect(REPLICA_SUMMARY.offsets[name as keyof typeof REPLICA_SUMMARY.offsets], name).toBe(4 * k);
    expect(defs.uniforms.params.binding).toBe(0);
    expect([defs.storages.states.binding, defs.storages.summaries.binding]).toEqual([1, 2]);
  });

  it('finishes a summary as reduceCell does over the same replicas (counts, interval, interpolated quantiles)', () => {
    // Five MLP replicas by hand: losses 0.5, 0.25 (converged under tail-mean: ratio < 1), 3 (stalled), two diverged at 7 and 4.
    const R = 5, words = MLP_BOOK.size / 4, W = MLP_BOOK.offsets;
    const replicas = [[0.5, 0.1, 9, -1], [0.25, 0.2, 3, -1], [3, 2, -1, -1], [NaN, NaN, -1, 7], [NaN, NaN, -1, 4]];
    const networks = allocateOutputs(R);
    replicas.forEach(([loss, tail, steps, diverged], r) => {
      networks.finalLoss[r] = loss; networks.tailLossRatio[r] = tail; networks.stepsToThreshold[r] = steps; networks.divergedAt[r] = diverged; networks.settledAt[r] = -1;
    });
    const expected = allocateOutputs(1, true);
    reduceCell(networks, 0, R, 'tail-mean', expected, 0);
    // The shader's record for the same cell: replica 0's MlpBook, then the counts and order statistics it finds.
    const buffer = new ArrayBuffer(MLP_BOOK.size + REPLICA_SUMMARY.size), f = new Float32Array(buffer), i = new Int32Array(buffer);
    f[W.loss / 4] = 0.5; f[W.tailLossRatio / 4] = 0.1; i[W.stepsToThreshold / 4] = 9; i[W.divergedAt / 4] = -1; i[W.settledAt / 4] = -1;
    const s = words, o = REPLICA_SUMMARY.offsets;
    i[s + o.converged / 4] = 2; i[s + o.diverged / 4] = 2; i[s + o.reached / 4] = 2;
    f[s + o.stepsLo / 4] = 3; f[s + o.stepsHi / 4] = 9; f[s + o.lossLo / 4] = 0.5; f[s + o.lossHi / 4] = 0.5;
    f[s + o.divQ1Lo / 4] = 4; f[s + o.divQ1Hi / 4] = 7; f[s + o.divMedianLo / 4] = 4; f[s + o.divMedianHi / 4] = 7;
    const got = allocateOutputs(1, true);
    unpackSummaries(buffer, 1, R, MLP_BOOK, 10, got, 0);
    for (const name of REPLICA_OUTPUT_NAMES) expect(got[name]![0], name).toBe(expected[name]![0]);
    expect([got.medianStepsToThreshold![0], got.divergedAtQ1![0], got.divergedAtMedian![0], got.medianFinalLoss![0]]).toEqual([6, 4.75, 5.5, 0.5]);
  });
});

describe('the fold shader\'s capacity', () => {
  it('holds DEVICE_FOLD_MAX_REPLICAS replicas per subset (MAX_R)', async () => {
    const { DEVICE_FOLD_MAX_REPLICAS } = await import('../../src/gpu/replica-fold');
    expect(Number(/const MAX_R = (\d+)u;/.exec(code)![1])).toBe(DEVICE_FOLD_MAX_REPLICAS);
  });
});
