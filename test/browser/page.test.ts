/**
 * The page, end to end, in Chromium against the production build: the course view, a sweep from a link, real heatmap
 * pixels, cancel, a bad link, the inspector, the comparison, the export against the command line, and the CPU
 * fallback without WebGPU.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLASS_COLORS } from '../../src/core/heatmap';
import { OUTPUT_NAMES } from '../../src/core/outputs';
import { refinementPlan } from '../../src/core/refine';
import type { ResultsFile } from '../../src/core/results';
import type { Page } from 'playwright-core';
import { grid, launch, plotPixels, servedApp, waitForText } from './harness';

const app = servedApp();
const openPage = app.open;

const link = (spec: object) => `${app.url}?spec=${encodeURIComponent(JSON.stringify(spec))}`;





describe('the page in Chromium (production build)', () => {
  it('opens on the course experiment: η = 2 fastest, the sheet’s E0, on WebGPU', async () => {
    const page = await openPage(app.url);
    await waitForText(page, '#course-summary', /converges fastest/);
    // No adapter = failure, not a skip: the course view runs float32 on the GPU, and the engine menu names the adapter.
    await waitForText(page, '[data-testid=arithmetic] option[value=float32]', /^float32 on the GPU \(google \/ swiftshader/, 10_000);
    const summary = await page.textContent('#course-summary');
    expect(summary).toMatch(/^η = 2 converges fastest/);
    expect(summary).toContain('(GPU float32)');
    expect(summary).toContain('E before any update = 0.014181377937891659 (float64, the sheet\'s value)');
    expect(await page.locator('#course-table tr').count()).toBe(7);
    await page.close();
  });

  // Every cell of this sweep converges within 300 steps (η ≥ 0.5 near the sheet's weights).
  const allConverge = { steps: 300, x: { param: 'lr', min: 0.5, max: 5, count: 24, scale: 'log' }, y: { param: 'initScale', min: 0.5, max: 2, count: 16, scale: 'log' } };

  it('runs a sweep from a link and really draws it', async () => {
    const page = await openPage(link(allConverge));
    await waitForText(page, '#progress-text', /^Done\./);
    expect(await page.textContent('#progress-text')).toMatch(/Converged 384, left 0, stalled 0, diverged 0 \(converged: ends below the threshold\)/);
    const lossPixels = await plotPixels(page, grid(8));
    expect(new Set(lossPixels.map(String)).size, 'finalLoss shades across the plot').toBeGreaterThan(5);
    await page.selectOption('#metric', 'class');
    for (const px of await plotPixels(page, grid(8))) expect(px).toEqual(CLASS_COLORS.converged);
    await page.close();
  });

  for (const engine of ['float32', 'float64'] as const) it(`cancel keeps the finished cells, shown and exported (${engine})`, async () => {
    // 128 × 128 cells × 20,000 steps: on the GPU in tiles of 1,024 (the first pass, 32 × 32) doubling to 4,096, seconds
    // per tile on SwiftShader; on the CPU in blocks of about 25 ms.
    const page = await openPage(`${link({ steps: 20_000, x: { param: 'lr', min: 0.5, max: 5, count: 128, scale: 'log' }, y: { param: 'initScale', min: 0.5, max: 2, count: 128, scale: 'log' } })}&arithmetic=${engine}`);
    // Past the first pass (32 × 32, stride 4): its blocks cover the whole picture.
    await waitForText(page, '#progress-text', /^pass [23] of 3 · .* [1-9][\d,]* of 16,384 cells done/);
    await page.click('[data-testid=cancel]');
    await waitForText(page, '#progress-text', /^Cancelled: [\d,]+ of 16,384 cells are kept, and the picture is a partial preview/);
    const done = Number((await page.textContent('#progress-text'))!.match(/Cancelled: ([\d,]+)/)![1].replace(/,/g, ''));
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(16_384);
    if (engine === 'float32') expect([1024, 3072, 7168, 11264, 15360]).toContain(done); // whole tiles
    // Refinement computes every fourth row and column first (the first pass, 32 × 32 = the first tile), so cell (0, 0) is
    // done; cell (1, 1) is not, and keeps showing its block's corner: the preview stays as it stood, marked partial.
    await page.selectOption('#metric', 'class');
    const [firstPass, notYet] = await plotPixels(page, [[0.5 / 128, 1 - 0.5 / 128], [1.5 / 128, 1 - 1.5 / 128]]); // cells (0, 0) and (1, 1)
    expect(firstPass).toEqual(CLASS_COLORS.converged);
    expect(notYet).toEqual(CLASS_COLORS.converged);
    expect(await page.getAttribute('[data-testid=heatmap]', 'data-partial')).toBe('true');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-json]')]);
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8')) as ResultsFile;
    expect(file).toMatchObject({ status: 'cancelled', cellsDone: done });
    if (engine === 'float64') {
      // Continue computes only the cells left and joins them: the view completes with every cell converged.
      await page.click('[data-testid=continue-run]');
      await waitForText(page, '#progress-text', /^Done\..*Converged 16,384, left 0, stalled 0, diverged 0 \(converged: ends below the threshold\)\./);
    }
    expect(file.outputs.finalLoss.filter((v) => v !== null)).toHaveLength(done);
    // Exactly the first `done` cells of the refinement order.
    const { order } = refinementPlan(128, 128, 1024);
    const finished = new Set(order.subarray(0, done));
    expect(file.outputs.finalLoss.every((v, i) => (v !== null) === finished.has(i))).toBe(true);
    await page.close();
  });

  it('shows the message of a bad spec in the link, next to the field, and runs nothing', async () => {
    const page = await openPage(link({ x: { param: 'lr', min: 0.1, max: 10, count: -2 } }));
    await waitForText(page, '#spec-errors', /cannot run here/);
    expect(await page.textContent('#spec-errors')).toContain('x.count: must be a positive integer');
    expect(await page.locator('[data-path="x.count"][aria-invalid=true]').count()).toBe(1);
    expect(await page.textContent('#progress-text')).toBe('');
    const broken = await openPage(`${app.url}?spec=%7B%22x%22`);
    await waitForText(broken, '#spec-errors', /not valid JSON/);
    const huge = await openPage(link({ x: { param: 'lr', min: 0.1, max: 10, count: 4096, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 10, count: 4096, scale: 'log' } }));
    await waitForText(huge, '#spec-errors', /16,777,216 cells are more than this page holds .*npm run sweep/);
    await Promise.all([page.close(), broken.close(), huge.close()]);
  });

  it('inspects a cell and compares float32 with float64 on every cell of the 256² ready-made sweep', async () => {
    const page = await openPage(link(JSON.parse(readFileSync('examples/lr-x-initscale.json', 'utf8'))));
    await waitForText(page, '#progress-text', /^Done\..* on float64 WebAssembly on \d+ threads?\./);
    const box = (await page.locator('[data-testid=heatmap]').boundingBox())!;
    await page.mouse.click(box.x + 72 + 100, box.y + 14 + 100);
    await waitForText(page, '#inspector-title', /^Cell \d+: lr = /);
    expect(await page.locator('#inspector-table tr').count()).toBe(OUTPUT_NAMES.length + 2); // a header, the outputs, the class
    expect(await page.locator('#inspector-loss canvas').count()).toBeGreaterThan(0);
    expect(await page.textContent('#inspector-table')).toMatch(/^this viewfloat64 replay/);
    expect(await page.textContent('#inspector-engines')).toMatch(/^This view: float64 WebAssembly on \d+ threads?\. Replay: float64/);
    await page.click('[data-testid=compare]');
    await waitForText(page, '[data-testid=compare-text]', /^Compared/);
    // The view is float64 (the CPU engine: SwiftShader is a CPU emulation), so Compare runs float32 on the GPU.
    expect(await page.textContent('[data-testid=compare-text]')).toMatch(/^Compared float32 with float64 on all 65,536 finished cells: the class agrees on \d+\.\d+% .*WebGPU \(google \/ swiftshader, float32\) ran at [\d.]+ M network-steps\/s/);
    await page.close();
  });

  const tanhSpec = { preset: 'eva', activation: 'tanh', steps: 400, x: { param: 'lrHidden', min: 0.3, max: 30, count: 20, scale: 'log' }, y: { param: 'lrOutput', min: 0.3, max: 30, count: 12, scale: 'log' } };

  /** The page's export of `spec` on `engine`, and the command line's results.json for it with `cliArgs`. */
  async function pageAndCli(spec: object, engine: string, cliArgs: string[]): Promise<[ResultsFile, ResultsFile]> {
    const page = await openPage(`${link(spec)}${engine}`);
    await waitForText(page, '#progress-text', /^Done\./);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-json]')]);
    const fromPage = JSON.parse(readFileSync((await download.path())!, 'utf8')) as ResultsFile;
    await page.close();
    const dir = mkdtempSync(join(tmpdir(), 'sweeper-cli-'));
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    execFileSync('npm', ['run', '-s', 'sweep', '--', join(dir, 'spec.json'), '--out', dir, ...cliArgs], { stdio: 'pipe' }); // README's command
    return [fromPage, JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile];
  }

  it('exports the same results.json as the command line, bit for bit, on the engine both choose (float64 here)', async () => {
    const [fromPage, fromCli] = await pageAndCli(tanhSpec, '', []);
    expect(fromPage.backend).toBe('cpu');
    // The command line also records the SHA-256 of what it wrote (its head covers its own timings); the page does not.
    const { timings: _a, adapter: pageAdapter, ...page } = fromPage, { timings: _b, adapter: cliAdapter, sha256: _c, ...cli } = fromCli as typeof fromCli & { sha256?: unknown };
    expect(page).toEqual(cli);
    expect(pageAdapter).toMatch(/^cpu \/ float64 WebAssembly, \d+ threads?$/);
    expect(cliAdapter).toMatch(/^cpu \/ float64 WebAssembly, \d+ threads?$/);
  });

  it('exports the same results.json as the command line on WebGPU, within the GPU tolerance', async () => {
    const [fromPage, fromCli] = await pageAndCli(tanhSpec, '&arithmetic=float32', ['--backend', 'webgpu']);
    for (const key of ['format', 'spec', 'backend', 'status', 'cellsDone', 'x', 'y'] as const) expect(fromPage[key], key).toEqual(fromCli[key]);
    // Same kernel, two Dawns (Chrome's, Node's): the short-run tolerance of the kernel tests, 3e-5 relative +
    // √(2E)·3e-6, on ≥ 99% of cells (tanh at η up to 30 is chaotic in places); step counts on ≥ 99%.
    const n = fromCli.outputs.finalLoss.length;
    let close = 0, sameSteps = 0;
    for (let i = 0; i < n; i++) {
      const a = fromPage.outputs.finalLoss[i], b = fromCli.outputs.finalLoss[i];
      if (a === b || (a !== null && b !== null && Math.abs(a - b) <= 3e-5 * b + Math.sqrt(2 * b) * 3e-6)) close++;
      if (fromPage.outputs.stepsToThreshold[i] === fromCli.outputs.stepsToThreshold[i] && fromPage.outputs.divergedAt[i] === fromCli.outputs.divergedAt[i]) sameSteps++;
    }
    expect(close / n).toBeGreaterThanOrEqual(0.99);
    expect(sameSteps / n).toBeGreaterThanOrEqual(0.99);
  });
});

