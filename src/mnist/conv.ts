/**
 * The three passes of a 3×3 "valid" convolution (stride 1, no padding, no bias) over a batch, the model's one costly
 * operation, behind an interface so that the float64 reference (here) and the float32 WebAssembly kernels
 * (wasm-conv.ts) plug into the same network.
 *
 * Layouts: x [n][ci][h][w], k [co][ci][3][3], y and dy [n][co][h−2][w−2], dx like x, dk like k.
 */

/** A float array: Float64Array in the reference, Float32Array in the float32 engines. */
export type Tensor = Float64Array | Float32Array;

export interface ConvKernels {
  /** y = conv3(x, k). */
  forward(x: Tensor, k: Tensor, y: Tensor, n: number, ci: number, co: number, h: number, w: number): void;
  /** dk += ∂L/∂k summed over the batch, and dx = ∂L/∂x unless dx is null, given dy = ∂L/∂y. */
  backward(x: Tensor, k: Tensor, dy: Tensor, dx: Tensor | null, dk: Tensor, n: number, ci: number, co: number, h: number, w: number): void;
}

/** The reference: direct loops in the arrays' own precision (float64 in the oracle). */
export const referenceConv: ConvKernels = {
  forward(x, k, y, n, ci, co, h, w) {
    const ho = h - 2, wo = w - 2;
    for (let b = 0; b < n; b++) {
      for (let o = 0; o < co; o++) {
        const yo = (b * co + o) * ho * wo;
        for (let r = 0; r < ho; r++) {
          for (let q = 0; q < wo; q++) {
            let sum = 0;
            for (let c = 0; c < ci; c++) {
              const xc = (b * ci + c) * h * w, kc = (o * ci + c) * 9;
              for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) sum += k[kc + ky * 3 + kx] * x[xc + (r + ky) * w + q + kx];
            }
            y[yo + r * wo + q] = sum;
          }
        }
      }
    }
  },
  backward(x, k, dy, dx, dk, n, ci, co, h, w) {
    const ho = h - 2, wo = w - 2;
    if (dx) dx.fill(0, 0, n * ci * h * w);
    for (let b = 0; b < n; b++) {
      for (let o = 0; o < co; o++) {
        const yo = (b * co + o) * ho * wo;
        for (let c = 0; c < ci; c++) {
          const xc = (b * ci + c) * h * w, kc = (o * ci + c) * 9;
          for (let ky = 0; ky < 3; ky++) {
            for (let kx = 0; kx < 3; kx++) {
              const kv = k[kc + ky * 3 + kx];
              let sum = 0;
              for (let r = 0; r < ho; r++) {
                for (let q = 0; q < wo; q++) {
                  const g = dy[yo + r * wo + q], at = xc + (r + ky) * w + q + kx;
                  sum += g * x[at];
                  if (dx) dx[at] += kv * g;
                }
              }
              dk[kc + ky * 3 + kx] += sum;
            }
          }
        }
      }
    }
  },
};
