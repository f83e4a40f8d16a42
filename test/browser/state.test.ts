/**
 * The page's state, end to end in Chromium: a ready-made sweep after a finished one, cancel then Back, a reload of a
 * Sweep-tab link with its metric and inspected cell, Back at the start of a direct link, and the two features added
 * through the tables (an lr × momentum sweep, the peakLoss map).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLASS_COLORS } from '../../src/core/heatmap';
import { MARGIN, plotPixels, servedApp, waitForText } from './harness';

const app = servedApp();
const link = (spec: object, extra = '') => `${app.url}?spec=${encodeURIComponent(JSON.stringify(spec))}${extra}`;
const waitForDone = (page: Page) => waitForText(page, '#progress-text', /^Done\./);
const param = (page: Page, key: string) => new URL(page.url()).searchParams.get(key);
const small = { steps: 200, x: { param: 'lr', min: 0.01, max: 100, count: 48, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 10, count: 48, scale: 'log' } };
/** 128² × 20,000 steps: seconds on two cores, long enough to cancel midway. */
const slow = { steps: 20_000, x: { param: 'lr', min: 0.5, max: 5, count: 128, scale: 'log' }, y: { param: 'initScale', min: 0.5, max: 2, count: 128, scale: 'log' } };

/** Clicks the centre of cell (ix, iy) of an n × n view. */
async function clickCell(page: Page, ix: number, iy: number, n: number): Promise<void> {
  const box = (await page.locator('[data-testid=heatmap]').boundingBox())!;
  const w = box.width - MARGIN.left - MARGIN.right, h = box.height - MARGIN.top - MARGIN.bottom;
  await page.mouse.click(box.x + MARGIN.left + ((ix + 0.5) / n) * w, box.y + MARGIN.top + (1 - (iy + 0.5) / n) * h);
}

