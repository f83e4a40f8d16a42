import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MLP_BOOK, MLP_CHUNK, MLP_PARAMS, MlpLimitError, mlpSharedBytes, mlpWorkgroup } from '../../src/gpu/mlp-layout';
import { packMlpCells, packMlpChunk } from '../../src/gpu/mlp-pack';
import { OUTPUTS } from '../../src/core/outputs';
import { parseSpec, type MlpSweepSpec } from '../../src/core/spec';
import { mlpInitialWeights, mlpProblem, MLP_SETUP_LENGTH, writeMlpSetups } from '../../src/mlp/problem';

Object.assign(globalThis, { GPUShaderStage: { VERTEX: 1, FRAGMENT: 2, COMPUTE: 4 } });
const { makeShaderDataDefinitions } = await import('webgpu-utils');
const code = readFileSync(new URL('../../shaders/mlp.wgsl', import.meta.url), 'utf8');
const defs = makeShaderDataDefinitions(code);

function fieldsOf(struct: string): { size: number; offsets: Record<string, number> } {
  const def = defs.structs[struct];
  if (!def || !('fields' in def)) throw new Error(`struct ${struct} not found in mlp.wgsl`);
  return { size: def.size, offsets: Object.fromEntries(Object.entries(def.fields).map(([name, f]) => [name, f.offset])) };
}

describe('buffer layouts match shaders/mlp.wgsl', () => {
  it('MlpChunk, MlpParams, MlpBook', () => {
    expect(fieldsOf('MlpChunk')).toEqual(MLP_CHUNK);
    expect(fieldsOf('MlpParams')).toEqual(MLP_PARAMS);
    expect(fieldsOf('MlpBook')).toEqual(MLP_BOOK);
  });
  it('binds chunk, params, weights, book, data and batches at 0 … 5', () => {
    expect(defs.uniforms.chunk.binding).toBe(0);
    expect(['params', 'weights', 'book', 'data', 'batches'].map((b) => defs.storages[b].binding)).toEqual([1, 2, 3, 4, 5]);
  });
  it('the book holds every output row (finalLoss as the last loss, the score as its sums)', () => {
    for (const row of OUTPUTS) if (row.name !== 'finalLoss' && row.name !== 'score') expect(MLP_BOOK.offsets).toHaveProperty(row.name);
  });
  it('the workgroup arrays the plan counts are the ones the shader declares', () => {
    const declared = [...code.matchAll(/^var<workgroup> \w+: array<(f32|u32|vec4<f32>), ([^;]+)>;/gm)].map((m) => [m[1], m[2]]);
    expect(declared.map((d) => d[1])).toEqual(['T * D4', 'T * O', 'G * T * N4', 'G * T * O', 'G * O * N4', 'G * N4']);
    const [D, N, O, G, T] = [7, 5, 3, 2, 11], D4 = Math.ceil(D / 4), N4 = Math.ceil(N / 4);
    const words = declared.reduce((s, [type, e]) => s + (type === 'vec4<f32>' ? 4 : 1) * Number(new Function('D4', 'N4', 'O', 'G', 'T', `return ${e}`)(D4, N4, O, G, T)), 0);
    expect(mlpSharedBytes(D, N, O, G, T)).toBe(4 * words);
  });
});

describe('the workgroup plan', () => {
  const limits = { maxComputeWorkgroupStorageSize: 16384, maxComputeInvocationsPerWorkgroup: 256 };
  it('gives a paper network (16-16-1) four lanes, and a workgroup eight networks (one warp) with tiles of 25 points', () => {
    expect(mlpWorkgroup(16, 16, 1, 272, limits)).toMatchObject({ networks: 8, lanesPerNetwork: 4, tilePoints: 25, invocations: 32 });
    expect(mlpWorkgroup(16, 16, 1, 272, limits).sharedBytes).toBeLessThanOrEqual(16384);
  });
  it('shrinks tiles and networks to fit, never below one point and one network', () => {
    const w = mlpWorkgroup(64, 64, 32, 4096, limits);
    expect(w.sharedBytes).toBeLessThanOrEqual(16384);
    expect(w.networks).toBe(1);
    expect(mlpWorkgroup(4, 16, 1, 3, limits).tilePoints).toBe(3);
  });
  it('refuses sizes that cannot fit, naming them and the fix', () => {
    expect(() => mlpWorkgroup(64, 64, 64, 10, limits)).toThrow(MlpLimitError);
    expect(() => mlpWorkgroup(64, 64, 64, 10, limits)).toThrow(/64-64-64.*--backend cpu/);
  });
});

describe('packing an MLP sweep', () => {
  const r = parseSpec({ network: { kind: 'mlp', inputs: 3, width: 4, outputs: 2 }, data: { points: 5, seed: 1 }, minibatch: { size: 2, seed: 3 }, steps: 4,
    x: { param: 'seed', count: 2 }, y: { param: 'initOffset', min: 0, max: 0.5, count: 2, scale: 'linear' } });
  if (!r.ok) throw new Error(r.errors.join());
  const spec = r.spec as MlpSweepSpec, problem = mlpProblem(spec);
  it('writes the chunk uniform\'s constants from the problem', () => {
    const view = new DataView(packMlpChunk(problem, { cellCount: 4, firstStep: 1, endStep: 3 }));
    expect(view.getUint32(MLP_CHUNK.offsets.batchSize, true)).toBe(2);
    expect(view.getFloat32(MLP_CHUNK.offsets.gradScale, true)).toBe(Math.fround(2 / (2 * 2)));
    expect(view.getFloat32(MLP_CHUNK.offsets.lossDivisor, true)).toBe(10);
    expect(view.getUint32(MLP_CHUNK.offsets.endStep, true)).toBe(3);
  });
  it('starts each cell at its draw\'s weights in float32, with the offset added once', () => {
    const setups = writeMlpSetups(spec, 0, 4, new Float64Array(4 * MLP_SETUP_LENGTH));
    const { weights, params } = packMlpCells(spec, problem, setups, 4);
    const W = problem.weightCount, drawn = mlpInitialWeights(spec, 1);
    // cell 3: draw 1, offset 0.5 on W0 (d·n = 12 entries), none on W1.
    expect(weights[3 * W]).toBe(Math.fround(Math.fround(drawn[0]) + 0.5));
    expect(weights[3 * W + 12]).toBe(Math.fround(drawn[12]));
    expect(new Float32Array(params)[3 * 3 + 2]).toBe(0.5);
  });
});
