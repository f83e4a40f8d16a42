/**
 * The model's layers other than the 3×3 convolution behind one interface, so that the float64 reference (layers.ts,
 * here) and the float32 WebAssembly kernels (wasm-conv.ts, wasm/layers.ts, wasm/head.ts) plug into the same network.
 * Tensors are NCHW; parameter, gradient and statistics arguments are the layer's own slices of the flat arrays
 * (model.ts's layouts). "Backward" overwrites dx (skipped when null) and adds into the gradient slice.
 */
import type { Tensor } from './conv';
import * as L from './layers';

export interface LayerKernels {
  /** y = W x per pixel; w: W [co][ci]. */
  conv1Forward(x: Tensor, w: Tensor, y: Tensor, n: number, ci: number, co: number, plane: number): void;
  conv1Backward(x: Tensor, w: Tensor, g: Tensor, dy: Tensor, dx: Tensor | null, n: number, ci: number, co: number, plane: number): void;
  /** Every channel; params [γ c][β c], stats [mean c][variance c], invStd [c] written for the backward pass. */
  batchNormForward(x: Tensor, y: Tensor, xhat: Tensor, params: Tensor, stats: Tensor, invStd: Tensor, train: boolean, n: number, c: number, plane: number): void;
  /** grads [∂γ c][∂β c] += . */
  batchNormBackward(dy: Tensor, xhat: Tensor, dx: Tensor | null, params: Tensor, grads: Tensor, invStd: Tensor, n: number, c: number, plane: number): void;
  reluForward(x: Tensor, y: Tensor, count: number): void;
  reluBackward(y: Tensor, dy: Tensor, dx: Tensor, count: number): void;
  /** mask gets each element's factor (1 / (1 − rate) kept, 0 dropped); see layers.ts for the draw. */
  dropoutForward(x: Tensor, y: Tensor, mask: Tensor, rate: number, seed: number, step: number, count: number): void;
  dropoutBackward(dy: Tensor, dx: Tensor, mask: Tensor, count: number): void;
  maxPoolForward(x: Tensor, y: Tensor, planes: number, h: number, w: number): void;
  /** The winners are found again from the forward input x. */
  maxPoolBackward(x: Tensor, dy: Tensor, dx: Tensor, planes: number, h: number, w: number): void;
  gapForward(x: Tensor, y: Tensor, planes: number, plane: number): void;
  gapBackward(dy: Tensor, dx: Tensor, planes: number, plane: number): void;
  /** w: W [co][ci] then b [co]. */
  linearForward(x: Tensor, w: Tensor, y: Tensor, n: number, ci: number, co: number): void;
  linearBackward(x: Tensor, w: Tensor, g: Tensor, dy: Tensor, dx: Tensor | null, n: number, ci: number, co: number): void;
  /** Mean negative log-likelihood of n rows of logits z; its gradient into dz. */
  nllLoss(z: Tensor, dz: Tensor, labels: ArrayLike<number>, n: number, classes: number): number;
}

/** The reference: layers.ts's loops in the arrays' own precision (float64 in the oracle). */
export const referenceLayers: LayerKernels = {
  conv1Forward: (x, w, y, n, ci, co, plane) => L.conv1Forward(x, w, 0, y, n, ci, co, plane),
  conv1Backward: (x, w, g, dy, dx, n, ci, co, plane) => L.conv1Backward(x, w, g, 0, dy, dx, n, ci, co, plane),
  batchNormForward(x, y, xhat, params, stats, invStd, train, n, c, plane) {
    for (let j = 0; j < c; j++) invStd[j] = L.batchNormForward(x, y, xhat, params[j], params[c + j], stats, j, c + j, train, n, c, j, plane);
  },
  batchNormBackward(dy, xhat, dx, params, grads, invStd, n, c, plane) {
    for (let j = 0; j < c; j++) {
      const [dGamma, dBeta] = L.batchNormBackward(dy, xhat, dx, params[j], invStd[j], n, c, j, plane);
      grads[j] += dGamma;
      grads[c + j] += dBeta;
    }
  },
  reluForward: L.reluForward,
  reluBackward: L.reluBackward,
  dropoutForward: L.dropoutForward,
  dropoutBackward: L.dropoutBackward,
  maxPoolForward: L.maxPoolForward,
  maxPoolBackward: L.maxPoolBackward,
  gapForward: L.gapForward,
  gapBackward: L.gapBackward,
  linearForward: (x, w, y, n, ci, co) => L.linearForward(x, w, 0, y, n, ci, co),
  linearBackward: (x, w, g, dy, dx, n, ci, co) => L.linearBackward(x, w, g, 0, dy, dx, n, ci, co),
  nllLoss: L.nllLoss,
};
