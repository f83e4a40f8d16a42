/**
 * `npm run bench [-- --quick]`: network-steps per second of every backend, in one run so the ratios mean something.
 * WGSL trainer in headless Chromium and in Node (Dawn), the float64 CPU reference in Node and in the page, and the
 * same training in TensorFlow.js (WebGPU and WASM backends); the device's peak rates from a microkernel; the cost
 * of chunking and of loss tracking; the page's latency to its first partial heatmap. Writes bench/results.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import { acquireNodeGpu, readFoldShader, readMlpShader, readTrainShader } from '../src/cli/node-gpu';
import { GpuTrainer, type GpuRunOptions } from '../src/gpu/trainer';
import { benchNode } from './node';
import { CPU_CELLS } from './cpu-bench';
import { benchCpuNode } from './node-cpu';
import { benchMlpNode } from './mlp-bench';
import { benchReplicasNode, REPLICA_BENCH } from './replica-bench';
import { BARE_NOTE, measureMlpTrainer } from './gpu-bench';
import { benchSpec, EXP_PER_STEP, FLOP_PER_STEP, MLP_FLOP_PER_STEP, SIZES, STEPS, stats, type Measurement } from './workloads';
import { formatCpuProfile, formatWgslProfile } from './mnist-bench';
import { mnistInChromium, mnistInNode, mnistRatios, mnistSizes } from './mnist-run';

const quick = process.argv.includes('--quick');
/** Only the MNIST model's measurements (bench/mnist-run.ts), written to bench/mnist-results.json. */
const mnistOnly = process.argv.includes('--mnist');
/** Only the MLP rows in Node (CPU engine, numpy twin, WGSL trainer) and their ratios, printed, nothing written. */
const mlpOnly = process.argv.includes('--mlp');
const mnist = mnistSizes(quick);
/** Only the replica rows in Node (CPU engine and WGSL trainer, plain against replicas), printed, nothing written. */
const replicasOnly = process.argv.includes('--replicas');
/** Only the Node (Dawn) measurements: for machines without Chromium, such as a rented GPU (bench/gpu-machine). */
const nodeOnly = process.argv.includes('--node-only');
const sizes = quick ? SIZES.slice(0, 3) : SIZES;
const steps = quick ? 200 : STEPS;
const runs = quick ? 1 : 3;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const log = (line: string) => process.stderr.write(`${line}\n`);
const measurements: Measurement[] = [];
const record = (m: Measurement) => {
  measurements.push(m);
  const v = m.networkStepsPerSecond.median;
  const rate = m.backend.startsWith('mnist') ? `${v.toFixed(1)} images/s` : v < 1e5 ? `${Math.round(v).toLocaleString('en-US')} /s` : `${(v / 1e6).toFixed(2)} M/s`;
  log(`  ${m.backend.padEnd(18)} ${String(m.cells).padStart(8)} × ${m.steps}: ${rate}${m.note ? ` (${m.note})` : ''}`);
  return m;
};

async function inNode() {
  log('Node (CPU engines, then Dawn):');
  const { cancel } = await benchCpuNode(steps, runs, record);
  log('Node, the fractal paper\'s MLP (tanh, P = 272):');
  await benchMlpNode(runs, record);
  await benchReplicasNode(steps, runs, record);
  const gpu = await benchNode({
    gpu: acquireNodeGpu, trainShader: readTrainShader(), mlpShader: readMlpShader(), foldShader: readFoldShader(), peakShader: readFileSync(new URL('../shaders/peak.wgsl', import.meta.url), 'utf8'),
    bareShader: readFileSync(new URL('../shaders/bare.wgsl', import.meta.url), 'utf8'),
    sizes, steps, runs, record,
  });
  return { ...gpu, cancel };
}

interface ExplorerTiming { firstPictureMs: number; busyShare: number; longestTaskMs: number; windowMs: number }

