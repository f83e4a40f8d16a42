import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from '../../src/core/npy';

describe('.npy files', () => {
  it('write the header numpy expects: magic, version 1.0, a dict padded to 64 bytes', () => {
    const bytes = encodeNpy(Float64Array.from([1, NaN, -Infinity, 2.5, 0, 7]), [2, 3]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLength = bytes[8] + 256 * bytes[9];
    expect((10 + headerLength) % 64).toBe(0);
    const dict = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(dict.trimEnd()).toBe("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }");
    expect(dict.endsWith('\n')).toBe(true);
    expect(bytes.length).toBe(10 + headerLength + 6 * 8);
  });

  it('round-trip every dtype, NaN and infinities included, and 1-D shapes with numpy\'s trailing comma', () => {
    for (const values of [Float64Array.from([1, NaN, -Infinity]), Float32Array.from([0.5, NaN]), Int32Array.from([-1, 7, 2 ** 31 - 1]), Uint32Array.from([0xffffffff]), Uint8Array.from([0, 1, 255])]) {
      const bytes = encodeNpy(values);
      expect(new TextDecoder().decode(bytes.subarray(10, 80))).toContain(`'shape': (${values.length},)`);
      const back = decodeNpy(bytes);
      expect(back.ok && back.values.constructor).toBe(values.constructor);
      expect(back.ok && Array.from(back.values)).toEqual(Array.from(values));
    }
  });

  it('say what is wrong with a cut or foreign file', () => {
    const bytes = encodeNpy(Int32Array.from([1, 2, 3]));
    expect(decodeNpy(bytes.subarray(0, bytes.length - 2))).toMatchObject({ ok: false, error: expect.stringMatching(/cut short or damaged/) });
    expect(decodeNpy(new TextEncoder().encode('{"json": true}'))).toMatchObject({ ok: false, error: expect.stringMatching(/not a \.npy file/) });
  });
});
