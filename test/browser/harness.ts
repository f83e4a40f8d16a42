/**
 * Browser-test harness: a production build (vite build) served by vite preview, driven in /usr/bin/chromium through
 * playwright-core. Some worker mistakes break only the production build, so the tests never use the dev server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
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
