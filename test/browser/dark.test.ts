/**
 * Dark mode in Chromium (colorScheme 'dark'): every chart's text, HTML (titles, legends, placeholders) or drawn on a
 * canvas (tick labels, axis names, colour bars), stands out from the ground behind it by a WCAG contrast ratio of at
 * least 4.5 (the AA level for normal text). The charts were once drawn with the page's near-white text on their white ground.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, MARGIN, servePage, waitForText } from './harness';

let site: { url: string; stop: () => Promise<void> }, browser: Browser;
beforeAll(async () => { site = await servePage(); browser = await launch(); }, 180_000);
afterAll(async () => { await browser?.close(); await site?.stop(); });

/** WCAG 2 AA for normal text. */
const AA = 4.5;

async function openDark(address: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, colorScheme: 'dark' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('close', () => expect(errors, 'uncaught errors on the page').toEqual([]));
  await page.goto(address);
  return page;
}

/**
 * The contrast of each element matching `selector` (its text colour against the first background colour that is not
 * transparent, walking up from it), as `selector #i: ratio` strings for the failure message.
 */
function textContrasts(page: Page, selector: string): Promise<Array<{ what: string; ratio: number }>> {
  return page.evaluate((sel) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => [r, g, b].map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a: number[], b: number[]) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const ground = (el: Element | null): number[] => {
      for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length === 3 || c[3] > 0) return c.slice(0, 3); }
      return [255, 255, 255];
    };
    return Array.from(document.querySelectorAll(sel), (el, i) => ({ what: `${sel} #${i} "${el.textContent?.slice(0, 30)}"`, ratio: ratio(rgb(getComputedStyle(el).color), ground(el)) }));
  }, selector);
}

/**
 * The contrast of the ink in a region of a canvas (CSS pixels) against its ground: each pixel composited over the
 * background behind the canvas; the ground is the commonest colour, the ink the pixel farthest from it in contrast.
 */
async function canvasContrast(page: Page, selector: string, region: (w: number, h: number) => { x: number; y: number; w: number; h: number }): Promise<number> {
  const [cssW, cssH] = await page.$eval(selector, (c) => [c.clientWidth, c.clientHeight]);
  return page.evaluate(([sel, r]) => {
    const luminance = ([r, g, b]: number[]) => [r, g, b].map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a: number[], b: number[]) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const canvas = document.querySelector<HTMLCanvasElement>(sel)!;
    let behind = [255, 255, 255];
    for (let el: Element | null = canvas; el; el = el.parentElement) { const c = (getComputedStyle(el).backgroundColor.match(/[\d.]+/g) ?? []).map(Number); if (c.length === 3 || c[3] > 0) { behind = c.slice(0, 3); break; } }
    const dpr = canvas.width / canvas.clientWidth;
    const { data } = canvas.getContext('2d')!.getImageData(Math.round(r.x * dpr), Math.round(r.y * dpr), Math.round(r.w * dpr), Math.round(r.h * dpr));
    const counts = new Map<string, number>(), pixels: number[][] = [];
    for (let i = 0; i < data.length; i += 4) {
      const a = data[i + 3] / 255, px = [0, 1, 2].map((k) => Math.round(data[i + k] * a + behind[k] * (1 - a)));
      pixels.push(px);
      counts.set(px.join(), (counts.get(px.join()) ?? 0) + 1);
    }
    const ground = [...counts].sort((p, q) => q[1] - p[1])[0][0].split(',').map(Number);
    return Math.max(...pixels.map((px) => ratio(px, ground)));
  }, [selector, region(cssW, cssH)] as const);
}

/** A uPlot chart's y axis: its tick labels and name, left of the tick marks (uPlot draws them on its canvas). */
const yAxis = (_w: number, h: number) => ({ x: 0, y: 0, w: 40, h: h - 60 });

