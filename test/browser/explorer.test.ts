/**
 * The explorer, end to end in Chromium against the production build: zoom by dragging, scrolling and panning, the
 * zoom trail in history and the URL, progressive refinement, the precision notice and the float64 engine, the
 * boundary's box-counting dimension, the A/B difference map and the zoom movie.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLASS_COLORS, NO_VALUE_COLOR } from '../../src/core/heatmap';
import { parseSpec, type SweepSpec } from '../../src/core/spec';
import { fractionOf, type RangeAxis } from '../../src/core/zoom';
import { grid, MARGIN, plotPixels, servedApp, waitForText } from './harness';

const app = servedApp();
const openPage = app.open;

const link = (spec: object, extra = '') => `${app.url}?spec=${encodeURIComponent(JSON.stringify(spec))}${extra}`;


const waitForDone = (page: Page) => waitForText(page, '#progress-text', /^Done\./);

/** The spec in the page's URL. */
function urlSpec(page: Page): SweepSpec {
  const r = parseSpec(JSON.parse(new URL(page.url()).searchParams.get('spec')!));
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.spec;
}

/** Screen position of plot fractions (fx from the left, fy from the bottom), and the plot's size in CSS pixels. */
async function plotGeometry(page: Page) {
  const box = (await page.locator('[data-testid=heatmap]').boundingBox())!;
  const w = box.width - MARGIN.left - MARGIN.right, h = box.height - MARGIN.top - MARGIN.bottom;
  return { w, h, at: (fx: number, fy: number) => [box.x + MARGIN.left + fx * w, box.y + MARGIN.top + (1 - fy) * h] as const };
}

async function drag(page: Page, from: readonly [number, number], to: readonly [number, number], shift = false): Promise<void> {
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.move(...from);
  await page.mouse.down();
  await page.mouse.move((from[0] + to[0]) / 2, (from[1] + to[1]) / 2, { steps: 4 });
  await page.mouse.move(...to, { steps: 4 });
  await page.mouse.up();
  if (shift) await page.keyboard.up('Shift');
}


const lrByScale = { steps: 200, x: { param: 'lr', min: 0.01, max: 100, count: 64, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 10, count: 64, scale: 'log' } };

