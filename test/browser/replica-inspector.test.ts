/**
 * A 1-D replica sweep in Chromium against the production build, opened by link: P(converged) drawn with its Wilson
 * band, and a clicked cell's inspector replaying its R replicas in float64 (thin lines, the median, the summary table
 * agreeing with the view).
 */
import { describe, expect, it } from 'vitest';
import { MARGIN, servedApp, waitForText } from './harness';

const app = servedApp();

/** The course network on 12 learning rates, 16 random normal draws a cell: converging more or less often, then never. */
const spec = {
  preset: 'era-v1', activation: 'tanh', steps: 200, init: { distribution: 'normal', scale: 3, seed: 5 }, replicas: { count: 16 },
  x: { param: 'lr', min: 0.3, max: 60, count: 12, scale: 'log' },
};
const link = () => `${app.url}?spec=${encodeURIComponent(JSON.stringify(spec))}&metric=pConverged`;

describe('a 1-D replica sweep', () => {
  it('draws P(converged) with its band, and a clicked cell shows its replicas replayed', async () => {
    const page = await app.open(link());
    await waitForText(page, '#progress-text', /^Done\./);
    // Down the middle of cell 0's column: band pixels (the fill over white: light blue) between its bounds.
    const band = await page.evaluate((m) => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid=heatmap]')!, dpr = c.width / c.clientWidth;
      const w = c.clientWidth - m.left - m.right, h = c.clientHeight - m.top - m.bottom;
      const x = Math.floor((m.left + w / 12 / 2 + 3) * dpr); // beside the point, clear of the line's slope
      const data = c.getContext('2d')!.getImageData(x, Math.floor(m.top * dpr), 1, Math.floor(h * dpr)).data;
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 2] > data[i] + 20 && data[i] > 170) count++;
      return count / dpr;
    }, MARGIN);
    expect(band).toBeGreaterThan(20); // CSS pixels of band in that column

    const box = (await page.locator('[data-testid=heatmap]').boundingBox())!;
    const w = box.width - MARGIN.left - MARGIN.right, h = box.height - MARGIN.top - MARGIN.bottom;
    await page.mouse.click(box.x + MARGIN.left + (2.5 / 12) * w, box.y + MARGIN.top + h / 2); // cell 2
    await waitForText(page, '#inspector-title', /^Cell 2: lr = [\d.]+ \(16 replicas\)/);
    await page.waitForFunction(() => document.querySelector('#inspector-loss')?.getAttribute('data-curves'));
    expect(await page.locator('#inspector-loss').getAttribute('data-curves')).toBe('17'); // 16 thin lines and the median
    expect(await page.locator('#inspector-loss').getAttribute('data-series')).toMatch(/cell 2 \(inspected\), median of 16 replicas=/);
    const rows = await page.locator('#inspector-table tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (td) => td.textContent)));
    const summary = rows.find((r) => r[0] === 'replicas')!;
    expect(summary[1]).toMatch(/^converged \d+ of 16 = \d+% \(95% CI \d+–\d+%\)$/);
    expect(summary[2]).toBe(summary[1]); // the float64 replay folds to the view's summary
    expect(rows.find((r) => r[0] === 'pConverged')![2]).toBe(rows.find((r) => r[0] === 'pConverged')![1]);
    expect(rows.find((r) => r[0] === 'finalLoss')![2]).toBe(rows.find((r) => r[0] === 'finalLoss')![1]); // replica 0
    expect(await page.locator('#inspector-weights').getAttribute('data-series')).toBe('w1;w2;w3;w4;w5;w6;w7;w8');
    await page.close();
  });
});
