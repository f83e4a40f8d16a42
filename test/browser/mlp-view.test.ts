/**
 * An MLP view end to end in Chromium against the production build, opened by link (the page's form has no network
 * menu yet): the score in the paper's colouring (converged blue, diverged red) with a hover that gives the raw score,
 * "lock colours" and Compare off with their reasons, and the inspector's MLP replay (loss, ‖W0‖, ‖W1‖).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MARGIN, plotPixels, servedApp, waitForText } from './harness';

const app = servedApp();

/** The paper's tanh network on 12 × 12 learning-rate pairs (both axes 1e-3 … 1e6, as examples/paper-tanh.json): ~2 s. */
const spec = {
  network: { kind: 'mlp', inputs: 16, width: 16, outputs: 1, activation: 'tanh', scaling: 'mean-field' }, data: { points: 272, seed: 1 },
  init: { distribution: 'normal', scale: 1, seed: 2 }, steps: 100,
  x: { param: 'lrHidden', min: 1e-3, max: 1e6, count: 12, scale: 'log' }, y: { param: 'lrOutput', min: 1e-3, max: 1e6, count: 12, scale: 'log' },
};
const link = (extra: string) => `${app.url}?spec=${encodeURIComponent(JSON.stringify(spec))}&metric=score${extra}`;

/** Hovers the plot at fractions (fx, fy) from its top left. */
async function hover(page: Page, fx: number, fy: number): Promise<string> {
  const box = (await page.locator('[data-testid=heatmap]').boundingBox())!;
  await page.mouse.move(box.x + MARGIN.left + fx * (box.width - MARGIN.left - MARGIN.right), box.y + MARGIN.top + fy * (box.height - MARGIN.top - MARGIN.bottom));
  return (await page.locator('[data-testid=hover]').textContent())!;
}

describe('an MLP view', () => {
  it("draws the score in the paper's colouring, reads out the raw score, and turns off what does not apply", async () => {
    const page = await app.open(link(''));
    await waitForText(page, '#progress-text', /^Done\./);
    expect(await page.locator('#arithmetic').inputValue()).toBe('auto');
    expect(await page.locator('#progress-text').textContent()).toMatch(/float64/); // auto: SwiftShader is slower than the CPU engine
    // Small learning rates (bottom left) converge: blue; a huge output rate (top left) diverges: red.
    const [[r0, , b0], [r1, , b1]] = await plotPixels(page, [[0.02, 0.98], [0.02, 0.02]]);
    expect(b0).toBeGreaterThan(r0 + 40);
    expect(r1).toBeGreaterThan(b1 + 40);
    expect(await hover(page, 0.02, 0.98)).toMatch(/lrHidden = 0\.001, lrOutput = 0\.001 → score -[\d.]+e[+-]\d+: converged \(negative\); /);
    expect(await hover(page, 0.02, 0.02)).toMatch(/→ score [\d.]+e[+-]\d+: diverged \(not negative\); /);
    expect(await page.locator('[data-testid=lock-scale]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid=lock-scale]').evaluate((e) => e.closest('label')!.title)).toMatch(/a colour is a rank within the view/);
    expect(await page.locator('[data-testid=compare]').isDisabled()).toBe(false); // float32 comes from the WGSL MLP trainer
    await page.close();
  });

  it('inspects a cell: its float64 replay agrees with the view, and draws the loss and the norms of W0 and W1', async () => {
    const page = await app.open(link('&cell=0'));
    await waitForText(page, '#progress-text', /^Done\./);
    await page.waitForFunction(() => document.querySelector('#inspector-weights')?.getAttribute('data-series'));
    expect(await page.locator('#inspector-weights').getAttribute('data-series')).toBe('‖W0‖ (input → hidden);‖W1‖ (hidden → output)');
    expect(await page.locator('#inspector-engines').textContent()).toMatch(/TypeScript oracle/);
    const rows = await page.locator('#inspector-table tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (td) => td.textContent)));
    const score = rows.find((r) => r[0] === 'score')!;
    expect(score[1]).toMatch(/^-\d\.\d{6}e\+\d+$/);
    expect(score[2]).toBe(score[1]); // the WebAssembly MLP kernel and the oracle: the same bits
    expect(rows.find((r) => r[0] === 'class')!.slice(1)).toEqual(['converged', 'converged']);
    await page.close();
  });
});
