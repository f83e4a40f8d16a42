/**
 * The MNIST view's accuracy heatmap: the command line figure's map (src/mnist/accuracy-map.ts) in #mnist-heatmap, an
 * SVG. A cell's title names its settings and copies (hover); a click on a cell, or Enter on it, selects its first copy.
 */
import { accuracyMap, type MapBox } from '../../mnist/accuracy-map';
import { formatPercent, type MnistResults } from '../../mnist/sweep';
import { byId } from '../dom';

const percent = (x: number) => (Number.isNaN(x) ? '–' : formatPercent(x));
/** The map's box in the SVG's units (its width is the viewBox's, 520). */
const BOX: MapBox = { x: 90, y: 10, w: 420, h: 250 };

/** Makes the map's cells select a copy through `select`. */
export function mountAccuracyHeatmap(select: (copy: number) => void): void {
  const svg = byId('mnist-heatmap');
  const cellCopy = (target: EventTarget | null) => (target instanceof Element ? target.closest('g[data-copy]')?.getAttribute('data-copy') : null);
  svg.addEventListener('click', (e) => { const copy = cellCopy(e.target); if (copy) select(Number(copy)); });
  svg.addEventListener('keydown', (e) => {
    const copy = cellCopy(e.target);
    if (copy && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); select(Number(copy)); }
  });
}

/** Draws `results` into #mnist-heatmap with its caption and spoken label; hides the box when there is nothing to draw. */
export function drawAccuracyHeatmap(results: MnistResults | undefined): void {
  const map = results && accuracyMap(results, BOX, 'currentColor');
  byId('mnist-heatmap-box').hidden = !map;
  if (!results || !map) return;
  const { grid, lo, hi } = map, svg = byId('mnist-heatmap');
  svg.setAttribute('viewBox', `0 0 520 ${Math.ceil(BOX.y + map.height)}`);
  svg.innerHTML = map.svg;
  for (const cell of svg.querySelectorAll('g[data-copy]')) { cell.setAttribute('tabindex', '0'); cell.setAttribute('role', 'button'); }
  byId('mnist-heatmap-caption').textContent = `Colours run from ${percent(lo)} (dark) to ${percent(hi)} (yellow), the range found widened to at least one percentage point; read the numbers${results.copies.some((c) => c.epochs.length < results.run.epochs) ? '; cells of copies still training show their latest epoch' : ''}. Each cell is ${grid.copies[0][0].length > 1 ? `the mean of ${grid.copies[0][0].length} copies (the third setting)` : 'one copy'}; select a cell to select its copy.`;
  svg.setAttribute('aria-label', `Final test accuracy: ${grid.ys.map((y, yi) => grid.xs.map((x, xi) => `${grid.x} ${x}, ${grid.y} ${y}: ${percent(grid.values[yi][xi])}`).join('; ')).join('; ')}`);
}
