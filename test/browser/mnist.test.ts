/**
 * The MNIST view in Chromium: a four-copy sweep on the CPU engine end to end (table, curves, accuracy heatmap,
 * gallery, drawing, weights out and back in), the WebGPU engine on the page, a stop that keeps what finished, earlier
 * runs kept and compared until discarded, the plan line and messages for bad settings, and the copies table on a phone.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWeights, type MnistResults } from '../../src/mnist/sweep';
import { launch, openPage, servePage, waitForText } from './harness';

let site: { url: string; stop: () => Promise<void> }, browser: Browser;
beforeAll(async () => { site = await servePage(); browser = await launch(); }, 180_000);
afterAll(async () => { await browser?.close(); await site?.stop(); });

async function settings(page: Page, values: { lr: string; seeds: string; epochs: string; train: string; test: string; engine: string }) {
  await page.fill('#mnist-lr', values.lr);
  await page.fill('#mnist-seeds', values.seeds);
  await page.fill('#mnist-epochs', values.epochs);
  await page.selectOption('#mnist-train', values.train);
  await page.selectOption('#mnist-test', values.test);
  await page.selectOption('#mnist-engine', values.engine);
}

const listedRuns = (page: Page) => page.$$eval('#mnist-runs li .run-text', (items) => items.map((i) => i.textContent ?? ''));
const legend = (page: Page) => page.$$eval('#mnist-accuracy-chart .u-legend .u-series', (rows) => rows.map((r) => r.textContent?.trim() ?? '').filter((t) => t.startsWith('run') || t.startsWith('lr')));

const tableRows = (page: Page) => page.$$eval('#mnist-table tbody tr', (rows) => rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => td.textContent ?? '').slice(1)));

describe('the MNIST view', () => {
  it('trains four copies on the CPU and shows curves, table, heatmap, mistakes and a drawn digit; weights go out and back in', async () => {
    const page = await openPage(browser, `${site.url}?tab=mnist`);
    expect(await page.isVisible('#mnist')).toBe(true);
    expect(await page.textContent('#mnist-params')).toBe('10,552');
    await settings(page, { lr: '0.05, 0.1', seeds: '2', epochs: '1', train: '2000', test: '500', engine: 'cpu' });
    expect(await page.textContent('#mnist-plan')).toBe('4 copies × 1 epoch × 2,000 images = 8,000 image-steps');
    await page.click('#mnist-run');
    await waitForText(page, '#mnist-status', /^Finished: best test accuracy/, 240_000);
    const rows = await tableRows(page);
    expect(rows.map((r) => r.slice(0, 5))).toEqual([['0', '0.05', '0.05', '1', '1/1'], ['1', '0.05', '0.05', '2', '1/1'], ['2', '0.1', '0.05', '1', '1/1'], ['3', '0.1', '0.05', '2', '1/1']]);
    expect(rows.every((r) => r[8] === 'finished' && /^\d+\.\d\d%$/.test(r[6]))).toBe(true);
    expect(await page.isVisible('#mnist-heatmap')).toBe(true);
    expect(await page.getAttribute('#mnist-heatmap', 'aria-label')).toMatch(/^Final test accuracy: lr 0\.05, seed 1: \d+\.\d\d%; lr 0\.1, seed 1: .*; lr 0\.1, seed 2: \d+\.\d\d%$/);
    expect(await page.locator('#mnist-accuracy-chart .u-legend .u-series').count()).toBeGreaterThanOrEqual(4);
    // The gallery shows the selected copy's mistakes; selecting another copy changes it.
    const caption = await page.textContent('#mnist-gallery-caption');
    expect(caption).toMatch(/^\d+ of 500 test digits wrong/);
    expect(await page.locator('#mnist-gallery figure').count()).toBeGreaterThan(0);
    // By keyboard: arrow keys move the selection, and the focus stays on it while the table is redrawn.
    await page.focus('#mnist-table tbody tr:nth-child(1) input');
    await page.keyboard.press('ArrowDown');
    expect(await page.isChecked('#mnist-table tbody tr:nth-child(2) input')).toBe(true);
    expect(await page.evaluate(() => document.activeElement === document.querySelector('#mnist-table tbody tr:nth-child(2) input'))).toBe(true);
    // A misclassified digit goes onto the drawing pad and is read again.
    await page.click('#mnist-gallery figure:first-child button');
    await waitForText(page, '#mnist-prediction', /^Copy 1 reads \d/);
    await page.click('#mnist-table tbody tr:nth-child(4)');
    expect(await page.isChecked('#mnist-table tbody tr:nth-child(4) input')).toBe(true);
    // Draw a stroke: the selected copy reads it.
    const pad = page.locator('#mnist-draw');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 140, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + 140, box.y + 240, { steps: 10 });
    await page.mouse.up();
    await waitForText(page, '#mnist-prediction', /^Copy 3 reads \d \(\d+\.\d\d% sure\)\.$/);
    expect(await page.locator('#mnist-probabilities .prob').count()).toBe(10);
    // Results and weights download; the weights load back and are evaluated on the whole test set.
    const [results] = await Promise.all([page.waitForEvent('download'), page.click('#mnist-export')]);
    const file = JSON.parse(readFileSync((await results.path())!, 'utf8')) as MnistResults;
    expect(file.copies).toHaveLength(4);
    expect(file.engine).toMatch(/^cpu \(float32 WebAssembly on \d+ threads?, a copy per thread, as asked\)$/);
    const [weights] = await Promise.all([page.waitForEvent('download'), page.click('#mnist-export-weights')]);
    const path = (await weights.path())!;
    expect(checkWeights(JSON.parse(readFileSync(path, 'utf8'))).settings.seed).toBe(2);
    await page.setInputFiles('#mnist-load', path);
    await waitForText(page, '#mnist-status', /: \d+\.\d\d% on the 10,000 test images\.$/, 120_000);
    expect((await tableRows(page)).at(-1)!.slice(0, 1)).toEqual(['loaded']);
    await page.close();
  }, 400_000);

  it('trains on WebGPU when asked (every copy at once, the WGSL kernels)', async () => {
    const page = await openPage(browser, `${site.url}?tab=mnist`);
    await settings(page, { lr: '0.1', seeds: '1', epochs: '1', train: '500', test: '500', engine: 'webgpu' });
    await page.click('#mnist-run');
    await waitForText(page, '#mnist-status', /^Finished: best test accuracy/, 400_000);
    expect((await tableRows(page))[0].slice(4)).toEqual(['1/1', expect.stringMatching(/^\d\.\d{4}$/), expect.stringMatching(/%$/), expect.stringMatching(/%/), 'finished']);
    const [results] = await Promise.all([page.waitForEvent('download'), page.click('#mnist-export')]);
    expect((JSON.parse(readFileSync((await results.path())!, 'utf8')) as MnistResults).engine).toMatch(/^webgpu \(WebGPU on .+, as asked\)$/);
    await page.close();
  }, 500_000);

  it('a stop keeps the finished epochs and frees the form', async () => {
    const page = await openPage(browser, `${site.url}?tab=mnist`);
    await settings(page, { lr: '0.1', seeds: '1', epochs: '3', train: '2000', test: '500', engine: 'cpu' });
    await page.click('#mnist-run');
    // Wait for the first epoch, then stop during the second.
    await page.waitForFunction(() => document.querySelector('#mnist-table tbody tr td:nth-child(6)')?.textContent === '1/3', null, { timeout: 240_000 });
    await page.click('#mnist-stop');
    await waitForText(page, '#mnist-status', /^Stopped: run 1 after \d+ s with [12] of 3 epochs\. It stays in the list of runs until you discard it\.$/);
    const row = (await tableRows(page))[0];
    expect(row[4]).toMatch(/^[12]\/3$/);
    expect(row[8]).toMatch(/^stopped( in epoch [23] at \d+%)?$/);
    expect(await page.isEnabled('#mnist-run')).toBe(true);
    await page.close();
  }, 400_000);

  it('keeps every run until it is discarded, a stop in epoch 1 included, and draws two runs\' curves together', async () => {
    const page = await openPage(browser, `${site.url}?tab=mnist`);
    await settings(page, { lr: '0.1', seeds: '1', epochs: '1', train: '500', test: '500', engine: 'cpu' });
    await page.click('#mnist-run');
    await waitForText(page, '#mnist-status', /^Finished: best test accuracy .* Took \d+ s\.$/, 240_000);
    await page.fill('#mnist-lr', '0.05');
    await page.click('#mnist-run');
    await waitForText(page, '#mnist-status', /^Finished: best test accuracy .*lr 0\.05/, 240_000);
    // Training again kept run 1 and draws its curves, dashed, beside run 2's.
    expect(await listedRuns(page)).toEqual([
      expect.stringMatching(/^Run 2: 1 copy × 1 epoch × 500 images \(lr 0\.05; dropout 0\.05; 1 seed\) · finished in \d+ s · best \d+\.\d\d% \(shown\)$/),
      expect.stringMatching(/^Run 1: 1 copy × 1 epoch × 500 images \(lr 0\.1; dropout 0\.05; 1 seed\) · finished in \d+ s · best \d+\.\d\d% \(compared, dashed\)$/),
    ]);
    expect(await legend(page)).toEqual(['run 2 · lr 0.05 · d 0.05 · s 1', 'run 1 · lr 0.1 · d 0.05 · s 1']);
    expect(await page.textContent('#mnist-compare-caption')).toBe('Solid lines: run 2; dashed: run 1. A setting in both runs has one colour.');
    // Run 1 can be shown again: its table, and its weights to download.
    await page.click('[aria-label="show run 1"]');
    expect((await tableRows(page)).map((r) => r.slice(1, 2))).toEqual([['0.1']]);
    expect(await page.isEnabled('#mnist-export-weights')).toBe(true);
    // A stop in epoch 1 keeps the run with how far it got; the time so far and the time left show while it trains.
    await settings(page, { lr: '0.1', seeds: '1', epochs: '2', train: '10000', test: '500', engine: 'cpu' });
    await page.click('#mnist-run');
    await waitForText(page, '#mnist-status', /^Training on the CPU .* · \d+% of 2 copy-epochs · \d+ s elapsed · about (\d+ min )?\d+ s left$/, 240_000);
    await page.click('#mnist-stop');
    await waitForText(page, '#mnist-status', /^Stopped: run 3 after \d+ s before the first epoch ended \(at \d+% of epoch 1\): no curves or weights\. It stays/);
    expect((await tableRows(page))[0][8]).toMatch(/^stopped in epoch 1 at \d+%$/);
    expect((await listedRuns(page)).map((t) => t.slice(0, 6))).toEqual(['Run 3:', 'Run 2:', 'Run 1:']);
    // Discard removes only the run it is pressed for; another run can be chosen for comparison.
    await page.click('[aria-label="discard run 1"]');
    expect((await listedRuns(page)).map((t) => t.slice(0, 6))).toEqual(['Run 3:', 'Run 2:']);
    await page.click('[aria-label="compare with run 2"]');
    expect(await legend(page)).toEqual(['run 3 · lr 0.1 · d 0.05 · s 1', 'run 2 · lr 0.05 · d 0.05 · s 1']);
    expect(await page.textContent('#mnist-compare-caption')).toMatch(/^Solid lines: run 3 \(no epoch finished: nothing to draw\); dashed: run 2\./);
    await page.close();
  }, 600_000);

  it('says what Train will run, names the copy limit and its fix before Train, and clears an error once its field is fixed', async () => {
    const page = await openPage(browser, `${site.url}?tab=mnist`);
    await page.fill('#mnist-lr', '0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09');
    await page.fill('#mnist-seeds', '4');
    // 9 learning rates × 1 dropout rate × 4 seeds = 36 copies > 32: said at once, and Train cannot start it.
    expect(await page.textContent('#mnist-plan')).toBe('36 copies × 2 epochs × 10,000 images: 9 learning rates × 1 dropout rate × 4 seeds make 36 copies; the page trains at most 32 at once. Use fewer values, or the command line (npm run mnist) for larger sweeps.');
    expect(await page.isDisabled('#mnist-run')).toBe(true);
    await page.fill('#mnist-seeds', '3');
    expect(await page.textContent('#mnist-plan')).toBe('27 copies × 2 epochs × 10,000 images = 540,000 image-steps');
    expect(await page.isEnabled('#mnist-run')).toBe(true);
    // A bad field is named once committed; the message goes as soon as the field is fixed.
    await page.fill('#mnist-lr', 'abc');
    await page.press('#mnist-lr', 'Tab');
    expect(await page.textContent('#mnist-errors')).toBe('Learning rates "abc": expected learning rates above 0 and below 100, comma-separated (e.g. 0.05)');
    expect(await page.getAttribute('#mnist-lr', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#mnist-plan')).toBe('Nothing to train until Learning rates is fixed.');
    expect(await page.isDisabled('#mnist-run')).toBe(true);
    await page.fill('#mnist-lr', '0.1');
    expect(await page.textContent('#mnist-errors')).toBe('');
    expect(await page.getAttribute('#mnist-lr', 'aria-invalid')).toBe('false');
    expect(await page.isEnabled('#mnist-run')).toBe(true);
    await page.close();
  });

  it('on a phone, the copies table scrolls sideways in its own box with every header whole', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${site.url}?tab=mnist`);
    const box = page.locator('.mnist-table-box');
    const geometry = () => box.evaluate((b) => {
      const r = b.getBoundingClientRect();
      return { left: r.left, right: r.right, scrolls: b.scrollWidth > b.clientWidth, headers: Array.from(b.querySelectorAll('th'), (th) => {
        const t = th.getBoundingClientRect(), text = document.createRange();
        text.selectNodeContents(th);
        return { text: th.textContent, left: t.left, right: t.right, lines: th.textContent ? text.getClientRects().length : 1 };
      }) };
    });
    const start = await geometry();
    expect(start.right).toBeLessThanOrEqual(390);
    expect(start.scrolls).toBe(true);
    expect(start.headers.filter((h) => h.lines !== 1)).toEqual([]); // no header wraps onto a second line
    await box.evaluate((b) => { b.scrollLeft = b.scrollWidth; });
    const end = await geometry();
    const state = end.headers.at(-1)!, copy = end.headers[1];
    expect(state.text).toBe('state');
    expect(state.right).toBeLessThanOrEqual(end.right + 0.5); // the last header is reachable, whole
    expect(copy.left).toBeGreaterThanOrEqual(end.left - 0.5); // the copy's number stays in view
    await page.close();
  });
});