describe('the page state in Chromium (production build)', () => {
  it('a ready-made sweep after a finished one runs at once: no stale picture, status or export under the new spec', async () => {
    const page = await app.open(link(small));
    await waitForDone(page);
    const first = page.url();
    await page.click('#ready-made button:text-is("lr × momentum")');
    await page.waitForURL((u) => u.href !== first);
    expect(JSON.parse(param(page, 'spec')!).y.param).toBe('momentum');
    // At once: the old status and the export buttons go, the form shows the new spec.
    expect(await page.textContent('#progress-text')).not.toMatch(/^Done/);
    expect(await page.isDisabled('[data-testid=export-json]')).toBe(true);
    expect(await page.inputValue('[data-path="y.param"]')).toBe('momentum');
    await waitForDone(page);
    expect(await page.textContent('#progress-text')).toMatch(/Converged [\d,]+, left [\d,]+, stalled [\d,]+, diverged [\d,]+ \(converged: ends below the threshold\)\./);
    expect(await page.isDisabled('[data-testid=export-json]')).toBe(false);
    await page.close();
  });

  it('cancel, then a new view, then Back: the cancelled view as it stood, partial, with Continue for the rest only', async () => {
    const page = await app.open(link(slow, '&arithmetic=float64'));
    await waitForText(page, '#progress-text', /^pass [23] of 3 · /);
    await page.click('[data-testid=cancel]');
    await waitForText(page, '#progress-text', /^Cancelled: /);
    const cancelled = (await page.textContent('#progress-text'))!;
    const kept = cancelled.match(/^Cancelled: ([\d,]+) of 16,384 cells are kept/)![1];
    await page.click('[data-testid=zoom-out]');
    await waitForText(page, '#progress-text', /cells done|^Done/);
    await page.click('[data-testid=view-back]');
    // At once, from what the page kept: the same cells, the preview marked partial, Continue offered.
    await waitForText(page, '#progress-text', /^Cancelled: /, 5_000);
    expect((await page.textContent('#progress-text'))!.match(/^Cancelled: ([\d,]+)/)![1]).toBe(kept);
    expect(await page.getAttribute('[data-testid=heatmap]', 'data-partial')).toBe('true');
    const left = 16_384 - Number(kept.replace(/,/g, ''));
    expect(await page.textContent('[data-testid=continue-run]')).toBe(`Continue (${left.toLocaleString('en-US')} cells left)`);
    await page.click('[data-testid=continue-run]');
    await waitForText(page, '#progress-text', /^Done\..*Converged 16,384, left 0, stalled 0, diverged 0 \(converged: ends below the threshold\)\./);
    expect(await page.getAttribute('[data-testid=heatmap]', 'data-partial')).toBe('false');
    await page.close();
  });

  it('a Sweep-tab link keeps its metric and inspected cell through a reload, and the page writes both into its URL', async () => {
    const page = await app.open(link(small));
    await waitForDone(page);
    await page.selectOption('#metric', 'peakLoss');
    await page.waitForURL(/metric=peakLoss/);
    await clickCell(page, 30, 20, 48);
    await page.waitForURL(/cell=990\b/); // 20 · 48 + 30
    await waitForText(page, '#inspector-title', /^Cell 990: lr = /);
    await page.reload();
    await waitForDone(page);
    expect(await page.inputValue('#metric')).toBe('peakLoss');
    await waitForText(page, '#inspector-title', /^Cell 990: lr = /);
    expect(await page.isHidden('#course')).toBe(true);
    // The Course tab and back: a URL of its own, and the sweep as it was (not run again).
    await page.click('#nav-course');
    expect(param(page, 'spec')).toBeNull();
    await page.reload();
    expect(await page.isVisible('#course')).toBe(true);
    await page.goBack();
    await waitForDone(page);
    expect(param(page, 'metric')).toBe('peakLoss');
    await page.close();
  });

  it('Compare shows its outline, keeps it in the link, and a reload runs Compare again to show it', async () => {
    const page = await app.open(link(small));
    await waitForDone(page);
    await page.click('[data-testid=compare]');
    await waitForText(page, '[data-testid=compare-text]', /^Compared float32 with float64 on all 2,304 finished cells/);
    await page.waitForURL(/outline=1/);
    expect(await page.isChecked('#show-disagreement')).toBe(true);
    await page.reload();
    await waitForText(page, '[data-testid=compare-text]', /^Compared float32 with float64 on all 2,304 finished cells/);
    expect(await page.isChecked('#show-disagreement')).toBe(true);
    await page.uncheck('#show-disagreement');
    await page.waitForURL((u) => !u.search.includes('outline'));
    await page.close();
  });

  it('Back and Forward stay within the page: disabled at the ends of the trail of a direct link', async () => {
    const page = await app.open(link(small));
    await waitForDone(page);
    expect(await page.isDisabled('[data-testid=view-back]')).toBe(true);
    expect(await page.isDisabled('[data-testid=view-forward]')).toBe(true);
    const start = page.url();
    await page.click('[data-testid=zoom-out]');
    await page.waitForURL((u) => u.href !== start);
    await waitForDone(page);
    expect(await page.isDisabled('[data-testid=view-back]')).toBe(false);
    await page.click('[data-testid=view-back]');
    await page.waitForURL(start);
    expect(await page.isDisabled('[data-testid=view-back]')).toBe(true);
    expect(await page.isDisabled('[data-testid=view-forward]')).toBe(false);
    await page.click('[data-testid=view-back]', { force: true }); // disabled: nothing happens
    await page.waitForTimeout(300);
    expect(page.url()).toBe(start);
    await page.click('[data-testid=view-forward]');
    await page.waitForURL((u) => u.href !== start);
    expect(await page.isDisabled('[data-testid=view-forward]')).toBe(true);
    await page.close();
  });

  it('sweeps lr × momentum, and the peakLoss map shows the catapult above the start', async () => {
    const spec = { preset: 'era-v1', steps: 300, threshold: 1e-4, x: { param: 'lr', min: 0.1, max: 60, count: 24, scale: 'log' }, y: { param: 'momentum', min: 0, max: 0.95, count: 9 } };
    const page = await app.open(link(spec, '&metric=peakLoss'));
    await waitForDone(page);
    // Momentum speeds training up: at lr = 0.1 plain gradient descent (β = 0, the bottom row) stalls in 300 steps, while
    // β = 0.95 (the top row) converges.
    await page.selectOption('#metric', 'class');
    const [plain, heavyBall] = await plotPixels(page, [[0.5 / 24, 1 - 0.5 / 9], [0.5 / 24, 0.5 / 9]]);
    expect(plain).toEqual(CLASS_COLORS.stalled);
    expect(heavyBall).toEqual(CLASS_COLORS.converged);
    await page.selectOption('#metric', 'peakLoss');
    expect(param(page, 'metric')).toBe('peakLoss');
    // Hover the top-right cell (lr = 60, β = 0.95): its loss rose above the start, E0 = 0.0141813…, before converging.
    const box = (await page.locator('[data-testid=heatmap]').boundingBox())!;
    const w = box.width - MARGIN.left - MARGIN.right;
    await page.mouse.move(box.x + MARGIN.left + w - 5, box.y + MARGIN.top + 5);
    await waitForText(page, '#hover', /^lr = 60, momentum = 0\.95 → finalLoss .*peakLoss 1\.506e-2, .*\(converged\)/);
    // On the peakLoss map that cell is the brightest (the top of the scale), the cells that never rose all alike.
    const [catapult, flat] = await plotPixels(page, [[1 - 0.5 / 24, 0.5 / 9], [0.5 / 24, 0.5 / 9]]);
    expect(catapult).not.toEqual(flat);
    await page.close();
  });
});