async function inChromium(): Promise<{ info: unknown; peak: { flopPerSecond: number; expPerSecond: number }; firstPartialMs: number; explorer: ExplorerTiming }> {
  log('Chromium:');
  await build({ configFile: new URL('./vite.config.ts', import.meta.url).pathname });
  const server = await preview({ configFile: new URL('./vite.config.ts', import.meta.url).pathname, preview: { port: 0, host: '127.0.0.1' } });
  await build({ logLevel: 'warn', build: { outDir: 'dist' } });
  const app = await preview({ logLevel: 'warn', build: { outDir: 'dist' }, preview: { port: 0, host: '127.0.0.1' } });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.goto(server.resolvedUrls!.local[0]);
    await page.waitForFunction(() => document.title === 'bench ready');
    const info = await page.evaluate(() => window.bench.info());
    const peak = await page.evaluate(() => window.bench.peak());
    for (const cells of sizes) record(await page.evaluate(([c, s, r]) => window.bench.trainer(c, s, r), [cells, steps, runs]));
    record(await page.evaluate(([c, s, r]) => window.bench.bare(c, s, r), [262144, steps, runs]));
    record(await page.evaluate((r) => window.bench.mlp(r), runs));
    const at = 262144;
    for (const [options, note] of [
      [{ stepsPerChunk: 10 }, 'chunking: 10 steps per dispatch'],
      [{ stepsPerChunk: 100 }, 'chunking: 100 steps per dispatch'],
      [{ stepsPerChunk: steps + 1 }, 'chunking: one dispatch per tile'],
      [{ trackLoss: false }, 'no loss tracking (outputs meaningless)'],
      [{ tileCells: Math.max(4096, Math.ceil(at / 16)), firstTileCells: 4096 }, "the page's tiles (4,096 doubling to cells / 16)"],
    ] as Array<[GpuRunOptions, string]>) {
      record(await page.evaluate(([c, s, r, o, n]) => window.bench.trainer(c, s, r, o, n), [at, steps, runs, options, note] as const));
    }
    for (const m of await page.evaluate(([s, r]) => window.bench.cpuEngines(s, r), [steps, runs])) record(m);
    record(await page.evaluate(([c, s, r]) => window.bench.wasm(c, s, r), [at, steps, runs]));
    record(await page.evaluate(([r]) => window.bench.wasm(65536, 1000, r, undefined, true), [runs]));
    const tfSteps = quick ? 5 : 20;
    record(await page.evaluate(([c, s, r]) => window.bench.tfjs('webgpu', c, s, r), [at, tfSteps, runs]));
    const wasm = await browser.newPage();
    await wasm.goto(server.resolvedUrls!.local[0]);
    await wasm.waitForFunction(() => document.title === 'bench ready');
    record(await wasm.evaluate(([c, s, r]) => window.bench.tfjs('wasm', c, s, r), [at, tfSteps, runs]));
    const firstPartialMs = await measureFirstPartial(await browser.newPage(), app.resolvedUrls!.local[0]);
    log(`  page: first partial heatmap ${firstPartialMs.toFixed(0)} ms after Run (512² × 1000)`);
    const explorer = await measureExplorer(await browser.newPage(), app.resolvedUrls!.local[0]);
    log(`  page: 1024² × 1000 view: first picture ${explorer.firstPictureMs.toFixed(0)} ms after Run; main thread busy ${(100 * explorer.busyShare).toFixed(0)}% of the next ${(explorer.windowMs / 1000).toFixed(0)} s (longest task ${explorer.longestTaskMs.toFixed(0)} ms)`);
    log('Chromium, MNIST:');
    await mnistInChromium(browser, server.resolvedUrls!.local[0], mnist, record);
    return { info, peak, firstPartialMs, explorer };
  } finally {
    await browser.close();
    await server.close();
    await app.close();
  }
}

/**
 * Median latency from a click on Run to the first drawn cells, for a 512² × 1000-step sweep, on a page that has
 * loaded (the link's own run overlaps the page's start-up and is not counted; Run is clickable once it finishes).
 */
async function measureFirstPartial(page: Page, url: string): Promise<number> {
  const spec = benchSpec(512 * 512, 1000);
  await page.goto(`${url}?spec=${encodeURIComponent(JSON.stringify(spec))}`);
  await page.waitForFunction(() => performance.getEntriesByName('sweep-first-cells').length > 0, null, { timeout: 60_000 });
  await stopTheLinksRun(page);
  const latencies: number[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const before = await page.evaluate(() => performance.getEntriesByName('sweep-first-cells').length);
    await page.click('[data-testid=run]');
    await page.waitForFunction((n) => performance.getEntriesByName('sweep-first-cells').length > n, before, { timeout: 60_000 });
    // A plain expression: tsx would wrap a named inner function in a helper the page lacks.
    latencies.push(await page.evaluate(() => performance.getEntriesByName('sweep-first-cells').at(-1)!.startTime - performance.getEntriesByName('sweep-start').at(-1)!.startTime));
  }
  return stats(latencies).median;
}

/**
 * The explorer's promise for a 1024² × 1000-step view (progressive refinement): the latency from Run to the first
 * picture, and how much of the following seconds the page's main thread spends in long tasks (> 50 ms, the
 * browser's own measure of unresponsiveness) while the view refines.
 */
