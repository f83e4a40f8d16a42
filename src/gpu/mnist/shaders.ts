/** The MNIST kernels' WGSL as bundled text, for pages and their workers (Node reads them from disk: src/cli/mnist-data.ts). */
import common from '../../../shaders/mnist/common.wgsl?raw';
import conv from '../../../shaders/mnist/conv.wgsl?raw';
import convBackward from '../../../shaders/mnist/conv-backward.wgsl?raw';
import batchnorm from '../../../shaders/mnist/batchnorm.wgsl?raw';
import pointwise from '../../../shaders/mnist/pointwise.wgsl?raw';
import pool from '../../../shaders/mnist/pool.wgsl?raw';
import head from '../../../shaders/mnist/head.wgsl?raw';
import sgd from '../../../shaders/mnist/sgd.wgsl?raw';
import type { MnistShaders } from './trainer';

export const MNIST_SHADERS: MnistShaders = { common, conv, 'conv-backward': convBackward, batchnorm, pointwise, pool, head, sgd };
