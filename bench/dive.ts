/**
 * `npm run dive -- SPEC.json [--levels 5] [--aim x,y ...] [--arithmetic float32|float64] [--float64] [--out DIR]`: a
 * dive into a view's
 * converged / not-converged boundary, driven as a user would drive the page (production build, headless Chromium):
 * class map; at each level, find the boundary pixel nearest the aim point (plot fractions from the top left; later
 * levels aim at the centre unless more --aim are given) and drag a quarter-size rectangle around it (4× per level).
 * Prints each view's axes, the page's status line and its box-counting dimension, and saves a screenshot per level.
 * --arithmetic picks the page's arithmetic (default: the page's own choice); --float64 dives in float32 and then compares the
 * deepest view with float64 and recomputes it there.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from '../test/browser/harness';
import { build, preview } from 'vite';

const args = process.argv.slice(2);
const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const specFile = args.find((a, i) => !a.startsWith('--') && !['--levels', '--aim', '--out', '--arithmetic'].includes(args[i - 1]));
if (!specFile) {
  console.error('usage: npm run dive -- SPEC.json [--levels 5] [--aim x,y ...] [--arithmetic float32|float64] [--float64] [--out DIR]');
  process.exit(2);
}
const levels = Number(option('--levels') ?? 5);
const aims = args.flatMap((a, i) => (args[i - 1] === '--aim' ? [a.split(',').map(Number) as [number, number]] : []));
const out = option('--out') ?? 'out/dive';
const engine = option('--arithmetic') ?? (args.includes('--float64') ? 'float32' : undefined);
mkdirSync(out, { recursive: true });
import { MARGIN } from '../src/ui/heatmap/axes';

const dist = mkdtempSync(join(tmpdir(), 'sweeper-dive-'));
await build({ logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
const server = await preview({ logLevel: 'warn', build: { outDir: dist }, preview: { port: 0, host: '127.0.0.1' } });
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1100 } });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  const status = () => page.textContent('#progress-text').then((t) => t ?? '');
  const finished = () => page.waitForFunction(() => /^(Done|Cancelled|Interrupted)/.test(document.querySelector('#progress-text')?.textContent ?? ''), null, { timeout: 600_000 });
  const report = async (label: string) => {
    const spec = JSON.parse(new URL(page.url()).searchParams.get('spec')!);
    console.log(`${label}: x ${spec.x.param} [${spec.x.min}, ${spec.x.max}], y ${spec.y?.param} [${spec.y?.min}, ${spec.y?.max}]`);
    console.log(`  ${await status()}`);
    console.log(`  ${(await page.textContent('#boundary-text'))?.split(' A smooth')[0]}`);
    if (await page.isVisible('#precision')) console.log(`  precision: ${await page.textContent('#precision-text')}`);
  };
  await page.goto(`${server.resolvedUrls!.local[0]}?spec=${encodeURIComponent(readFileSync(specFile, 'utf8'))}${engine ? `&arithmetic=${engine}` : ''}`);
  await finished();
  await page.selectOption('#metric', 'class');
  for (let level = 0; level <= levels; level++) {
    if (level > 0) {
      const [ax, ay] = aims[level - 1] ?? [0.5, 0.5];
      // A plain string: tsx would wrap named helpers in a function the page lacks. Class-map converged = rgb(53, 183, 121).
      const target = await page.evaluate(`(() => {
        const c = document.querySelector('#heatmap'), dpr = c.width / c.clientWidth;
        const w = c.clientWidth - ${MARGIN.left + MARGIN.right}, h = c.clientHeight - ${MARGIN.top + MARGIN.bottom};
        const data = c.getContext('2d').getImageData(${MARGIN.left} * dpr, ${MARGIN.top} * dpr, w * dpr, h * dpr);
        const inside = (x, y) => { const i = (y * data.width + x) * 4; return data.data[i] === 53 && data.data[i + 1] === 183; };
        let best, bestDistance = Infinity;
        for (let y = 2; y < data.height - 2; y++) for (let x = 2; x < data.width - 2; x++) {
          if (inside(x, y) === inside(x + 2, y) && inside(x, y) === inside(x, y + 2)) continue;
          const d = Math.hypot(x / data.width - ${ax}, y / data.height - ${ay});
          if (d < bestDistance) { bestDistance = d; best = [x / data.width, y / data.height]; }
        }
        return best;
      })()`) as [number, number] | undefined;
      if (!target) { console.log('no boundary in view; stopping'); break; }
      const box = (await page.locator('#heatmap').boundingBox())!;
      const w = box.width - MARGIN.left - MARGIN.right, h = box.height - MARGIN.top - MARGIN.bottom;
      const fx = Math.min(0.875, Math.max(0.125, target[0])), fy = Math.min(0.875, Math.max(0.125, target[1]));
      const before = page.url();
      await page.mouse.move(box.x + MARGIN.left + w * (fx - 0.125), box.y + MARGIN.top + h * (fy - 0.125));
      await page.mouse.down();
      await page.mouse.move(box.x + MARGIN.left + w * (fx + 0.125), box.y + MARGIN.top + h * (fy + 0.125), { steps: 8 });
      await page.mouse.up();
      await page.waitForURL((u) => u.href !== before);
      await page.waitForFunction(() => !/^Done/.test(document.querySelector('#progress-text')?.textContent ?? ''), null, { timeout: 5000 }).catch(() => undefined);
      await finished();
    }
    await page.waitForTimeout(500); // the spot check
    await report(`level ${level}`);
    await page.locator('#results').screenshot({ path: join(out, `level${level}.png`) });
  }
  if (args.includes('--float64')) {
    await page.click('[data-testid=compare]');
    await page.waitForFunction(() => /^Compared/.test(document.querySelector('[data-testid=compare-text]')?.textContent ?? ''), null, { timeout: 600_000 });
    console.log(`compare: ${(await page.textContent('[data-testid=compare-text]'))?.match(/the class agrees on [^.]+\.\d+% \([^)]*\)/)?.[0]}`);
    await page.selectOption('[data-testid=arithmetic]', 'float64');
    await page.waitForFunction(() => /^Done.* on float64 WebAssembly/.test(document.querySelector('#progress-text')?.textContent ?? ''), null, { timeout: 600_000 });
    await report('float64');
    await page.locator('#results').screenshot({ path: join(out, 'float64.png') });
  }
  console.log(`screenshots in ${out}/`);
} finally {
  await browser.close();
  await server.close();
}
