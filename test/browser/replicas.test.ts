/**
 * A replica view end to end in Chromium against the production build: the pConverged map drawn on its 0 … 1 scale,
 * the hover with the Wilson interval, the metric menu of the view's own metrics, and the URL round trip (a reload
 * keeps the replicas and the metric).
 */
import { describe, expect, it } from 'vitest';
import { MARGIN, plotPixels, servedApp, waitForText } from './harness';

const app = servedApp();

/** tanh units, 8 × 4 cells × 16 replicas × 1000 steps: lr 0.3 has not converged by the end, lr 3 always has. */
const spec = {
  preset: 'eva', activation: 'tanh', steps: 1000, threshold: 1e-4, init: { distribution: 'normal', scale: 1, seed: 7 }, replicas: { count: 16 },
  x: { param: 'lr', min: 0.3, max: 3, count: 8, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 1, count: 4, scale: 'log' },
};

describe('a replica view', () => {
  it('draws pConverged, reads out the counts with their interval, and keeps replicas and metric through the URL', async () => {
    const page = await app.open(`${app.url}?spec=${encodeURIComponent(JSON.stringify(spec))}`);
    await waitForText(page, '#progress-text', /^Done\./);
    expect(await page.locator('#metric').inputValue()).toBe('pConverged'); // a replica view opens on it
    expect(await page.locator('#metric option').allTextContents()).toEqual(expect.arrayContaining(['pConverged', 'replicasDiverged', 'finalLoss (replica 0)', 'class map (replica 0)']));
    expect(await page.locator('#progress-text').textContent()).toMatch(/16 replicas a cell \(common draws\): every replica converged in \d+ cells, none in \d+, some in \d+; mean pConverged [\d.]+%/);
    // viridis: p = 0 dark purple at the left (lr 0.3), p = 1 yellow further right.
    const [[r0, g0, b0], [r1, g1, b1]] = await plotPixels(page, [[0.03, 0.9], [0.97, 0.9]]);
    expect(b0).toBeGreaterThan(g0 + 40);
    expect(r0).toBeLessThan(100);
    expect(r1 + g1).toBeGreaterThan(400);
    expect(b1).toBeLessThan(100);
    const box = (await page.locator('[data-testid=heatmap]').boundingBox())!;
    await page.mouse.move(box.x + MARGIN.left + 0.97 * (box.width - MARGIN.left - MARGIN.right), box.y + MARGIN.top + 0.9 * (box.height - MARGIN.top - MARGIN.bottom));
    expect(await page.locator('[data-testid=hover]').textContent()).toMatch(/^lr = 3, initScale = 0\.1 → converged 16 of 16 = 100% \(95% CI 81–100%\); stalled 0, diverged 0$/);
    // The metric goes into the link (pConverged, the default, stays out); a reload shows the same view.
    await page.locator('#metric').selectOption('replicasStalled');
    expect(new URL(page.url()).searchParams.get('metric')).toBe('replicasStalled');
    await page.reload();
    await waitForText(page, '#progress-text', /^Done\./);
    expect(await page.locator('#metric').inputValue()).toBe('replicasStalled');
    expect(JSON.parse(new URL(page.url()).searchParams.get('spec')!).replicas).toEqual({ count: 16, draws: 'common', keep: 'summary' });
    expect(await page.locator('[data-path="replicas.count"]').inputValue()).toBe('16'); // the form shows what runs
    await page.close();
  });
});
