/**
 * An MNIST sweep as one figure (SVG text, pure): test accuracy per epoch of every copy, with the course's 99.4% target,
 * beside the final test accuracy of every copy as a heatmap (one row for a sweep of one setting). The command line
 * writes it as mnist.svg and mnist.png.
 */
import { schemeTableau10 } from 'd3-scale-chromatic';
import { accuracyMap } from './accuracy-map';
import { formatPercent, type MnistResults } from './sweep';
import { svgText as text } from '../core/svg';

export const MNIST_FIGURE_SIZE = { width: 1100, height: 520 } as const;
/** The course's target, drawn as a dashed line. */
export const TARGET_ACCURACY = 0.994;
const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';
const CURVES = { x: 70, y: 95, w: 470, h: 340 } as const;
const MAP = { x: 680, y: 95, w: 380, h: 280 } as const;

const pct = formatPercent;

export function mnistFigureSvg(results: MnistResults): string {
  const parts: string[] = [];
  const epochs = results.run.epochs;
  let lowest = TARGET_ACCURACY;
  for (const c of results.copies) for (const e of c.epochs) lowest = Math.min(lowest, e.testAccuracy);
  // The accuracy axis: from the whole percent below the lowest accuracy to 100%, so that every point is drawn.
  const low = Math.max(0, Math.floor(100 * lowest) / 100);
  const y = (a: number) => CURVES.y + CURVES.h * (1 - (a - low) / (1 - low));
  const x = (epoch: number) => CURVES.x + (CURVES.w * (epoch - 1)) / Math.max(1, epochs - 1);
  const s = results.run;
  parts.push(text(20, 30, `MNIST, ${results.copies.length} ${results.copies.length === 1 ? 'copy' : 'copies'} of the ${results.model.paramCount.toLocaleString('en-US')}-parameter model`, 'font-size="20" font-weight="bold"'));
  parts.push(text(20, 52, `${s.epochs} epochs, batch ${s.batch}, ${s.schedule}, rotation ±${s.rotation}°, ${(s.trainLimit || 60000).toLocaleString('en-US')} training / ${(s.testLimit || 10000).toLocaleString('en-US')} test images`, 'font-size="13" fill="#444"'));
  parts.push(text(20, 69, results.engine, 'font-size="13" fill="#444"'));
  // Curves: axes, ticks, target, one line per copy.
  parts.push(`<rect x="${CURVES.x}" y="${CURVES.y}" width="${CURVES.w}" height="${CURVES.h}" fill="#fff" stroke="#999"/>`);
  const step = (1 - low) > 0.1 ? 0.05 : (1 - low) > 0.03 ? 0.01 : 0.005;
  for (let a = Math.ceil(low / step) * step; a <= 1.0000001; a += step) {
    parts.push(`<line x1="${CURVES.x}" x2="${CURVES.x + CURVES.w}" y1="${y(a).toFixed(1)}" y2="${y(a).toFixed(1)}" stroke="#eee"/>`);
    parts.push(text(CURVES.x - 6, y(a) + 4, `${(100 * a).toFixed(step < 0.01 ? 1 : 0)}%`, 'font-size="12" text-anchor="end"'));
  }
  const every = Math.max(1, Math.ceil(epochs / 10));
  for (let e = 1; e <= epochs; e += every) parts.push(text(x(e), CURVES.y + CURVES.h + 18, String(e), 'font-size="12" text-anchor="middle"'));
  parts.push(text(CURVES.x + CURVES.w / 2, CURVES.y + CURVES.h + 38, 'epoch', 'font-size="13" text-anchor="middle"'));
  parts.push(text(CURVES.x, CURVES.y - 8, 'test accuracy', 'font-size="13"'));
  parts.push(`<line x1="${CURVES.x}" x2="${CURVES.x + CURVES.w}" y1="${y(TARGET_ACCURACY).toFixed(1)}" y2="${y(TARGET_ACCURACY).toFixed(1)}" stroke="#b3261e" stroke-dasharray="6 4"/>`);
  parts.push(text(CURVES.x + 6, y(TARGET_ACCURACY) + 16, 'target 99.4%', 'font-size="12" fill="#b3261e"'));
  results.copies.forEach((c, i) => {
    if (!c.epochs.length) return;
    const color = schemeTableau10[i % 10];
    const points = c.epochs.map((e) => `${x(e.epoch).toFixed(1)},${y(e.testAccuracy).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2"/>`);
    const ly = CURVES.y + CURVES.h + 58 + 16 * Math.floor(i / 3), lx = CURVES.x + 165 * (i % 3);
    if (i < 8) {
      parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="3"/>`);
      parts.push(text(lx + 22, ly, `lr ${c.settings.lr}, d ${c.settings.dropout}, seed ${c.settings.seed}`, 'font-size="11"'));
    } else if (i === 8) {
      parts.push(text(lx, ly, `and ${results.copies.length - 8} more (colours repeat every 10; mnist.json has them all)`, 'font-size="11"'));
    }
  });
  // Heatmap of the final accuracies (accuracy-map.ts, which the page draws too).
  const map = accuracyMap(results, MAP);
  if (map) {
    parts.push(text(MAP.x, MAP.y - 8, `final test accuracy${map.grid.copies.flat().some((c) => c.length > 1) ? ' (mean of the copies in a cell)' : ''}`, 'font-size="13"'));
    parts.push(map.svg);
    parts.push(text(MAP.x, MAP.y + map.height + 16, `colours from ${pct(map.lo)} (dark) to ${pct(map.hi)} (yellow)`, 'font-size="12" fill="#444"'));
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${MNIST_FIGURE_SIZE.width}" height="${MNIST_FIGURE_SIZE.height}" viewBox="0 0 ${MNIST_FIGURE_SIZE.width} ${MNIST_FIGURE_SIZE.height}" font-family="${FONT}">
<rect width="100%" height="100%" fill="#fff"/>
${parts.join('\n')}
</svg>
`;
}
