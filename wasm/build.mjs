// Builds the WebAssembly kernels from the AssemblyScript sources in wasm/ (npm run wasm; every npm script that needs a
// CPU engine runs it first): wasm/build/train.wasm (the sweep kernel, train.ts + math.ts) and wasm/build/mnist.wasm (the
// MNIST model's layers: mnist.ts, which exports layers.ts and head.ts too). Skips a build when its output is newer than every source, so it costs
// nothing twice.
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const sources = readdirSync(here).filter((f) => f.endsWith('.ts')).map((f) => join(here, f));
const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs), statSync(fileURLToPath(import.meta.url)).mtimeMs);

for (const [entry, name] of [['train.ts', 'train.wasm'], ['mnist.ts', 'mnist.wasm']]) {
  const output = join(here, 'build', name);
  let built = 0;
  try { built = statSync(output).mtimeMs; } catch { /* not built yet */ }
  if (built > newest && !process.argv.includes('--force')) continue;
  const { default: asc } = await import('assemblyscript/asc');
  mkdirSync(dirname(output), { recursive: true });
  // -O3 with SIMD (f64x2 / f32x4); the stub runtime: the kernels allocate nothing.
  // Built under a name of its own, then renamed: parallel builds (array jobs on a fresh clone) never read half a file.
  const temporary = `${output}.${process.pid}.tmp`;
  const { error, stderr } = await asc.main([join(here, entry), '-o', temporary, '-O3', '--noAssert', '--runtime', 'stub', '--enable', 'simd']);
  if (error) {
    process.stderr.write(stderr.toString());
    process.stderr.write(`wasm/build.mjs: ${error.message}\n`);
    process.exit(1);
  }
  renameSync(temporary, output);
}
