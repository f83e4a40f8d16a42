// `npm run build:lib`: compiles the Node library and command line (src/index.ts, src/cli/bin.ts and what they import;
// none of the page's Vite-only modules) to lib/, keeping src/'s folder depth so that modules still find
// ../../shaders, ../../wasm/build and ../../dist from lib/<folder>/. The sources import extensionless paths (Vite's
// and tsx's resolution); Node's ESM needs the file, so each relative specifier gets ".js" (or "/index.js") here.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lib = join(root, 'lib');
rmSync(lib, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

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
console.log(`built ${files(lib).length} files in lib/`);
