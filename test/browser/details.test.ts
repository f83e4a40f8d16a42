/**
 * The page's smaller details, in Chromium against the production build: the course view of each preset, the badge that
 * names the engine of the view on screen, the hover read-out across views, layouts that never scroll sideways, a bad
 * link's messages and its way to the first bad field, the form's selects, and the names of exported files.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE, servedApp, waitForText } from './harness';

const app = servedApp();
const link = (spec: object, extra = '') => `${app.url}?spec=${encodeURIComponent(JSON.stringify(spec))}${extra}`;
const waitForDone = (page: Page) => waitForText(page, '#progress-text', /^Done\./);
const small = { steps: 200, x: { param: 'lr', min: 0.01, max: 100, count: 48, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 10, count: 48, scale: 'log' } };
const HOVER_HINT = 'Hover a cell to read it; click to inspect it.';
/** Whether the page scrolls sideways: its scrolling width against the window's. */
const sideways = (page: Page) => page.evaluate(() => [document.scrollingElement!.scrollWidth, window.innerWidth]);

describe('the page’s details (Chromium, production build)', () => {
  it('course view of mazur: its own map, a summary true to its table, and its own full sweep', async () => {
    const page = await app.open(`${app.url}?preset=mazur`);
    // No rate reaches E < 1e-4 in 200 steps with targets 0.01 / 0.99 (the table reads "> 200" in every row).
    await waitForText(page, '#course-summary', /^None of the 6 rates reached E < 0\.0001 within 200 steps; η = 2 descends furthest: E\(200\) = 1\.4\d+e-3\./);
    expect(await page.locator('#course-table td', { hasText: /^> 200$/ }).count()).toBe(6);
    expect(await page.textContent('#course-map-caption')).toMatch(/^mazur: class of each cell after 300 steps/);
    expect(await page.textContent('#open-sweep')).toMatch(/^Open the full sweep of mazur/);
    await page.click('#open-sweep');
    await page.waitForURL(/spec=/);
    expect(JSON.parse(new URL(page.url()).searchParams.get('spec')!)).toMatchObject({ preset: 'mazur', biases: [0.35, 0.6] });
    await page.close();
  });

  it('a desktop view: the inspector fits its column, the read-out forgets a zoomed-away cell, results.json is named after the spec, and the badge follows Arithmetic', async () => {
    const page = await app.open(link(small, '&cell=1226'));
    await waitForDone(page);
    await waitForText(page, '#inspector-title', /^Cell 1226: /);
    await waitForText(page, '#inspector-table', /float64 replay/);
    const [scrollWidth, innerWidth] = await sideways(page);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);

    const [json] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-json]')]);
    expect(json.suggestedFilename()).toBe('lr-x-initScale-results.json'); // as the CSV: lr-x-initScale-results.csv

    // The keyboard cursor reads a cell out; a zoom (+) opens another view, where that cell is not: the hint returns.
    await page.focus('[data-testid=heatmap]');
    await page.keyboard.press('ArrowRight');
    await waitForText(page, '#hover', /^lr = [\d.]+, initScale = [\d.]+ → finalLoss/);
    const before = page.url();
    await page.keyboard.press('+');
    await page.waitForURL((u) => u.href !== before);
    await waitForText(page, '#hover', new RegExp(`^${HOVER_HINT}$`));

    // auto runs float64 on the CPU here (SwiftShader is a CPU emulation); float32 under Arithmetic runs WebGPU.
    await waitForText(page, '[data-testid=backend]', /^Device: float64 WebAssembly on \d+ threads?$/);
    await page.selectOption('[data-testid=arithmetic]', 'float32');
    await waitForText(page, '[data-testid=backend]', /^Device: WebGPU, google \/ swiftshader/);
    await waitForDone(page);
    expect(await page.textContent('#progress-text')).toMatch(/on WebGPU \(google \/ swiftshader/);
    await page.close();
  });

  it('a phone: the plot takes most of the width, and an inspected cell does not widen the page', async () => {
    const page = await app.open(link(small, '&cell=1226'), PHONE);
    await waitForDone(page);
    await waitForText(page, '#inspector-title', /^Cell 1226: /);
    const [scrollWidth, innerWidth] = await sideways(page);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    // The plot's width, read through the pointer: the CSS pixels along a row where hovering names a cell.
    await page.locator('[data-testid=heatmap]').scrollIntoViewIfNeeded(); // (the inspector scrolled itself into sight)
    const box = (await page.locator('[data-testid=heatmap]').boundingBox())!;
    const y = box.y + box.height * 0.4;
    let inPlot = 0;
    for (let x = 0; x < box.width; x += 2) {
      await page.mouse.move(box.x + x, y);
      if ((await page.textContent('#hover'))!.startsWith('lr = ')) inPlot += 2;
    }
    expect(inPlot).toBeGreaterThanOrEqual(0.55 * PHONE.width); // was 184 px of 390 (47%) with the desktop's margins
    await page.close();
  });

  it('a bad link on a phone: a button to the first bad field, no zoom without a map, selects wide enough for their options', async () => {
    const page = await app.open(`${app.url}?spec=${encodeURIComponent('{"steps":77,"x":{"param":"momentum","min":0,"max":3,"count":5,"scale":"log"}}')}`, PHONE);
    await waitForText(page, '#spec-errors', /cannot run here/);
    expect(await page.isDisabled('[data-testid=zoom-out]')).toBe(true);
    await page.click('[data-testid=spec-errors-goto]');
    // x.max is the field marked (momentum β must be < 1), far below on a phone: focused, and on screen.
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-path') === 'x.max');
    const field = (await page.locator('[data-path="x.max"]').boundingBox())!;
    expect(field.y).toBeGreaterThanOrEqual(0);
    expect(field.y + field.height).toBeLessThanOrEqual(PHONE.height);
    // Every select shown shows its longest option whole: its inner width holds the text and the arrow (about 20 px).
    const cut = await page.evaluate(() => {
      const ctx = document.createElement('canvas').getContext('2d')!;
      return [...document.querySelectorAll<HTMLSelectElement>('#spec-form select')].filter((s) => s.checkVisibility()).flatMap((s) => {
        ctx.font = getComputedStyle(s).font;
        const widest = Math.max(...[...s.options].map((o) => ctx.measureText(o.text).width));
        return s.clientWidth >= widest + 20 ? [] : [`${s.dataset.path}: ${s.clientWidth} px for ${widest.toFixed(0)} px of text`];
      });
    });
    expect(cut).toEqual([]);
    await page.close();
  });

  it('a link with an unknown axis parameter names it and the allowed ones, without an uncaught error', async () => {
    const page = await app.open(app.url), errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(link({ x: { param: 'banana', min: 1, max: 2, count: 4 } }));
    await waitForText(page, '#spec-errors', /x\.param: must be one of lr, lrHidden, lrOutput, momentum, initScale, .*seed; got "banana"/);
    expect(await page.inputValue('[data-path="x.param"]')).toBe('banana');
    expect(await page.getAttribute('[data-path="x.param"]', 'aria-invalid')).toBe('true');
    expect(errors).toEqual([]); // was: "Cannot read properties of undefined (reading 'sets')", from the form
    await page.close();
  });
});
