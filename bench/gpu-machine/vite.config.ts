/** Bundles bench/gpu-machine/main.ts and everything it imports (shaders inlined) into one file; webgpu stays external. */
import { defineConfig } from 'vite';

export default defineConfig({
  ssr: { noExternal: true, external: ['webgpu'] },
  build: { target: 'node18', minify: false, rollupOptions: { output: { entryFileNames: 'main.js' } } },
  logLevel: 'warn',
});
