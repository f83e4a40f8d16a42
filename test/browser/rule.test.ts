/**
 * The convergence rule in the page: the form's "converged when" reclassifies a finished view without computing it
 * again, the counts, the class map's legend and the link follow the rule, and a link without the rule means
 * ends-below.
 */
import { describe, expect, it } from 'vitest';
import { servedApp, waitForText } from './harness';

const app = servedApp();
// Around the fractal view's cell of issue 18 (lrHidden 7.42 × lrOutput 85): cells that touched the threshold and left.
const boundary = { preset: 'eva', activation: 'tanh', steps: 1000, threshold: 1e-4, x: { param: 'lrHidden', min: 7, max: 8, count: 16, scale: 'log' }, y: { param: 'lrOutput', min: 80, max: 90, count: 16, scale: 'log' } };
const count = (text: string, name: string) => Number(new RegExp(`${name} ([\\d,]+)`, 'i').exec(text)![1].replace(/,/g, ''));

describe('the convergence rule on the page (Chromium, production build)', () => {
  it('reclassifies a finished view under another rule at once, without computing it again', async () => {
    const page = await app.open(`${app.url}?spec=${encodeURIComponent(JSON.stringify(boundary))}&metric=class`);
    await waitForText(page, '#progress-text', /^Done\..*\(converged: ends below the threshold\)\.$/);
    const before = (await page.textContent('#progress-text'))!;
    expect(count(before, 'left')).toBeGreaterThan(0);
    const runs = () => page.evaluate(() => performance.getEntriesByName('sweep-start').length);
    const started = await runs();
    await page.selectOption('[data-path="convergence"]', 'reached');
    await page.click('#run');
    await waitForText(page, '#progress-text', /^Done\..*\(converged: reached the threshold once\)\.$/);
    const after = (await page.textContent('#progress-text'))!;
    expect(await runs()).toBe(started); // nothing computed again
    expect(after).not.toMatch(/left \d/);
    expect(count(after, 'converged')).toBe(count(before, 'converged') + count(before, 'left'));
    expect(JSON.parse(new URL(page.url()).searchParams.get('spec')!).convergence).toBe('reached');
    // Back: the default rule's view again, its counts as they were.
    await page.goBack();
    await waitForText(page, '#progress-text', /\(converged: ends below the threshold\)\.$/);
    expect(await page.textContent('#progress-text')).toBe(before);
    await page.close();
  });
});
