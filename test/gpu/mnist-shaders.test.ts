/** The MNIST kernels are listed once (MNIST_SHADER_FILES): the page's bundle and Node's reading give the same texts, and every file is listed. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readMnistShaders } from '../../src/cli/mnist-data';
import { MNIST_SHADERS } from '../../src/gpu/mnist/shaders';
import { MNIST_SHADER_FILES } from '../../src/gpu/mnist/trainer';

describe('the MNIST shader list', () => {
  it('names every shaders/mnist/*.wgsl, and the bundle holds the files Node reads', () => {
    const files = readdirSync(new URL('../../shaders/mnist/', import.meta.url)).filter((f) => f.endsWith('.wgsl')).map((f) => f.slice(0, -'.wgsl'.length));
    expect([...MNIST_SHADER_FILES].sort()).toEqual(files.sort());
    expect(MNIST_SHADERS).toEqual(readMnistShaders());
  });
});
