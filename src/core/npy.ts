/**
 * NumPy's .npy format (version 1.0), which numpy.load, and readers in most languages, open directly: the magic
 * "\x93NUMPY", a version, a little-endian header length, a Python-dict header padded with spaces to a multiple of 64
 * bytes, then the array's bytes in C (row-major) order. Pure: bytes in, bytes out.
 */

/** The typed arrays this project writes, and their NumPy dtypes (little-endian). */
export type NpyArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;
const DTYPES: Array<[string, (b: ArrayBuffer, offset: number, length: number) => NpyArray, number]> = [
  ['<f8', (b, o, n) => new Float64Array(b, o, n), 8],
  ['<f4', (b, o, n) => new Float32Array(b, o, n), 4],
  ['<i4', (b, o, n) => new Int32Array(b, o, n), 4],
  ['<u4', (b, o, n) => new Uint32Array(b, o, n), 4],
  ['|u1', (b, o, n) => new Uint8Array(b, o, n), 1],
];

function dtypeOf(values: NpyArray): string {
  if (values instanceof Float64Array) return '<f8';
  if (values instanceof Float32Array) return '<f4';
  if (values instanceof Int32Array) return '<i4';
  if (values instanceof Uint32Array) return '<u4';
  return '|u1';
}

/** The header (magic, version, length, dict, padding) of an array of `values`' type with `shape`. */
export function npyHeader(values: NpyArray, shape: number[]): Uint8Array {
  const dict = `{'descr': '${dtypeOf(values)}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const unpadded = 10 + dict.length + 1; // magic 6 + version 2 + length 2, the dict, '\n'
  const total = Math.ceil(unpadded / 64) * 64;
  const header = new Uint8Array(total);
  header.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]); // \x93NUMPY, version 1.0
  new DataView(header.buffer).setUint16(8, total - 10, true);
  const text = dict + ' '.repeat(total - unpadded) + '\n';
  for (let i = 0; i < text.length; i++) header[10 + i] = text.charCodeAt(i);
  return header;
}

/** A whole .npy file of `values` with `shape` (default: one dimension); little-endian hosts only, as every JS host is. */
export function encodeNpy(values: NpyArray, shape: number[] = [values.length]): Uint8Array {
  if (shape.reduce((a, b) => a * b, 1) !== values.length) throw new RangeError(`shape ${shape.join(' × ')} does not hold ${values.length} values`);
  const header = npyHeader(values, shape);
  const out = new Uint8Array(header.length + values.byteLength);
  out.set(header);
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), header.length);
  return out;
}

/** Reads a .npy file written by encodeNpy (or numpy, for the dtypes above): its values and shape, or what is wrong. */
export function decodeNpy(bytes: Uint8Array): { ok: true; values: NpyArray; shape: number[] } | { ok: false; error: string } {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((m, i) => bytes[i] !== m)) return { ok: false, error: 'not a .npy file (no \\x93NUMPY magic)' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const dict = String.fromCharCode(...bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(dict)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(dict)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(dict)?.[1];
  const dtype = DTYPES.find(([d]) => d === descr);
  if (!dtype || fortran !== 'False' || shapeText === undefined) return { ok: false, error: `unsupported .npy header ${dict.trim()}` };
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLength;
  if (bytes.length - offset !== count * dtype[2]) return { ok: false, error: `the data is ${bytes.length - offset} bytes; shape (${shape.join(', ')}) of ${descr} needs ${count * dtype[2]}: the file is cut short or damaged` };
  const copy = new Uint8Array(bytes.subarray(offset)).buffer; // a copy, aligned for the typed array (a Node Buffer's slice would be a view)
  return { ok: true, values: dtype[1](copy, 0, count), shape };
}
