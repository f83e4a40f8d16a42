/**
 * The page for people, in Chromium: the phone layout, the guard that keeps float32 artefacts from being shown as
 * findings, the keyboard flow with an accessibility snapshot, a bad link's visible message, and the exported figure.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { launch, servedApp, waitForText } from './harness';

const app = servedApp();
const link = (spec: object, extra = '') => `${app.url}?spec=${encodeURIComponent(JSON.stringify(spec))}${extra}`;
const waitForDone = (page: Page) => waitForText(page, '#progress-text', /^Done\./);
const small = { steps: 200, x: { param: 'lr', min: 0.01, max: 100, count: 48, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 10, count: 48, scale: 'log' } };
/** Deep in the tanh fractal (five 4× zooms from the ready-made view): float32 and float64 disagree on single cells. */
const deep = { preset: 'eva', activation: 'tanh', steps: 1000, x: { param: 'lrHidden', min: 25.51378451718168, max: 25.689329733446083, count: 64, scale: 'log' }, y: { param: 'lrOutput', min: 25.143918043434695, max: 25.3144595435024, count: 64, scale: 'log' } };

describe('the page for people (Chromium, production build)', () => {
  it('fits a phone: one column, no sideways scrolling, the map at least 90% of the width', async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(app.url);
      await waitForText(page, '#course-summary', /converges fastest/);
      const boxes = await page.evaluate(() => ['#course-chart', '#course-summary', '#course-table', '#open-sweep', '#course-map'].map((s) => {
        const r = document.querySelector(s)!.getBoundingClientRect();
        return { s, top: r.top, bottom: r.bottom, left: r.left, right: r.right };
      }));
      // Nothing on the course page overlaps anything else, and nothing sticks out sideways.
      for (const a of boxes) for (const b of boxes) if (a !== b) expect(a.bottom <= b.top || b.bottom <= a.top || a.right <= b.left || b.right <= a.left, `${a.s} overlaps ${b.s}`).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.click('#open-sweep');
      await waitForDone(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      const map = (await page.locator('[data-testid=heatmap]').boundingBox())!;
      expect(map.width).toBeGreaterThanOrEqual(0.9 * 390);
      // The run controls and the map come before the form.
      const formTop = (await page.locator('#spec-form').boundingBox())!.y;
      expect(map.y).toBeLessThan(formTop);
      await page.close();
    } finally {
      await browser.close();
    }
  });

  it('withholds float32 statistics where float64 disagrees, and shows them in float64', async () => {
    const page = await app.open(link(deep, '&arithmetic=float32'));
    await waitForText(page, '[data-testid=spot-check]', /^Spot check: .*only \d+\.\d%/);
    await waitForText(page, '#progress-text', /^Done\..*Class counts withheld: float32 and float64 disagree on the class of \d+\.\d% of 512 spot-checked cells/);
    expect(await page.textContent('#progress-text')).not.toMatch(/Converged \d/);
    await waitForText(page, '[data-testid=boundary-text]', /^The dimension is withheld: float32 and float64 disagree/);
    // One click to the float64 view: counts and dimension, as results.
    await page.click('[data-testid=spot-float64]');
    await page.waitForURL(/arithmetic=float64/);
    await waitForText(page, '#progress-text', /^Done\..*Converged [\d,]+, left [\d,]+, stalled [\d,]+, diverged [\d,]+ \(converged: ends below the threshold\)\./);
    await waitForText(page, '[data-testid=boundary-text]', /^Box-counting dimension of the converged \/ not-converged boundary: D = \d\.\d{3}/);
    await page.close();

    // No dimension along a seed axis (rows are independent draws); zooming out stops at float32's range.
    const seeds = await app.open(link({ steps: 100, init: { distribution: 'normal', scale: 1, seed: 7 }, x: { param: 'lr', min: 0.1, max: 10, count: 64, scale: 'log' }, y: { param: 'seed', count: 64 } }));
    await waitForDone(seeds);
    await waitForText(seeds, '[data-testid=boundary-text]', /^No dimension here: the rows of a seed axis are independent random draws/);
    await seeds.close();
    const wide = await app.open(link({ steps: 50, x: { param: 'lr', min: 1e-30, max: 1e30, count: 32, scale: 'log' }, y: { param: 'initScale', min: 0.5, max: 2, count: 32, scale: 'log' } }, '&arithmetic=float32'));
    await waitForDone(wide);
    const before = wide.url();
    await wide.click('[data-testid=zoom-out]');
    await waitForText(wide, '[data-testid=explore-error]', /x: this zoom takes lr to .* beyond float32's range .* Use float64 to go further/);
    expect(wide.url()).toBe(before);
    await wide.close();
  });

  it('works by keyboard: Enter runs, Escape cancels, arrow keys read cells out, Enter inspects; an accessibility snapshot names it all', async () => {
    const page = await app.open(link(small));
    await waitForDone(page);
    // The map: focusable, labelled; arrows move a cursor from the centre (24, 24) and read the cell out.
    await page.focus('[data-testid=heatmap]');
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowUp']) await page.keyboard.press(key);
    await waitForText(page, '#hover', /^lr = [\d.]+, initScale = [\d.]+ → finalLoss/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/cell=1226\b/); // (26, 25): 25 · 48 + 26
    await waitForText(page, '#inspector-title', /^Cell 1226: /);
    const snapshot = await page.locator('body').ariaSnapshot();
    expect(snapshot).toMatch(/img "Heatmap of finalLoss over lr × initScale\. Arrow keys move a cell cursor/);
    expect(snapshot).toMatch(/button "Run"/);
    expect(snapshot).toMatch(/link "Skip to the results"/);
    expect(snapshot).toMatch(/heading "Cell 1226: lr = /);
    expect(await page.getAttribute('#progress-text', 'aria-live')).toBe('polite');
    expect(await page.getAttribute('#hover', 'aria-live')).toBe('polite');
    // Enter in a field runs the form; Escape stops the run.
    await page.fill('[data-path="steps"]', '20000');
    await page.press('[data-path="steps"]', 'Enter');
    await waitForText(page, '#progress-text', /cells done/);
    await page.keyboard.press('Escape');
    await waitForText(page, '#progress-text', /^Cancelled: /);
    await page.close();
  });

  it('shows a bad link’s message where it is seen, with the link’s values in the form', async () => {
    const page = await app.open(`${app.url}?spec=${encodeURIComponent('{"steps":77,"x":{"param":"lr","min":0,"max":3,"count":5,"scale":"log"}}')}`);
    await waitForText(page, '#spec-errors', /cannot run here.*\n• x\.min: a log axis needs min > 0/s);
    const box = (await page.locator('#spec-errors').boundingBox())!;
    expect(box.y + box.height).toBeLessThan(1000); // within the first screen (1400 × 1000)
    expect(await page.inputValue('[data-path="steps"]')).toBe('77');
    expect(await page.inputValue('[data-path="x.max"]')).toBe('3');
    expect(await page.inputValue('[data-path="x.count"]')).toBe('5');
    expect(await page.getAttribute('[data-path="x.min"]', 'aria-invalid')).toBe('true');
    await page.close();
  });

  it('exports the map as a figure: title, spec line, axes and colour bar, in SVG and as a 2× PNG', async () => {
    const page = await app.open(link(small));
    await waitForDone(page);
    const [svgFile] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-svg]')]);
    expect(svgFile.suggestedFilename()).toBe('lr-x-initScale-finalLoss.svg');
    const svg = readFileSync((await svgFile.path())!, 'utf8');
    for (const text of ['>finalLoss over lr × initScale<', '>era-v1, sigmoid, 200 steps, threshold 0.0001; converged: ends below the threshold; float64 WebAssembly on', '>0.01<', '>100<', '>lr (log)<', '>initScale (log)<', '>finalLoss (log10)<', '>diverged<', '>not run<']) {
      expect(svg, text).toContain(text);
    }
    const [pngFile] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-png]')]);
    expect(pngFile.suggestedFilename()).toBe('lr-x-initScale-finalLoss.png');
    const png = PNG.sync.read(readFileSync((await pngFile.path())!));
    expect([png.width, png.height]).toEqual([1640, 1320]);
    // The title is drawn: dark pixels in its band (y 40 … 70 at 2×), right of the left margin.
    let dark = 0;
    for (let y = 40; y < 70; y++) for (let x = 184; x < 900; x++) if (png.data[(y * png.width + x) * 4] < 100) dark++;
    expect(dark).toBeGreaterThan(500);
    // The cells are drawn in the plot (the PNG is the SVG rasterized: its embedded image must survive): no white there.
    const at = (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3));
    for (const [x, y] of [[300, 300], [700, 600], [1200, 1100]]) expect(at(x, y), `${x}, ${y}`).not.toEqual([255, 255, 255]);
    await page.close();
  });
});
