/**
 * Browser-test harness: a production build (vite build) served by vite preview, driven in /usr/bin/chromium through
 * playwright-core. Some worker mistakes break only the production build, so the tests never use the dev server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { MARGIN } from '../../src/ui/heatmap/axes';
import { afterAll, beforeAll, expect } from 'vitest';
import { build, preview, type PreviewServer } from 'vite';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BASE_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
/** What makes a WebGPU adapter (SwiftShader here) appear in headless Chromium. */
export const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan'];

/** Builds the app into a fresh folder and serves it; returns the URL and a stop function. */
export async function servePage(): Promise<{ url: string; stop: () => Promise<void> }> {
  const outDir = mkdtempSync(join(tmpdir(), 'sweeper-dist-'));
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server: PreviewServer = await preview({ logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  return { url, stop: () => server.close() };
}

/** Headless Chromium, with WebGPU unless `webgpu` is false. Fails (never skips) when Chromium is missing. */
export function launch(webgpu = true): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...BASE_ARGS, ...(webgpu ? WEBGPU_ARGS : ['--disable-features=WebGPU'])] });
}

/** A CSS-pixel viewport: the desktop the tests assume, and a phone's. */
export type Viewport = { width: number; height: number };
export const DESKTOP: Viewport = { width: 1400, height: 1000 };
export const PHONE: Viewport = { width: 390, height: 844 };

/** A new page at `address` (1400 × 1000 unless told); closing it fails the test if the page threw an uncaught error. */
export async function openPage(browser: Browser, address: string, viewport: Viewport = DESKTOP): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('close', () => expect(errors, 'uncaught errors on the page').toEqual([]));
  await page.goto(address);
  return page;
}

/** Waits until the text of `selector` matches `pattern`. */
export const waitForText = (page: Page, selector: string, pattern: RegExp, timeout = 90_000) =>
  page.waitForFunction(([s, p]) => new RegExp(p).test(document.querySelector(s)?.textContent ?? ''), [selector, pattern.source] as const, { timeout });

/** The heatmap's plot margins in CSS pixels. */
export { MARGIN };

/** RGB of the heatmap canvas at fractions (fx, fy) of its plot area (0, 0 = top left), in canvas pixels. */
export function plotPixels(page: Page, points: Array<[number, number]>): Promise<number[][]> {
  return page.evaluate(([pts, m]) => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid=heatmap]')!;
    const dpr = c.width / c.clientWidth;
    const w = c.clientWidth - m.left - m.right, h = c.clientHeight - m.top - m.bottom;
    const ctx = c.getContext('2d')!;
    return pts.map(([fx, fy]) => Array.from(ctx.getImageData(Math.floor((m.left + fx * w) * dpr), Math.floor((m.top + fy * h) * dpr), 1, 1).data.slice(0, 3)));
  }, [points, MARGIN] as const);
}

/** Centres of an n × n grid of plot fractions. */
export const grid = (n: number) => Array.from({ length: n * n }, (_, i) => [((i % n) + 0.5) / n, (Math.floor(i / n) + 0.5) / n] as [number, number]);

/**
 * For a test file: builds and serves the app and launches Chromium before its tests (afterwards, closes both). The
 * returned `url` and `open` are valid inside tests.
 */
export function servedApp(): { readonly url: string; open: (address: string, viewport?: Viewport) => Promise<Page> } {
  let url = '', stop: (() => Promise<void>) | undefined, browser: Browser | undefined;
  beforeAll(async () => {
    ({ url, stop } = await servePage());
    browser = await launch();
  });
  afterAll(async () => { await browser?.close(); await stop?.(); });
  return { get url() { return url; }, open: (address, viewport) => openPage(browser!, address, viewport) };
}
