/**
 * Pinned cells, end to end in Chromium against the production build: pin one cell with the inspector's button and
 * another with P on the map's keyboard cursor; the inspector's E(k) chart holds both curves in their colours, the map
 * rings both in them, and a reload of the link finds the pins again.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pinRadius } from '../../src/ui/heatmap/draw';
import { MARGIN, servedApp, waitForText } from './harness';

const app = servedApp();

/** 16 × 16 cells of the course network (tanh, 300 steps): a second or two on the CPU engine. */
const spec = { preset: 'eva', activation: 'tanh', steps: 300, x: { param: 'lrHidden', min: 1, max: 100, count: 16, scale: 'log' }, y: { param: 'lrOutput', min: 1, max: 100, count: 16, scale: 'log' } };
const N = 16;
/** The first two pin colours: SERIES_COLORS (d3's schemeTableau10) after the inspected cell's blue #4e79a7. */
const ORANGE = [0xf2, 0x8e, 0x2c], RED = [0xe1, 0x57, 0x59];

const waitForDone = (page: Page) => waitForText(page, '#progress-text', /^Done\./);
const near = (a: number[], b: number[], tolerance = 40) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) <= tolerance;

/** The map's colour at the top of cell `cell`'s pin ring (where drawPin strokes it: pinRadius from its centre). */
async function ringPixel(page: Page, cell: number): Promise<number[]> {
  const plot = await page.evaluate((m) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=heatmap]')!;
    return { w: canvas.clientWidth - m.left - m.right, h: canvas.clientHeight - m.top - m.bottom };
  }, MARGIN);
  const cw = plot.w / N, ch = plot.h / N, r = pinRadius(cw, ch);
  const x = MARGIN.left + ((cell % N) + 0.5) * cw, y = MARGIN.top + (N - 0.5 - Math.floor(cell / N)) * ch - r;
  return page.evaluate(([px, py]) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=heatmap]')!, dpr = canvas.width / canvas.clientWidth;
    return Array.from(canvas.getContext('2d')!.getImageData(Math.floor(px * dpr), Math.floor(py * dpr), 1, 1).data.slice(0, 3));
  }, [x, y] as const);
}

/** How many pixels of the inspector's E(k) chart lie within 40 of each colour. */
function chartPixels(page: Page, colors: number[][]): Promise<number[]> {
  return page.evaluate((cs) => {
    const canvas = document.querySelector<HTMLCanvasElement>('#inspector-loss canvas')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    return cs.map((c) => {
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.hypot(data[i] - c[0], data[i + 1] - c[1], data[i + 2] - c[2]) <= 40) count++;
      return count;
    });
  }, colors);
}

/** The E(k) chart's legend, and what the pin chips say. */
const legend = (page: Page) => page.locator('#inspector-loss .u-legend .u-series').allTextContents();

describe('pinned cells in Chromium (production build)', () => {
  it('overlays two pinned cells on E(k) in their colours, rings them on the map, and a reload keeps them', async () => {
    const page = await app.open(`${app.url}?spec=${encodeURIComponent(JSON.stringify(spec))}`);
    await waitForDone(page);
    // Click cell (3, 12), pin it with the button.
    const a = 12 * N + 3, b = 8 * N + 9; // b: the keyboard cursor's start (the centre, 8 · 16 + 8) and one step right
    const box = (await page.locator('[data-testid=heatmap]').boundingBox())!;
    const w = box.width - MARGIN.left - MARGIN.right, h = box.height - MARGIN.top - MARGIN.bottom;
    const before = [await ringPixel(page, a), await ringPixel(page, b)];
    await page.mouse.click(box.x + MARGIN.left + ((a % N) + 0.5) * w / N, box.y + MARGIN.top + (N - 0.5 - Math.floor(a / N)) * h / N);
    await waitForText(page, '#inspector-title', new RegExp(`^Cell ${a}:`));
    await page.click('[data-testid=pin-cell]');
    // The keyboard: focus the map, one step right from the centre, P.
    await page.focus('[data-testid=heatmap]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('p');
    await page.waitForURL((u) => u.searchParams.get('pins') === `${a},${b}`);

    const check = async (p: Page) => {
      await p.waitForFunction(() => (document.querySelector('#inspector-loss')?.getAttribute('data-series') ?? '').includes('pin 2'), undefined, { timeout: 60_000 });
      expect((await legend(p)).filter((t) => t.includes('pin'))).toEqual([expect.stringMatching(new RegExp(`^pin 1: cell ${a} \\(inspected\\), \\w+`)), expect.stringMatching(new RegExp(`^pin 2: cell ${b}, \\w+`))]);
      const [orange, red] = await chartPixels(p, [ORANGE, RED]);
      expect(orange).toBeGreaterThan(50); // a curve across the plot
      expect(red).toBeGreaterThan(50);
      await p.waitForTimeout(200); // the map's next frame
      expect(near(await ringPixel(p, a), ORANGE)).toBe(true);
      expect(near(await ringPixel(p, b), RED)).toBe(true);
      expect(await p.locator('#pin-list li').allTextContents()).toEqual([expect.stringMatching(new RegExp(`^1 cell ${a}: lrHidden = .*, lrOutput = .* · (converged|left|stalled|diverged)×$`)), expect.stringMatching(new RegExp(`^2 cell ${b}: `))]);
    };
    await check(page);
    // Without the pins the map there is the cell's own colour, not the pin's.
    expect(near(before[0], ORANGE) || near(before[1], RED)).toBe(false);

    await page.reload();
    await waitForDone(page);
    await check(page);

    // Unpinning the first keeps the second in its colour (slot 2): the link says so with an empty first entry.
    await page.click(`[aria-label="Unpin cell ${a}"]`);
    await page.waitForURL((u) => u.searchParams.get('pins') === `,${b}`);
    await page.waitForTimeout(200);
    expect(near(await ringPixel(page, b), RED)).toBe(true);
    expect(near(await ringPixel(page, a), ORANGE)).toBe(false);
    await page.close();
  }, 240_000);

  it('a ninth pin says the limit and how to free a slot, in the inspector and over the map', async () => {
    const page = await app.open(`${app.url}?spec=${encodeURIComponent(JSON.stringify(spec))}&pins=0,1,2,3,4,5,6,7&cell=100`);
    await waitForDone(page);
    await waitForText(page, '#inspector-title', /^Cell 100:/);
    await page.click('[data-testid=pin-cell]');
    expect(await page.textContent('[data-testid=pin-note]')).toBe('8 cells are pinned, the most at once: remove one (× on its chip) or Clear pins to pin cell 100.');
    expect(await page.getAttribute('[data-testid=heatmap]', 'data-hint')).toMatch(/^8 cells are pinned/);
    expect(new URL(page.url()).searchParams.get('pins')).toBe('0,1,2,3,4,5,6,7');
    await page.click('[data-testid=clear-pins]');
    await page.waitForURL((u) => !u.searchParams.has('pins'));
    expect(await page.locator('#pin-list li').count()).toBe(0);
    expect(await page.textContent('[data-testid=pin-note]')).toBe('');
    await page.close();
  }, 120_000);
});
