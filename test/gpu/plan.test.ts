import { describe, expect, it } from 'vitest';
import { allocateOutputs } from '../../src/core/outputs';
import { CELL_SETUP_LENGTH, SETUP } from '../../src/core/network';
import { CELL_STATE, CHUNK } from '../../src/gpu/layout';
import { packCells, packChunk, unpackOutputs } from '../../src/gpu/pack';
import { firstChunkSteps, MIN_CHUNK_STEPS, maxTileCells, nextChunkSteps, planTiles, workgroupCount } from '../../src/gpu/plan';

const defaultLimits = { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20, maxComputeWorkgroupsPerDimension: 65535 };

describe('tiling', () => {
  it('keeps the state buffer of a tile within one binding', () => {
    expect(maxTileCells(defaultLimits, 64, 1e9)).toBe(Math.floor((128 * 2 ** 20) / CELL_STATE.size)); // 2,796,202
    expect(maxTileCells(defaultLimits, 64)).toBe(2 ** 20);
  });

  it('keeps a tile within one dispatch', () => {
    expect(maxTileCells({ ...defaultLimits, maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 31 }, 64, 1e9)).toBe(65535 * 64);
  });

  it('splits a sweep into consecutive tiles covering every cell once', () => {
    expect(planTiles(10, 4)).toEqual([{ first: 0, count: 4 }, { first: 4, count: 4 }, { first: 8, count: 2 }]);
    expect(planTiles(4096 * 4096, 2 ** 20)).toHaveLength(16);
  });

  it('can start small and double, so the first results come early', () => {
    expect(planTiles(20, 8, 2)).toEqual([{ first: 0, count: 2 }, { first: 2, count: 4 }, { first: 6, count: 8 }, { first: 14, count: 6 }]);
  });

  it('sizes the first dispatch to about 2^24 network-steps, within 1 … steps + 1', () => {
    expect(firstChunkSteps(4096, 1000)).toBe(1001);
    expect(firstChunkSteps(262144, 1000)).toBe(64);
    expect(firstChunkSteps(1 << 25, 1000)).toBe(MIN_CHUNK_STEPS);
    expect(firstChunkSteps(1 << 25, 10)).toBe(11);
  });

  it('scales later dispatches to the target time, growing at most 4× and never below the minimum', () => {
    expect(nextChunkSteps(100, 50, 200)).toBe(400);
    expect(nextChunkSteps(100, 10, 200)).toBe(400);
    expect(nextChunkSteps(100, 400, 200)).toBe(50);
    expect(nextChunkSteps(40, 10_000, 200)).toBe(MIN_CHUNK_STEPS);
  });

  it('gives every cell an invocation', () => {
    expect(workgroupCount(1, 64)).toBe(1);
    expect(workgroupCount(64, 64)).toBe(1);
    expect(workgroupCount(65, 64)).toBe(2);
  });
});

describe('packing', () => {
  it('initializes state and params per the layout, rounding to float32', () => {
    const setup = new Float64Array(CELL_SETUP_LENGTH).map((_, i) => i + 0.1);
    const { state, params } = packCells(setup, 1);
    const sf = new Float32Array(state), si = new Int32Array(state), pf = new Float32Array(params);
    const o = (name: keyof typeof CELL_STATE.offsets) => CELL_STATE.offsets[name] / 4;
    expect(Array.from(sf.slice(0, 8))).toEqual(Array.from(setup.slice(0, 8), Math.fround));
    expect([sf[o('loss')], sf[o('minLoss')], sf[o('peakLoss')], si[o('stepsToThreshold')], si[o('divergedAt')]]).toEqual([NaN, Infinity, -Infinity, -1, -1]);
    expect(Array.from(sf.slice(o('v1'), o('v8') + 1))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(pf)).toEqual([SETUP.lrHidden, SETUP.lrOutput, SETUP.i1, SETUP.i2, SETUP.t1, SETUP.t2, SETUP.momentum].map((i) => Math.fround(i + 0.1)));
  });

  it('reads outputs back, NaN finalLoss for diverged cells', () => {
    const state = new ArrayBuffer(2 * CELL_STATE.size), f = new Float32Array(state), i = new Int32Array(state);
    const words = CELL_STATE.size / 4, o = (name: keyof typeof CELL_STATE.offsets) => CELL_STATE.offsets[name] / 4;
    f.set([0.25, 0.125, 0.5], o('loss')); i.set([7, -1], o('stepsToThreshold'));
    f.set([3, 0.5, 4], words + o('loss')); i.set([-1, 9], words + o('stepsToThreshold'));
    const out = allocateOutputs(3);
    unpackOutputs(state, 2, out, 1, 10);
    expect(Array.from(out.finalLoss)).toEqual([NaN, 0.25, NaN]);
    expect(Array.from(out.minLoss)).toEqual([NaN, 0.125, 0.5]);
    expect(Array.from(out.peakLoss)).toEqual([NaN, 0.5, 4]);
    expect(Array.from(out.stepsToThreshold)).toEqual([-1, 7, -1]);
    expect(Array.from(out.divergedAt)).toEqual([-1, -1, 9]);
  });

  it('packs the chunk uniform little-endian at the layout offsets', () => {
    const v = new DataView(packChunk({ cellCount: 5, firstStep: 10, endStep: 20, totalSteps: 100, threshold: 1e-4, biasHidden: 0.35, biasOutput: 0.6 }));
    expect(v.byteLength).toBe(CHUNK.size);
    expect([v.getUint32(0, true), v.getUint32(4, true), v.getUint32(8, true), v.getUint32(12, true)]).toEqual([5, 10, 20, 100]);
    expect(v.getFloat32(CHUNK.offsets.threshold, true)).toBe(Math.fround(1e-4));
    expect(v.getFloat32(CHUNK.offsets.biasOutput, true)).toBe(Math.fround(0.6));
  });
});
