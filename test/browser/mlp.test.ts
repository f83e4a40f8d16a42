/**
 * The fractal paper's MLP in the page (issue 20): the form's network menu shows the MLP's fields and offers only its
 * axis parameters, names a wrong MLP value beside its field, runs an MLP sweep whose link brings the form back; and a
 * paper view runs end to end (auto: the CPU engine, since SwiftShader is slower); float32 runs the WGSL MLP trainer, and
 * Compare sets it beside float64.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { servedApp, waitForText } from './harness';

const app = servedApp();
/** Whether the field at `path` (its label, or its fieldset) is shown. */
const shown = (page: Page, path: string) => page.evaluate((p) => { const n = document.querySelector(`[data-path="${p}"]`)!; return (n.tagName === 'FIELDSET' ? n : n.closest('label')!).closest('[hidden]') === null; }, path);
const offered = (page: Page, axis: string) => page.evaluate((a) => [...document.querySelector<HTMLSelectElement>(`[data-path="${a}.param"]`)!.options].filter((o) => !o.hidden).map((o) => o.value), axis);
const small = { network: { kind: 'mlp', width: 4, activation: 'tanh' }, steps: 40, x: { param: 'lrHidden', min: 0.01, max: 100, count: 8, scale: 'log' }, y: { param: 'lrOutput', min: 0.01, max: 100, count: 8, scale: 'log' } };

describe('the MLP on the page (Chromium, production build)', () => {
  it('switches the form to the MLP\'s fields, names a wrong value beside its field, and runs a sweep its link brings back', async () => {
    const page = await app.open(`${app.url}?spec=${encodeURIComponent(JSON.stringify({ x: { param: 'lr', min: 0.1, max: 10, count: 4, scale: 'log' }, y: { param: 'momentum', min: 0, max: 0.9, count: 4 } }))}`);
    await waitForText(page, '#progress-text', /^Done\./);
    expect([await shown(page, 'preset'), await shown(page, 'values'), await shown(page, 'mlp')]).toEqual([true, true, false]);
    await page.selectOption('[data-path="network.kind"]', 'mlp');
    expect([await shown(page, 'preset'), await shown(page, 'activation'), await shown(page, 'momentum'), await shown(page, 'values'), await shown(page, 'mlp')]).toEqual([false, false, false, false, true]);
    // momentum does not apply to the MLP: the y axis moves to one that does and does not clash with lr; the paper's rule and draw.
    expect(await offered(page, 'x')).toEqual(['lr', 'lrHidden', 'lrOutput', 'initScale', 'initOffset', 'seed']);
    expect(await page.inputValue('[data-path="y.param"]')).toBe('initScale');
    expect([await page.inputValue('[data-path="convergence"]'), await page.inputValue('[data-path="init.distribution"]'), await page.inputValue('[data-path="init.seed"]')]).toEqual(['tail-mean', 'normal', '2']);
    await page.fill('[data-path="network.width"]', '99');
    await page.click('#run');
    expect(await page.textContent('label:has([data-path="network.width"]) .field-error')).toBe('must be an integer from 1 to 64 (hidden width n of the MLP); got 99');
    await page.fill('[data-path="network.width"]', '3');
    await page.fill('[data-path="minibatch.size"]', '5');
    await page.check('[data-path="initOffsetEveryStep"]');
    await page.click('#run');
    await waitForText(page, '#progress-text', /^Done\..*network-steps\/s on float64 WebAssembly.*\(converged: the fractal paper's rule\)\.$/);
    const spec = JSON.parse(new URL(page.url()).searchParams.get('spec')!);
    expect([spec.network, spec.data, spec.minibatch, spec.initOffsetEveryStep]).toEqual([{ kind: 'mlp', inputs: 16, width: 3, outputs: 1, activation: 'tanh', scaling: 'mean-field' }, { points: 51, seed: 1 }, { size: 5, seed: 3 }, true]);
    await page.reload();
    await waitForText(page, '#progress-text', /^Done\./);
    expect([await page.inputValue('[data-path="network.kind"]'), await page.inputValue('[data-path="network.width"]'), await page.inputValue('[data-path="minibatch.size"]'), await page.isChecked('[data-path="initOffsetEveryStep"]')]).toEqual(['mlp', '3', '5', true]);
    await page.close();
  });

  it('shows a hand-edited link\'s wrong MLP value in its field, with the message beside it', async () => {
    const page = await app.open(`${app.url}?spec=${encodeURIComponent(JSON.stringify({ ...small, network: { kind: 'mlp', activation: 'sigmoid' } }))}`);
    await waitForText(page, '#spec-errors', /network\.activation: must be one of tanh, relu, identity/);
    expect([await page.inputValue('[data-path="network.kind"]'), await page.inputValue('[data-path="network.activation"]'), await shown(page, 'mlp')]).toEqual(['mlp', 'sigmoid', true]);
    expect(await page.getAttribute('[data-path="network.activation"]', 'aria-invalid')).toBe('true');
    await page.close();
  });

  it('runs a fractal paper view end to end on the CPU engine (auto, on an emulated GPU), on the paper\'s score', async () => {
    const page = await app.open(`${app.url}?spec=${encodeURIComponent(JSON.stringify(small))}`);
    await waitForText(page, '#progress-text', /^Done\./);
    await page.click('#paper-views button:text-is("ReLU")');
    await waitForText(page, '#progress-text', /^Done\..*on float64 WebAssembly.*Converged [\d,]+, stalled [\d,]+, diverged [\d,]+/, 180_000);
    expect(await page.inputValue('[data-testid=metric]')).toBe('score');
    expect(await page.isVisible('#precision')).toBe(false);
    expect(await page.inputValue('[data-path="network.activation"]')).toBe('relu');
    expect(new URL(page.url()).searchParams.get('metric')).toBe('score');
    await page.close();
  });

  it('runs an MLP view in float32 on the WGSL MLP trainer, and Compare sets it beside the float64 engine', async () => {
    const page = await app.open(`${app.url}?spec=${encodeURIComponent(JSON.stringify(small))}&arithmetic=float32`);
    await waitForText(page, '#progress-text', /^Done\..* on WebGPU \(/, 120_000);
    await page.click('[data-testid=compare]');
    await waitForText(page, '[data-testid=compare-text]', /^Compared float32 with float64 on all 64 finished cells: the class agrees on \d+(\.\d+)?% /, 120_000);
    await page.close();
  });
});