describe('a lost GPU', () => {
  /** Ends Chromium's GPU process, as a driver crash would ("[g]": not this shell's own command line). */
  const killGpuProcess = () => execFileSync('sh', ['-c', "pkill -KILL -f -- '--type=[g]pu-process'"]);
  const done = (page: Page) => waitForText(page, '#progress-text', /^(Done|Cancelled|Interrupted|The sweep failed)/);

  it('while idle: the next run gets a new device and works', async () => {
    const page = await openPage(`${link({ steps: 300, x: { param: 'lr', min: 0.5, max: 5, count: 24, scale: 'log' } })}&arithmetic=float32`);
    await done(page);
    killGpuProcess();
    await page.waitForTimeout(1000);
    await page.click('[data-testid=run]');
    await done(page);
    expect(await page.textContent('#progress-text')).toMatch(/^Done\..* on WebGPU \(/);
    await page.close();
  });

  it('mid-run: the view keeps its finished tiles, says so, and Continue computes only the rest', async () => {
    const page = await openPage(`${link({ steps: 20_000, x: { param: 'lr', min: 0.5, max: 5, count: 128, scale: 'log' }, y: { param: 'initScale', min: 0.5, max: 2, count: 128, scale: 'log' } })}&arithmetic=float32`);
    await waitForText(page, '#progress-text', /[1-9][\d,]* of 16,384 cells done/);
    killGpuProcess();
    await done(page);
    const text = (await page.textContent('#progress-text'))!;
    expect(text).toMatch(/^Interrupted: the GPU device was lost .* ([\d,]+) of 16,384 cells are kept, and the picture is a partial preview.*Continue computes the ([\d,]+) left\./);
    const kept = Number(text.match(/([\d,]+) of 16,384 cells are kept/)![1].replace(/,/g, ''));
    expect(kept).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid=continue-run]')).toBe(`Continue (${(16_384 - kept).toLocaleString('en-US')} cells left)`);
    await page.click('[data-testid=continue-run]');
    await waitForText(page, '#progress-text', /^Continuing: [\d,]+ cells left|of 16,384 cells done|^Done/);
    // float32: the counts follow the float64 spot check.
    await waitForText(page, '#progress-text', /^Done\..*Converged 16,384, left 0, stalled 0, diverged 0 \(converged: ends below the threshold\)\./);
    expect(await page.isVisible('[data-testid=continue-run]')).toBe(false);
    await page.close();
  });
});

describe('without WebGPU', () => {
  it('says so and runs sweeps on the CPU engine, every core, float64, labelled as such', async () => {
    const noGpu = await launch(false);
    const page = await noGpu.newPage();
    await page.goto(link({ steps: 200, x: { param: 'lr', values: [0.5, 1, 2] } }));
    const threads = await page.evaluate(() => navigator.hardwareConcurrency);
    const onEveryCore = `float64 WebAssembly on ${threads} thread${threads === 1 ? '' : 's'}`;
    await waitForText(page, '[data-testid=backend]', new RegExp(`^Device: ${onEveryCore}$`));
    expect(await page.isVisible('#no-webgpu')).toBe(true);
    expect(await page.textContent('#no-webgpu')).toMatch(`Sweeps run on the CPU engine instead: ${onEveryCore}`);
    await waitForText(page, '#progress-text', new RegExp(`^Done\\..* on ${onEveryCore}\\.`));
    await noGpu.close();
  });
});
