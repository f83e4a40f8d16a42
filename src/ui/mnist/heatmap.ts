/** The MNIST view's accuracy heatmap: final test accuracy of every copy on a canvas, learning rate across. */
import { viridis } from '../../core/heatmap';
import { accuracyColourRange } from '../../mnist/figure';
import { accuracyGrid } from '../../mnist/grid';
import { formatPercent, type MnistResults } from '../../mnist/sweep';
import { byId } from '../dom';

const percent = (x: number) => (Number.isNaN(x) ? '–' : formatPercent(x));

/** Draws `results` into #mnist-heatmap with its caption and spoken label; hides the box when there is nothing to draw. */
export function drawAccuracyHeatmap(results: MnistResults | undefined): void {
  const grid = results ? accuracyGrid(results, true) : null;
  const range = grid && accuracyColourRange(grid.values.flat());
  byId('mnist-heatmap-box').hidden = !range;
  if (!results || !grid || !range) return;
  const canvas = byId('mnist-heatmap', HTMLCanvasElement), ctx = canvas.getContext('2d')!;
  const left = 90, top = 10, bottom = 40, width = canvas.width - left - 10, height = canvas.height - top - bottom;
  const cw = width / grid.xs.length, ch = height / grid.ys.length;
  const { lo, hi } = range;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  grid.values.forEach((row, yi) => row.forEach((v, xi) => {
    const x = left + xi * cw, y = top + (grid.ys.length - 1 - yi) * ch;
    if (Number.isNaN(v)) { ctx.fillStyle = '#ddd'; ctx.fillRect(x, y, cw - 1, ch - 1); return; }
    const [r, g, b] = viridis(hi > lo ? (v - lo) / (hi - lo) : 1);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(x, y, cw - 1, ch - 1);
    ctx.fillStyle = (r + g + b) / 3 > 128 ? '#000' : '#fff';
    ctx.fillText(percent(v), x + cw / 2, y + ch / 2);
  }));
  ctx.fillStyle = '#222';
  grid.xs.forEach((v, xi) => ctx.fillText(String(v), left + (xi + 0.5) * cw, top + height + 12));
  ctx.fillText(grid.x === 'lr' ? 'learning rate' : grid.x, left + width / 2, top + height + 30);
  ctx.textAlign = 'right';
  grid.ys.forEach((v, yi) => ctx.fillText(String(v), left - 8, top + (grid.ys.length - 1 - yi + 0.5) * ch));
  ctx.save();
  ctx.translate(14, top + height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(grid.y, 0, 0);
  ctx.restore();
  byId('mnist-heatmap-caption').textContent = `Colours run from ${percent(lo)} (dark) to ${percent(hi)} (yellow), the range found widened to at least one percentage point; read the numbers${results.copies.some((c) => c.epochs.length < results.run.epochs) ? '; cells of copies still training show their latest epoch' : ''}. Each cell is ${grid.copies[0][0].length > 1 ? `the mean of ${grid.copies[0][0].length} copies (the third setting)` : 'one copy'}.`;
  canvas.setAttribute('aria-label', `Final test accuracy: ${grid.ys.map((y, yi) => grid.xs.map((x, xi) => `${grid.x} ${x}, ${grid.y} ${y}: ${percent(grid.values[yi][xi])}`).join('; ')).join('; ')}`);
}
