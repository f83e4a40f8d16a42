/**
 * The default MNIST model (src/mnist/model.ts) written in TensorFlow.js ops as a user would write it, trained with
 * SGD + momentum on a fixed batch: the comparison for the WGSL trainer and the CPU engine. Batch norm uses the batch's
 * moments (the running statistics, which cost little, are left out).
 */
import type * as tfType from '@tensorflow/tfjs-core';
import { DEFAULT_MODEL, placeModel } from '../src/mnist/model';

/** Trains `steps` steps of `batch` images; returns the elapsed ms (read-back of the last loss included). */
export async function trainMnistWithTfjs(tf: typeof tfType, batch: number, steps: number): Promise<number> {
  const model = placeModel(DEFAULT_MODEL);
  const variables: tfType.Variable[] = [];
  const param = (shape: number[], fanIn: number) => {
    const v = tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)));
    variables.push(v);
    return v;
  };
  const weights = model.layers.map((l) => {
    const { spec, input: s } = l;
    if (spec.kind === 'conv3') return [param([3, 3, s.c, spec.out], 9 * s.c)];
    if (spec.kind === 'conv1') return [param([1, 1, s.c, spec.out], s.c)];
    if (spec.kind === 'batchnorm') { const g = tf.variable(tf.ones([s.c])), b = tf.variable(tf.zeros([s.c])); variables.push(g, b); return [g, b]; }
    if (spec.kind === 'linear') return [param([s.c, spec.out], s.c), param([spec.out], s.c)];
    return [];
  });
  const x = tf.randomNormal([batch, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, b) => b % 10), 'int32'), 10);
  const forward = (): tfType.Scalar => {
    let h: tfType.Tensor = x;
    model.layers.forEach((l, i) => {
      const w = weights[i];
      switch (l.spec.kind) {
        case 'conv3': case 'conv1': h = tf.conv2d(h as tfType.Tensor4D, w[0] as tfType.Tensor4D, 1, 'valid'); break;
        case 'batchnorm': { const { mean, variance } = tf.moments(h, [0, 1, 2]); h = tf.batchNorm(h, mean, variance, w[1], w[0], 1e-5); break; }
        case 'relu': h = tf.relu(h); break;
        case 'dropout': h = tf.dropout(h, 0.05); break;
        case 'maxpool': h = tf.maxPool(h as tfType.Tensor4D, 2, 2, 'valid'); break;
        case 'gap': h = tf.mean(h, [1, 2]); break;
        case 'linear': h = tf.add(tf.matMul(h as tfType.Tensor2D, w[0] as tfType.Tensor2D), w[1]); break;
      }
    });
    return tf.losses.softmaxCrossEntropy(y, h) as tfType.Scalar;
  };
  const optimizer = tf.train.momentum(0.01, 0.9);
  optimizer.minimize(forward); // warm-up: kernels compiled
  const start = performance.now();
  let loss: tfType.Scalar | null = null;
  for (let s = 0; s < steps; s++) {
    loss?.dispose();
    loss = optimizer.minimize(forward, true);
  }
  await loss!.data();
  const elapsed = performance.now() - start;
  loss!.dispose();
  for (const v of variables) v.dispose();
  x.dispose(); y.dispose(); optimizer.dispose();
  return elapsed;
}
