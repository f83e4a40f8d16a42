/**
 * A drawn digit made to look like MNIST (pure): the ink's bounding box scaled to fit 20 × 20 pixels, area-averaged,
 * and placed in 28 × 28 with its centre of mass in the middle, as LeCun and Cortes prepared the data set.
 */

/**
 * `ink` is width × height intensities in [0, 1], row-major (1 = full ink). Returns 28 × 28 intensities in [0, 1],
 * or null when nothing is drawn.
 */
export function toMnistDigit(ink: Float32Array, width: number, height: number): Float32Array | null {
  let left = width, right = -1, top = height, bottom = -1;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (ink[y * width + x] > 0.05) {
    left = Math.min(left, x); right = Math.max(right, x); top = Math.min(top, y); bottom = Math.max(bottom, y);
  }
  if (right < 0) return null;
  const side = Math.max(right - left + 1, bottom - top + 1), scale = 20 / side;
  // Area-average the box into a 20 × 20 field (the shorter side centred).
  const box = new Float32Array(20 * 20), weight = new Float32Array(20 * 20);
  const offsetX = (side - (right - left + 1)) / 2, offsetY = (side - (bottom - top + 1)) / 2;
  for (let y = top; y <= bottom; y++) for (let x = left; x <= right; x++) {
    const bx = Math.min(19, Math.floor((x - left + offsetX) * scale)), by = Math.min(19, Math.floor((y - top + offsetY) * scale));
    box[by * 20 + bx] += ink[y * width + x];
    weight[by * 20 + bx] += 1;
  }
  let mass = 0, mx = 0, my = 0;
  for (let j = 0; j < 400; j++) {
    if (weight[j]) box[j] /= weight[j];
    mass += box[j]; mx += box[j] * (j % 20); my += box[j] * Math.floor(j / 20);
  }
  const out = new Float32Array(28 * 28);
  const shiftX = Math.round(13.5 - mx / mass), shiftY = Math.round(13.5 - my / mass);
  for (let j = 0; j < 400; j++) {
    const x = (j % 20) + shiftX, y = Math.floor(j / 20) + shiftY;
    if (x >= 0 && x < 28 && y >= 0 && y < 28) out[y * 28 + x] = Math.min(1, box[j]);
  }
  return out;
}
