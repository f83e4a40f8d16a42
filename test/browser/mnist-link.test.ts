/**
 * The MNIST view's link: its settings and selected copy fill the form and select the copy after a reload, each Train is
 * a history entry, and Back and Forward move between the runs' settings, showing each run the page still holds.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage, servePage, waitForText } from './harness';

let site: { url: string; stop: () => Promise<void> }, browser: Browser;
beforeAll(async () => { site = await servePage(); browser = await launch(); }, 180_000);
afterAll(async () => { await browser?.close(); await site?.stop(); });

const fields = (page: Page) => page.evaluate(() => ['lr', 'seeds', 'dropout', 'epochs', 'train', 'test', 'schedule', 'engine']
  .map((id) => (document.getElementById(`mnist-${id}`) as HTMLInputElement).value));
const rows = (page: Page) => page.$$eval('#mnist-table tbody tr', (trs) => trs.map((r) => r.querySelector('td:nth-child(3)')?.textContent ?? ''));
const checked = (page: Page) => page.$$eval('#mnist-table tbody input', (inputs) => inputs.findIndex((i) => (i as HTMLInputElement).checked));
const query = (page: Page) => new URL(page.url()).search;

describe('a link to the MNIST view', () => {
  it('keeps its settings and copy through a reload, and Back and Forward move between runs', async () => {
    const link = '?tab=mnist&lr=0.05,0.1&seeds=1&epochs=1&train-limit=500&test-limit=500&backend=cpu&copy=1';
    const page = await openPage(browser, `${site.url}${link}`);
    const linked = ['0.05, 0.1', '1', '0.05', '1', '500', '500', 'onecycle', 'cpu'];
    expect(await fields(page)).toEqual(linked);
    expect(await page.textContent('#mnist-plan')).toBe('2 copies × 1 epoch × 500 images = 1,000 image-steps');
    await page.reload();
    expect(await fields(page)).toEqual(linked);
    expect(query(page)).toBe(link);

    // Train: the link's copy is selected in the run it trains, and the URL keeps it.
    await page.click('#mnist-run');
    await waitForText(page, '#mnist-status', /^Finished: /, 240_000);
    expect(await rows(page)).toEqual(['0.05', '0.1']);
    expect(await checked(page)).toBe(1);
    // The accuracy map (the command line figure's drawing) selects a cell's copy by a click, or by Enter on it.
    expect(await page.textContent('#mnist-heatmap g[data-copy="1"] title')).toMatch(/^lr 0\.1, seed 1: \d+\.\d\d% \(copy 1\)$/);
    await page.click('#mnist-heatmap g[data-copy="0"] rect');
    expect(await checked(page)).toBe(0);
    expect(query(page)).not.toContain('copy=');
    await page.focus('#mnist-heatmap g[data-copy="1"]');
    await page.keyboard.press('Enter');
    expect(await checked(page)).toBe(1);
    expect(query(page)).toContain('copy=1');

    // A second run with other settings is a new entry.
    await page.fill('#mnist-lr', '0.2');
    await page.click('#mnist-run');
    await waitForText(page, '#mnist-status', /^Finished: /, 240_000);
    expect(await rows(page)).toEqual(['0.2']);
    expect(await checked(page)).toBe(0);
    expect(query(page)).toContain('lr=0.2&');

    // Back: the first run's settings, its table and its selected copy; Forward: the second's.
    await page.goBack();
    await page.waitForFunction(() => (document.getElementById('mnist-lr') as HTMLInputElement).value === '0.05, 0.1');
    expect(await rows(page)).toEqual(['0.05', '0.1']);
    expect(await checked(page)).toBe(1);
    await page.goForward();
    await page.waitForFunction(() => (document.getElementById('mnist-lr') as HTMLInputElement).value === '0.2');
    expect(await rows(page)).toEqual(['0.2']);
    expect(await page.isVisible('#mnist')).toBe(true);
  }, 600_000);
});