async function measureExplorer(page: Page, url: string): Promise<ExplorerTiming> {
  const windowMs = quick ? 3000 : 6000;
  await page.addInitScript('window.__longTasks = []; new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]); }).observe({ type: "longtask" });');
  await page.goto(`${url}?spec=${encodeURIComponent(JSON.stringify(benchSpec(1024 * 1024, 1000)))}`);
  await page.waitForFunction(() => performance.getEntriesByName('sweep-first-cells').length > 0, null, { timeout: 60_000 });
  await stopTheLinksRun(page);
  await page.click('[data-testid=run]');
  await page.waitForFunction(() => performance.getEntriesByName('sweep-first-cells').length > 1, null, { timeout: 60_000 });
  const start = await page.evaluate(() => performance.getEntriesByName('sweep-start').at(-1)!.startTime);
  const firstPictureMs = await page.evaluate(() => performance.getEntriesByName('sweep-first-cells').at(-1)!.startTime) - start;
  await page.waitForTimeout(windowMs);
  const tasks = await page.evaluate('window.__longTasks') as Array<[number, number]>;
  await page.click('[data-testid=cancel]');
  // Long tasks overlapping [start, start + windowMs].
  const inWindow = tasks.map(([t, d]) => Math.max(0, Math.min(t + d, start + windowMs) - Math.max(t, start)));
  return { firstPictureMs, busyShare: inWindow.reduce((a, b) => a + b, 0) / windowMs, longestTaskMs: Math.max(0, ...tasks.filter(([t]) => t >= start).map(([, d]) => d)), windowMs };
}

/** Cancels the run a link started, if it still runs (on a slow machine it does), so that Run can be clicked. */
async function stopTheLinksRun(page: Page): Promise<void> {
  if (await page.isEnabled('[data-testid=cancel]')) await page.click('[data-testid=cancel]');
  await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-testid=run]')!.disabled, null, { timeout: 60_000 });
}

function versions(): Record<string, string> {
  const pkg = (name: string) => { try { return JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version as string; } catch { return 'bundled'; } };
  let chromium = 'unknown';
  if (!nodeOnly) try { chromium = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim(); } catch { /* reported as unknown */ }
  return { node: process.version, chromium, webgpu: pkg('webgpu'), tfjs: pkg('@tensorflow/tfjs-core'), vite: pkg('vite') };
}

/** The JS reference rows carry a note of their own. */
const anyNote = (backend: string, cells: number) => measurements.find((m) => m.backend === backend && m.cells === cells)?.networkStepsPerSecond.median ?? NaN;
/** A replica sweep's rate over the plain sweep's of the same networks (bench/replica-bench.ts). */
const replicaRatio = (backend: string) => anyNote(`${backend}-replicas`, REPLICA_BENCH.networks) / (measurements.find((m) => m.backend === backend && m.note?.includes(' seeds'))?.networkStepsPerSecond.median ?? NaN);
const median = (backend: string, cells: number, note?: string) => measurements.find((m) => m.backend === backend && m.cells === cells && m.note === note)?.networkStepsPerSecond.median ?? NaN;

if (mlpOnly) {
  log('Node, the fractal paper\'s MLP (tanh, P = 272):');
  await benchMlpNode(runs, record);
  const trainer = await GpuTrainer.create(await acquireNodeGpu(), readTrainShader(), readMlpShader());
  record(await measureMlpTrainer(trainer, 'mlp-webgpu-node', runs, { sleepWhileWaiting: true }));
  console.log(`mlpCpuEngineVsNumpyTwin ${(anyNote('mlp-wasm-f64-node', 1024) / anyNote('mlp-numpy', 1024)).toFixed(3)}, mlpWgslNodeVsCpuEngine ${(anyNote('mlp-webgpu-node', 1024) / anyNote('mlp-wasm-f64-node', 1024)).toFixed(3)} (${trainer.gpu.adapter})`);
  process.exit(0);
}

if (replicasOnly) {
  await benchReplicasNode(steps, runs, record);
  console.log(`replicaCpuVsPlain ${replicaRatio('wasm-f64-node').toFixed(3)}, replicaWgslNodeVsPlain ${replicaRatio('webgpu-node').toFixed(3)}`);
  process.exit(0);
}

