/**
 * The MNIST kernels' WGSL as bundled text, for pages and their workers (Node reads the same files from disk:
 * src/cli/mnist-data.ts): every shaders/mnist/*.wgsl, named as MNIST_SHADER_FILES lists them.
 */
import { MNIST_SHADER_FILES, type MnistShaders } from './trainer';

const bundled = import.meta.glob('../../../shaders/mnist/*.wgsl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const MNIST_SHADERS = Object.fromEntries(MNIST_SHADER_FILES.map((name) => {
  const text = bundled[`../../../shaders/mnist/${name}.wgsl`];
  if (text === undefined) throw new Error(`shaders/mnist/${name}.wgsl is missing from the build`);
  return [name, text];
})) as MnistShaders;