async function expectReadableChart(page: Page, chart: string, withTitle = true) {
  const texts = [...(withTitle ? await textContrasts(page, `${chart} .u-title`) : []), ...await textContrasts(page, `${chart} .u-legend th`)];
  if (withTitle) expect(texts.length, `${chart} has a title and legend`).toBeGreaterThan(1);
  for (const { what, ratio } of texts) expect(ratio, what).toBeGreaterThanOrEqual(AA);
  expect(await canvasContrast(page, `${chart} canvas`, yAxis), `${chart}'s y tick labels`).toBeGreaterThanOrEqual(AA);
}

describe('dark mode (Chromium, production build)', () => {
  it("shows the course view's E(k) curves and its map with readable text", async () => {
    const page = await openDark(site.url);
    await waitForText(page, '#course-summary', /converges fastest/);
    await expectReadableChart(page, '#course-chart');
    // The map's axes: tick labels left of the plot.
    expect(await canvasContrast(page, '#course-map', (_w, h) => ({ x: 0, y: 0, w: 40, h })), 'the course map axis').toBeGreaterThanOrEqual(AA);
    await page.close();
  });

  it("shows a sweep's axes and colour bar, the inspector's charts and the boundary fit with readable text", async () => {
    const spec = { steps: 200, x: { param: 'lr', min: 0.01, max: 100, count: 64, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 10, count: 64, scale: 'log' } };
    const page = await openDark(`${site.url}?spec=${encodeURIComponent(JSON.stringify(spec))}&arithmetic=float64`);
    await waitForText(page, '#progress-text', /^Done\./);
    const map = '[data-testid=heatmap]';
    expect(await canvasContrast(page, map, (_w, h) => ({ x: 0, y: 0, w: MARGIN.left - 2, h })), 'the y axis of the map').toBeGreaterThanOrEqual(AA);
    expect(await canvasContrast(page, map, (w, h) => ({ x: w - MARGIN.right + 40, y: 0, w: MARGIN.right - 40, h })), 'the colour bar labels').toBeGreaterThanOrEqual(AA);
    const box = (await page.locator(map).boundingBox())!;
    await page.mouse.click(box.x + MARGIN.left + 100, box.y + MARGIN.top + 100);
    await page.waitForSelector('#inspector-weights .uplot', { timeout: 60_000 });
    await expectReadableChart(page, '#inspector-loss');
    await expectReadableChart(page, '#inspector-weights');
    await page.waitForSelector('#boundary-chart .uplot', { timeout: 60_000 });
    expect(await canvasContrast(page, '#boundary-chart canvas', yAxis), "the boundary fit's y tick labels").toBeGreaterThanOrEqual(AA);
    // A view too small to measure has no fit, and no empty white box (a bright bar on the dark page) in its place.
    await page.goto(`${site.url}?spec=${encodeURIComponent(JSON.stringify({ ...spec, x: { ...spec.x, count: 32 }, y: { ...spec.y, count: 32 } }))}&arithmetic=float64`);
    await waitForText(page, '[data-testid=boundary-text]', /needs at least 64 cells a side/);
    expect(await page.isVisible('#boundary-chart')).toBe(false);
    await page.close();
  });

  it("shows the MNIST view's empty charts clear of the header, with readable placeholders", async () => {
    const page = await openDark(`${site.url}?tab=mnist`);
    await page.waitForSelector('#mnist-loss-chart .chart-placeholder');
    const gap = await page.evaluate(() => document.querySelector('#mnist-accuracy-chart')!.getBoundingClientRect().top - document.querySelector('header')!.getBoundingClientRect().bottom);
    expect(gap, 'room between the header and the chart boxes (they were flush)').toBeGreaterThanOrEqual(8);
    const texts = await textContrasts(page, '.mnist-charts .chart-placeholder');
    expect(texts).toHaveLength(2);
    for (const { what, ratio } of texts) expect(ratio, what).toBeGreaterThanOrEqual(AA);
    await page.close();
  });
});