describe('the explorer in Chromium (production build)', () => {
  it('zooms by dragging a rectangle; back, forward and a copied link restore each view', async () => {
    const page = await openPage(link(lrByScale));
    await waitForDone(page);
    const start = urlSpec(page), startUrl = page.url();
    const g = await plotGeometry(page);
    await drag(page, g.at(0.25, 0.75), g.at(0.75, 0.25));
    await page.waitForURL((u) => u.href !== startUrl);
    await waitForDone(page);
    const zoomed = urlSpec(page);
    // The new first and last cell centres sit half a new cell inside the dragged rectangle (to a pixel).
    const px = 1.5 / g.w;
    expect(Math.abs(fractionOf(start.x as RangeAxis, (zoomed.x as RangeAxis).min) - (0.25 + 0.25 / 64))).toBeLessThan(px);
    expect(Math.abs(fractionOf(start.x as RangeAxis, (zoomed.x as RangeAxis).max) - (0.75 - 0.25 / 64))).toBeLessThan(px);
    expect(Math.abs(fractionOf(start.y as RangeAxis, (zoomed.y as RangeAxis).min) - (0.25 + 0.25 / 64))).toBeLessThan(1.5 / g.h);
    expect((zoomed.x as RangeAxis).count).toBe(64);
    const zoomedUrl = page.url(), zoomedPixels = await plotPixels(page, grid(16));

    await page.click('[data-testid=view-back]');
    await page.waitForURL(startUrl);
    await waitForDone(page);
    expect(await page.inputValue('[data-path="x.min"]')).toBe('0.01');
    await page.click('[data-testid=view-forward]');
    await page.waitForURL(zoomedUrl);
    await waitForDone(page);
    expect(await plotPixels(page, grid(16))).toEqual(zoomedPixels); // from the view cache; the copied link below recomputes

    // The link alone reproduces the view, pixel for pixel.
    const copy = await openPage(zoomedUrl);
    await waitForDone(copy);
    expect(await plotPixels(copy, grid(16))).toEqual(zoomedPixels);
    await copy.close();

    // A plain wheel scrolls the page and says how to zoom; Ctrl + wheel zooms about the pointer: the value under it stays.
    const before = urlSpec(page);
    const under = (s: SweepSpec) => fractionOf(s.x as RangeAxis, (before.x as RangeAxis).min * ((before.x as RangeAxis).max / (before.x as RangeAxis).min) ** 0.3);
    const pointer = under(before);
    await page.mouse.move(...g.at(pointer, 0.5));
    await page.mouse.wheel(0, -300);
    await page.waitForFunction(() => /Hold Ctrl .* to zoom/.test(document.querySelector<HTMLElement>('[data-testid=heatmap]')!.dataset.hint ?? ''));
    await page.waitForTimeout(500);
    expect(page.url()).toBe(zoomedUrl);
    await page.mouse.move(...g.at(pointer, 0.5));
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await page.waitForURL((u) => u.href !== zoomedUrl);
    await waitForDone(page);
    const scrolled = urlSpec(page);
    expect(Math.log((scrolled.x as RangeAxis).max / (scrolled.x as RangeAxis).min)).toBeLessThan(Math.log((before.x as RangeAxis).max / (before.x as RangeAxis).min) / 2);
    expect(Math.abs(under(scrolled) - pointer)).toBeLessThan(0.02);

    // Shift-drag pans: dragging to the left moves the window to larger x.
    const scrolledUrl = page.url();
    await drag(page, g.at(0.6, 0.5), g.at(0.4, 0.5), true);
    await page.waitForURL((u) => u.href !== scrolledUrl);
    await waitForDone(page);
    const panned = urlSpec(page);
    expect(fractionOf(scrolled.x as RangeAxis, (panned.x as RangeAxis).min)).toBeCloseTo(0.2 + 0.5 / 64, 1);
    expect((panned.y as RangeAxis).min).toBeCloseTo((scrolled.y as RangeAxis).min, 6);
    await page.close();
  });

  it('refines progressively: a complete coarse picture first, then finer passes of new cells only', async () => {
    // 256 × 256 × 2,000 steps: a first pass of 32², then the cells new at strides 4, 2 and 1, in tiles of 1,024 doubling to 4,096.
    // On the GPU (SwiftShader is slow enough to watch the passes; the CPU engine refines in the same order).
    const page = await openPage(link({ steps: 2000, x: { param: 'lr', min: 0.01, max: 100, count: 256, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 10, count: 256, scale: 'log' } }, '&arithmetic=float32'));
    await page.selectOption('#metric', 'class');
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid=heatmap]')!.dataset.stride) > 1, null, { timeout: 60_000 });
    const progress = await page.textContent('#progress-text');
    expect(progress).toMatch(/^pass [1-3] of 4 · /);
    // Mid-run, every pixel already shows a computed value (a coarse block), none "not run".
    const pixels = await plotPixels(page, grid(24));
    expect(pixels.filter((p) => String(p) === String(NO_VALUE_COLOR))).toHaveLength(0);
    expect(pixels.filter((p) => String(p) === String(CLASS_COLORS.converged)).length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (document.querySelector('#progress') as HTMLProgressElement).value)).toBeLessThan(0.75);
    await waitForDone(page);
    expect(await page.getAttribute('[data-testid=heatmap]', 'data-stride')).toBe('1');
    await page.close();
  });

  it('measures the boundary: dimension 1 for a straight edge, more for the fractal one', async () => {
    // i2 barely changes along y, so the boundary between lr that converge in 300 steps and lr that do not is a vertical line.
    const straight = await openPage(link({ steps: 300, x: { param: 'lr', min: 0.01, max: 100, count: 128, scale: 'log' }, y: { param: 'i2', min: 0.1, max: 0.1000001, count: 128, scale: 'linear' } }));
    await waitForDone(straight);
    const text = (await straight.textContent('[data-testid=boundary-text]'))!;
    const [, d, r2] = text.match(/D = ([\d.]+) .*R² = ([\d.]+)/)!;
    expect(Number(d)).toBeCloseTo(1, 2);
    expect(Number(r2)).toBeGreaterThan(0.99);
    expect(await straight.locator('#boundary-chart canvas').count()).toBeGreaterThan(0);
    await straight.close();
    const fractal = await openPage(link({ preset: 'eva', activation: 'tanh', steps: 1000, x: { param: 'lrHidden', min: 20, max: 32, count: 128, scale: 'log' }, y: { param: 'lrOutput', min: 20, max: 32, count: 128, scale: 'log' } }));
    await waitForDone(fractal);
    const fd = Number((await fractal.textContent('[data-testid=boundary-text]'))!.match(/D = ([\d.]+)/)![1]);
    expect(fd).toBeGreaterThan(1.3);
    expect(fd).toBeLessThan(2);
    await fractal.close();
  });

  it('warns before float32 turns a narrow window into stripes, and float64 keeps it correct', async () => {
    // 64 cells of lr, 4 float32 steps apart: two 2× zooms from stripes.
    const narrow = { steps: 100, x: { param: 'lr', min: 1, max: 1 + 63 * 4 * 2 ** -23, count: 64, scale: 'linear' }, y: { param: 'initScale', min: 0.5, max: 2, count: 8, scale: 'log' } };
    const page = await openPage(link(narrow, '&arithmetic=float32'));
    await waitForDone(page);
    expect(await page.isVisible('[data-testid=precision]')).toBe(true);
    expect(await page.textContent('[data-testid=precision]')).toMatch(/along x \(lr\) are only 4\.0 float32 steps apart.*Switch to float64/);
    await page.click('[data-testid=use-float64]');
    await page.waitForURL(/arithmetic=float64/);
    await waitForText(page, '#progress-text', /^Done\..* on float64 WebAssembly on \d+ threads?\./);
    expect(await page.inputValue('[data-testid=arithmetic]')).toBe('float64');
    expect(await page.isVisible('[data-testid=precision]')).toBe(false);
    // Every finished float32 view is also spot-checked against float64 cell by cell: here they agree.
    await page.selectOption('[data-testid=arithmetic]', 'float32');
    await waitForText(page, '[data-testid=spot-check]', /^Spot check: float32 and float64 agree on the class of 100\.0% of 512 cells/);
    // Past the limit: stripes, said plainly.
    const past = await openPage(link({ ...narrow, x: { ...narrow.x, max: 1 + 31 * 2 ** -23 } }, '&arithmetic=float32'));
    await waitForDone(past);
    expect(await past.textContent('[data-testid=precision]')).toMatch(/stripes\) are an artefact of float32/);
    await Promise.all([page.close(), past.close()]);
  });

  it('spot-checks each float32 view against float64 and says when training is chaotic there', async () => {
    // Deep in the tanh fractal (five 4× zooms from the ready-made view), single cells depend on rounding.
    const page = await openPage(link({ preset: 'eva', activation: 'tanh', steps: 1000, x: { param: 'lrHidden', min: 25.51378451718168, max: 25.689329733446083, count: 64, scale: 'log' }, y: { param: 'lrOutput', min: 25.143918043434695, max: 25.3144595435024, count: 64, scale: 'log' } }, '&arithmetic=float32'));
    await waitForText(page, '[data-testid=spot-check]', /^Spot check: /);
    expect(await page.textContent('[data-testid=spot-check]')).toMatch(/agree on the class of only \d+\.\d% .*Training is chaotic here/);
    expect(Number(await page.getAttribute('[data-testid=spot-check]', 'data-agreement'))).toBeLessThan(0.99);
    await page.close();
  });

  it('compares A with a B that differs in one setting, side by side and as a difference map', async () => {
    const page = await openPage(link(lrByScale));
    await waitForDone(page);
    const converged = Number((await page.textContent('#progress-text'))!.match(/Converged ([\d,]+)/)![1].replace(/,/g, ''));
    await page.click('#ab-panel summary');
    await page.selectOption('[data-testid=ab-setting]', 'activation');
    await page.selectOption('[data-testid=ab-choice]', 'tanh');
    await page.click('[data-testid=ab-run]');
    await waitForText(page, '[data-testid=ab-text]', /^A \(activation = sigmoid\)/);
    const t = (await page.textContent('[data-testid=ab-text]'))!;
    const n = (label: string) => Number(t.match(new RegExp(`${label} ([\\d,]+)`))![1].replace(/,/g, ''));
    expect(n('Both') + n('only A') + n('only B') + n('neither')).toBe(64 * 64);
    expect(n('Both') + n('only A')).toBe(converged);
    expect(await page.isVisible('[data-testid=ab-diff]')).toBe(true);
    await page.close();
  });

  it('exports a zoom movie toward a clicked cell as an animated GIF', async () => {
    const page = await openPage(link(lrByScale));
    await waitForDone(page);
    const g = await plotGeometry(page);
    await page.mouse.click(...g.at(0.7, 0.6));
    await waitForText(page, '[data-testid=movie-target]', /^cell \d+ \(lr = /);
    await page.click('#movie-panel summary');
    await page.fill('#movie-frames', '3');
    await page.fill('#movie-size', '16');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=movie-make]')]);
    const gif = readFileSync((await download.path())!);
    expect(gif.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect(gif.readUInt16LE(6)).toBe(16 * 24); // 16 cells a side, each 24 pixels
    // One graphic control extension (0x21 0xF9 0x04) per frame.
    let frames = 0;
    for (let i = 0; i + 2 < gif.length; i++) if (gif[i] === 0x21 && gif[i + 1] === 0xf9 && gif[i + 2] === 0x04) frames++;
    expect(frames).toBe(3);
    await waitForText(page, '[data-testid=movie-text]', /^zoom-movie\.gif: 3 frames of 16 × 16 cells/);
    await page.close();
  });

  it('keeps its window listeners bounded over many views (charts destroyed, not just replaced)', async () => {
    const page = await app.open('about:blank');
    await page.addInitScript(`{
      const live = (window.__listeners = { count: 0 });
      const add = window.addEventListener, remove = window.removeEventListener;
      window.addEventListener = function (...a) { live.count++; return add.apply(this, a); };
      window.removeEventListener = function (...a) { live.count--; return remove.apply(this, a); };
    }`);
    await page.goto(link({ ...lrByScale, steps: 50 }));
    await waitForDone(page);
    const after = async () => page.evaluate('window.__listeners.count') as Promise<number>;
    const first = await after();
    for (let i = 0; i < 6; i++) {
      const before = page.url();
      await page.click('[data-testid=zoom-out]');
      await page.waitForURL((u) => u.href !== before);
      await waitForDone(page);
    }
    expect(await after()).toBeLessThanOrEqual(first + 2);
    await page.close();
  });

  it('opens a link too long for a server from its fragment (#spec=…), and a seed count past the limit with its message', async () => {
    const values = Array.from({ length: 1000 }, (_, i) => 0.01 * (i + 1));
    const spec = { steps: 20, x: { param: 'lr', values } };
    const page = await app.open(`${app.url}?#spec=${encodeURIComponent(JSON.stringify(spec))}`);
    await waitForDone(page);
    expect(await page.textContent('#progress-text')).toMatch(/Converged|stalled/);
    const seed = await app.open(link({ x: { param: 'seed', count: 4294967296 } }));
    await waitForText(seed, '#spec-errors', /4,294,967,296 cells; at most 16,777,216/);
    await Promise.all([page.close(), seed.close()]);
  });

  it('refuses a #spec= link nested 200,000 levels deep with its message, and no error on the page', async () => {
    // The form once turned the nested list into text, recursing 200,000 deep: "Maximum call stack size exceeded".
    const deep = `{"x":{"param":"lr","values":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`;
    const page = await app.open(app.url), errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message)); // before the link loads
    await page.goto(`${app.url}?#spec=${encodeURIComponent(deep)}`);
    await waitForText(page, '#spec-errors', /spec: nested more than 8 levels deep/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
