/**
 * The same 2-2-2 training written in TensorFlow.js, as a user would write it: every network's eight weights as
 * [N] tensors, the sheet's forward and backward pass as element-wise ops, one learning rate per network. Used to
 * compare the WGSL trainer with TF.js's WebGPU and WASM backends on the same workload.
 */
import type * as tfType from '@tensorflow/tfjs-core';

/** Trains `cells` networks for `steps` updates; returns elapsed ms (read-back of the final loss included). */
export async function trainWithTfjs(tf: typeof tfType, cells: number, steps: number): Promise<number> {
  const lrs = Float32Array.from({ length: cells }, (_, i) => 0.01 * 10 ** (4 * (i / Math.max(1, cells - 1))));
  const initial = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55];
  let w = initial.map((v) => tf.fill([cells], v));
  const lr = tf.tensor1d(lrs);
  const [i1, i2, t1, t2] = [0.05, 0.1, 0.01, 0.99];
  const start = performance.now();
  let loss: tfType.Tensor | undefined;
  for (let k = 0; k < steps; k++) {
    const next = tf.tidy(() => {
      const { add, sub, mul, sigmoid, square } = tf;
      const [w1, w2, w3, w4, w5, w6, w7, w8] = w;
      const ah1 = sigmoid(add(mul(w1, i1), mul(w2, i2)));
      const ah2 = sigmoid(add(mul(w3, i1), mul(w4, i2)));
      const ao1 = sigmoid(add(mul(w5, ah1), mul(w6, ah2)));
      const ao2 = sigmoid(add(mul(w7, ah1), mul(w8, ah2)));
      const l = mul(add(square(sub(t1, ao1)), square(sub(t2, ao2))), 0.5);
      const do1 = mul(mul(sub(ao1, t1), ao1), sub(1, ao1));
      const do2 = mul(mul(sub(ao2, t2), ao2), sub(1, ao2));
      const dh1 = mul(mul(add(mul(do1, w5), mul(do2, w7)), ah1), sub(1, ah1));
      const dh2 = mul(mul(add(mul(do1, w6), mul(do2, w8)), ah2), sub(1, ah2));
      const grads = [mul(dh1, i1), mul(dh1, i2), mul(dh2, i1), mul(dh2, i2), mul(do1, ah1), mul(do1, ah2), mul(do2, ah1), mul(do2, ah2)];
      return { weights: w.map((wj, j) => sub(wj, mul(lr, grads[j]))), loss: l };
    });
    w.forEach((t) => t.dispose());
    loss?.dispose();
    w = next.weights;
    loss = next.loss;
  }
  await loss!.data();
  const elapsed = performance.now() - start;
  w.forEach((t) => t.dispose());
  loss!.dispose();
  lr.dispose();
  return elapsed;
}
