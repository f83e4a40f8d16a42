// `npm run build:lib`: compiles the Node library and command line (src/index.ts, src/cli/bin.ts and what they import;
// none of the page's Vite-only modules) to lib/, keeping src/'s folder depth so that modules still find
// ../../shaders, ../../wasm/build and ../../dist from lib/<folder>/. The sources import extensionless paths (Vite's
// and tsx's resolution); Node's ESM needs the file, so each relative specifier gets ".js" (or "/index.js") here.
// Then the browser library (src/browser.ts): its declarations (lib/browser.d.ts, beside the Node ones it imports) and
// its code bundled by Vite into lib/browser/ (see browserBundle below).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lib = join(root, 'lib');
rmSync(lib, { recursive: true, force: true });
const tsc = (...args) => execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), ...args], { stdio: 'inherit' });
tsc('-p', join(root, 'tsconfig.build.json'));
// The browser entry's declarations only: its JavaScript is Vite's (below), and the worker graph's declarations stay out.
const types = mkdtempSync(join(tmpdir(), 'sweeper-browser-types-'));
tsc('-p', join(root, 'tsconfig.browser.json'), '--outDir', types);
copyFileSync(join(types, 'browser.d.ts'), join(lib, 'browser.d.ts'));
rmSync(types, { recursive: true, force: true });

const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
/** The specifier Node needs for `spec` imported from `file`. */
const withExtension = (file, spec) => {
  if (!spec.startsWith('.') || /\.(m?js|json)$/.test(spec)) return spec;
  const target = resolve(dirname(file), spec);
  if (existsSync(`${target}.js`)) return `${spec}.js`;
  if (existsSync(join(target, 'index.js'))) return `${spec}/index.js`;
  throw new Error(`${file}: cannot resolve ${spec} in lib/`);
};
// from '…' / import '…' / import('…'), in .js and .d.ts alike.
const pattern = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.[^'"]*)\2/g;
for (const file of files(lib).filter((f) => /\.(js|d\.ts)$/.test(f))) {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(pattern, (_, lead, q, spec) => `${lead}${q}${withExtension(file.replace(/\.d\.ts$/, '.js'), spec)}${q}`);
  if (fixed !== text) writeFileSync(file, fixed);
}
chmodSync(join(lib, 'cli/bin.js'), 0o755);

/**
 * lib/browser/: src/browser.ts as an ES module (index.js), the sweep worker and the CPU pool's worker beside it
 * (assets/), the WebAssembly kernel inlined into the worker (library mode inlines assets). Vite writes each worker's URL
 * as `new URL(new URL("assets/w.js", import.meta.url).href, "" + import.meta.url)`, which browsers follow but bundlers
 * do not recognise; it becomes `new URL("./assets/w.js", import.meta.url)`, the form Vite and webpack rebundle from a
 * consumer's node_modules.
 */
async function browserBundle() {
  const outDir = join(lib, 'browser');
  await build({
    configFile: false, root, base: './', logLevel: 'warn', worker: { format: 'es' },
    build: {
      target: 'es2022', outDir, emptyOutDir: true, copyPublicDir: false, rolldownOptions: { checks: { pluginTimings: false } },
      lib: { entry: join(root, 'src/browser.ts'), formats: ['es'], fileName: 'index' },
    },
  });
  const workerUrl = /new URL\(\s*(?:\/\*\s*@vite-ignore\s*\*\/\s*)?new URL\((["`])([\w./-]+\.js)\1,\s*import\.meta\.url\)\.href,\s*(?:""|``)\s*\+\s*import\.meta\.url\s*\)/g;
  let rewritten = 0;
  for (const file of files(outDir).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(workerUrl, (_, q, path) => { rewritten++; return `new URL("./${path}", import.meta.url)`; }));
  }
  // The sweep worker (from index.js) and the CPU worker (from the sweep worker): a Vite that writes another form fails here.
  if (rewritten !== 2) throw new Error(`lib/browser: ${rewritten} worker URLs in Vite's form, 2 expected; see browserBundle in scripts/build-lib.mjs`);
}
await browserBundle();
console.log(`built ${files(lib).length} files in lib/`);
