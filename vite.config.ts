import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Relative asset URLs: dist/ works from any sub-path (https://host/some/project/) on a plain static server.
  base: './',
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