if (mnistOnly) {
  log('Node, MNIST:');
  const { twin, wgsl, cpu } = await mnistInNode(mnist, record);
  if (!nodeOnly) {
    log('Chromium, MNIST:');
    await build({ configFile: new URL('./vite.config.ts', import.meta.url).pathname });
    const server = await preview({ configFile: new URL('./vite.config.ts', import.meta.url).pathname, preview: { port: 0, host: '127.0.0.1' } });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--no-sandbox', '--disable-background-networking', '--no-first-run'] });
    try {
      await mnistInChromium(browser, server.resolvedUrls!.local[0], mnist, record);
    } finally {
      await browser.close();
      await server.close();
    }
  }
  const report = { date: new Date().toISOString(), quick, versions: versions(), sizes: mnist, ratios: { ...mnistRatios(measurements, mnist), ...twin, mnistWgslFractionOfFlopPeakNode: wgsl.gflopPerSecond / wgsl.peakGflopPerSecond }, cpu, wgsl, measurements };
  const outFile = process.env.BENCH_OUT ?? new URL('./mnist-results.json', import.meta.url).pathname;
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nMNIST images per second (median of ${mnist.runs}); ${JSON.stringify(report.versions)}`);
  for (const m of measurements) console.log(`${m.backend.padEnd(24)}${String(m.cells).padStart(4)} ${m.networkStepsPerSecond.median.toFixed(1).padStart(10)}  ${m.note ?? ''}`);
  console.log(`${formatCpuProfile(cpu)}\n${formatWgslProfile(wgsl)}\nratios: ${JSON.stringify(report.ratios, null, 1)}\nwritten: ${outFile}`);
  process.exit(0);
}

const node = await inNode();
log('Node, MNIST:');
const { twin, wgsl: mnistWgsl, cpu: mnistCpu } = await mnistInNode(mnist, record);
const browser = nodeOnly ? { info: {}, peak: { flopPerSecond: NaN, expPerSecond: NaN }, firstPartialMs: NaN, explorer: undefined } : await inChromium();
const at = 262144;
const chromeRate = median('webgpu-chromium', at);
const threadsNote = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;
const allThreads = (backend: string) => measurements.filter((m) => m.backend === backend && m.note?.endsWith('threads') && m.cells === CPU_CELLS)[0]?.note ?? threadsNote(1);
const ratios = {
  ...mnistRatios(measurements, mnist),
  ...twin,
  mnistWgslFractionOfFlopPeakNode: mnistWgsl.gflopPerSecond / mnistWgsl.peakGflopPerSecond,
  replicaCpuVsPlain: replicaRatio('wasm-f64-node'),
  replicaWgslNodeVsPlain: replicaRatio('webgpu-node'),
  mlpCpuEngineVsNumpyTwin: anyNote('mlp-wasm-f64-node', 1024) / anyNote('mlp-numpy', 1024),
  mlpWgslNodeVsCpuEngine: anyNote('mlp-webgpu-node', 1024) / anyNote('mlp-wasm-f64-node', 1024),
  mlpWgslChromiumVsCpuEngine: anyNote('mlp-webgpu-chromium', 1024) / anyNote('mlp-wasm-f64-node', 1024),
  mlpWgslNodeFractionOfFlopPeak: (anyNote('mlp-webgpu-node', 1024) * MLP_FLOP_PER_STEP) / node.peak.flopPerSecond,
  trainerVsBareLoopChromium: chromeRate / median('bare-chromium', at, BARE_NOTE),
  trainerVsBareLoopNode: median('webgpu-node', at) / median('bare-node', at, BARE_NOTE),
  wasmOneThreadVsJsReferenceNode: median('wasm-f64-node', CPU_CELLS, threadsNote(1)) / anyNote('cpu-f64-node', 4096),
  wasmAllThreadsVsOneNode: median('wasm-f64-node', CPU_CELLS, allThreads('wasm-f64-node')) / median('wasm-f64-node', CPU_CELLS, threadsNote(1)),
  wasmOneThreadVsJsReferenceChromium: median('wasm-f64-chromium', CPU_CELLS, threadsNote(1)) / anyNote('cpu-f64-chromium', 4096),
  wasmAllThreadsVsOneChromium: median('wasm-f64-chromium', CPU_CELLS, allThreads('wasm-f64-chromium')) / median('wasm-f64-chromium', CPU_CELLS, threadsNote(1)),
  wasmAllThreadsVsWebgpuChromium256k: median('wasm-f64-chromium', at, allThreads('wasm-f64-chromium')) / chromeRate,
  deepZoomFloat64VsIssue9Baseline: (measurements.find((m) => m.note?.includes('deep-zoom'))?.networkStepsPerSecond.median ?? NaN) / 1.8e6,
  cpuCancelMedianMs: node.cancel.medianMs,
  cpuCancelMaxMs: node.cancel.maxMs,
  chromiumVsTfjsWebgpu: chromeRate / median('tfjs-webgpu', at),
  chromiumVsTfjsWasm: chromeRate / median('tfjs-wasm', at, 'SIMD, one thread'),
  nodeVsChromium: median('webgpu-node', at) / chromeRate,
  chromiumCostPerNetworkLargestVsSmallest: median('webgpu-chromium', sizes[0]) / median('webgpu-chromium', sizes[sizes.length - 1]),
  chunkingOverheadAtPageTiles: 1 - median('webgpu-chromium', at, "the page's tiles (4,096 doubling to cells / 16)") / median('webgpu-chromium', at, 'chunking: one dispatch per tile'),
  nodeSleepGain: median('webgpu-node', at) / median('webgpu-node', at, 'without sleeping while Dawn waits'),
  chunkingOverhead10Steps: 1 - median('webgpu-chromium', at, 'chunking: 10 steps per dispatch') / median('webgpu-chromium', at, 'chunking: one dispatch per tile'),
  lossTrackingCost: 1 - chromeRate / median('webgpu-chromium', at, 'no loss tracking (outputs meaningless)'),
  chromiumFractionOfFlopPeak: (chromeRate * FLOP_PER_STEP) / browser.peak.flopPerSecond,
  chromiumFractionOfExpPeak: (chromeRate * EXP_PER_STEP) / browser.peak.expPerSecond,
  nodeFractionOfFlopPeak: (median('webgpu-node', at) * FLOP_PER_STEP) / node.peak.flopPerSecond,
  nodeFractionOfExpPeak: (median('webgpu-node', at) * EXP_PER_STEP) / node.peak.expPerSecond,
};
const report = {
  date: new Date().toISOString(), quick, steps, runsPerSize: runs, versions: versions(),
  adapters: { node: node.adapter, chromium: browser.info }, peak: { node: node.peak, chromium: browser.peak },
  perStep: { flop: FLOP_PER_STEP, exp: EXP_PER_STEP }, firstPartialHeatmapMs: browser.firstPartialMs, explorer: browser.explorer, mnistCpu, mnistWgsl, ratios, measurements,
};
const outFile = process.env.BENCH_OUT ?? new URL('./results.json', import.meta.url).pathname;
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);

const m = (v: number) => `${(v / 1e6).toFixed(2)}`.padStart(9);
console.log(`\nnetwork-steps per second (M/s, median of ${runs}; spread = (max − min)/median), ${steps} steps`);
console.log(`adapters: node ${node.adapter}; chromium ${(browser.info as { adapter: string }).adapter}; ${JSON.stringify(report.versions)}`);
console.log(`${'backend'.padEnd(18)}${'networks'.padStart(10)}${'M/s'.padStart(9)}${'spread'.padStart(8)}  note`);
for (const x of measurements) console.log(`${x.backend.padEnd(18)}${String(x.cells).padStart(10)}${m(x.networkStepsPerSecond.median)}${x.networkStepsPerSecond.spread.toFixed(2).padStart(8)}  ${x.note ?? ''}`);
console.log(`\npeak (microkernel): chromium ${(browser.peak.flopPerSecond / 1e9).toFixed(1)} GFLOP/s, ${(browser.peak.expPerSecond / 1e9).toFixed(2)} G exp/s; node ${(node.peak.flopPerSecond / 1e9).toFixed(1)} GFLOP/s, ${(node.peak.expPerSecond / 1e9).toFixed(2)} G exp/s`);
console.log(`first partial heatmap: ${browser.firstPartialMs.toFixed(0)} ms after Run (512² × 1000, the page)`);
if (browser.explorer) console.log(`explorer, 1024² × 1000 view: first picture ${browser.explorer.firstPictureMs.toFixed(0)} ms after Run; main thread in long tasks ${(100 * browser.explorer.busyShare).toFixed(0)}% of the next ${(browser.explorer.windowMs / 1000).toFixed(0)} s, longest ${browser.explorer.longestTaskMs.toFixed(0)} ms`);
console.log(formatCpuProfile(mnistCpu));
console.log(formatWgslProfile(mnistWgsl));
for (const [k, v] of Object.entries(ratios)) console.log(`${k.padEnd(32)} ${v.toFixed(3)}`);
console.log(`\nwrote ${outFile}`);
process.exit(0);
