import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run', '--enable-features=Vulkan'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto('http://localhost:4173/');
await page.click('#nav-sweep');
for (const [i, name] of [[2, 'fractal'], [1, 'seed']]) {
  await page.locator('#ready-made button').nth(i).click();
  await page.click('[data-testid=run]');
  await page.waitForFunction(() => document.querySelector('#progress-text')?.textContent?.startsWith('Done'), null, { timeout: 120000 });
  await page.selectOption('#metric', 'stepsToThreshold');
  const box = await page.locator('#heatmap').boundingBox();
  await page.mouse.move(box.x + 500, box.y + 120);
  console.log(name, await page.textContent('#progress-text'), '|', await page.textContent('#hover'));
  await page.screenshot({ path: `/tmp/shot-${name}.png` });
}
await browser.close();
