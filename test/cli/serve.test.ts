/** serve's static server (src/cli/serve.ts): any root spelling, bad addresses answered, never crashed by a request. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { staticServer } from '../../src/cli/serve';

const dir = mkdtempSync(join(tmpdir(), 'serve-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>ok</title>');
writeFileSync(join(dir, 'kernel.wasm'), new Uint8Array([0, 97, 115, 109]));
const servers: ReturnType<typeof staticServer>[] = [];
afterAll(() => servers.forEach((s) => s.close()));

async function start(root: string): Promise<string> {
  const server = staticServer(root);
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('serve', () => {
  it('serves a root given relatively ("." style, with or without a trailing slash) as well as absolutely', async () => {
    for (const root of [dir, relative(process.cwd(), dir), `${relative(process.cwd(), dir)}/`]) {
      const url = await start(root);
      const page = await fetch(`${url}/`);
      expect([root, page.status, await page.text()]).toEqual([root, 200, '<!doctype html><title>ok</title>']);
      const wasm = await fetch(`${url}/kernel.wasm`);
      expect([wasm.status, wasm.headers.get('content-type')]).toEqual([200, 'application/wasm']);
    }
    // `serve --dir .` in a folder holding a page (the repository root holds the page's index.html).
    for (const root of ['.', './']) expect([root, (await fetch(`${await start(root)}/index.html`)).status]).toEqual([root, 200]);
  });

  it('answers a malformed address with 400, a missing file with 404 and a way out of the root with 403 or 404, and keeps serving', async () => {
    const url = await start(dir);
    expect((await fetch(`${url}/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${url}/nothing.js`)).status).toBe(404);
    expect([403, 404]).toContain((await fetch(`${url}/..%2f..%2fetc%2fpasswd`)).status);
    expect((await fetch(`${url}/index.html`)).status).toBe(200);
  });
});
