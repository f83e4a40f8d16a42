/** Builds the benchmark page (bench/page) on its own, apart from the app. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./page', import.meta.url)),
  worker: { format: 'es' },
  build: { outDir: fileURLToPath(new URL('../dist-bench', import.meta.url)), emptyOutDir: true, target: 'es2022' },
  logLevel: 'warn',
});
