/**
 * The accuracy map of an MNIST sweep as SVG elements (pure): one cell per learning rate × dropout (or seed), coloured
 * by final test accuracy on viridis with its value written in, axis values and names. The command line's figure
 * (figure.ts) and the page's MNIST view (src/ui/mnist/heatmap.ts) both draw it with this function.
 */
import { viridis } from '../core/heatmap';
import { accuracyGrid, type AccuracyGrid } from './grid';
import { formatPercent, type MnistResults } from './sweep';
import { escapeXml, svgText as text } from '../core/svg';

/** Where the cells go, in SVG units: the axis values and names sit left of and below this box. */
export interface MapBox { x: number; y: number; w: number; h: number }

/** A drawn map: its SVG elements, grid, colour range, and the height used below box.y (cells, values, axis name). */
export interface AccuracyMap { svg: string; grid: AccuracyGrid; lo: number; hi: number; height: number }

/** Tallest cell (SVG units): a one-row map stays a strip. */
const MAX_CELL = 90;

const pct = (x: number) => (Number.isNaN(x) ? '–' : formatPercent(x));
/** A setting's name on an axis. */
export const axisName = (s: AccuracyGrid['x']): string => (s === 'lr' ? 'learning rate' : s);

/**
 * The colour range of an accuracy map: the values found, widened to at least one percentage point, so that
 * differences of a few test images do not span the whole colour scale.
 */
export function accuracyColourRange(values: number[]): { lo: number; hi: number } | null {
  const found = values.filter((v) => !Number.isNaN(v));
  if (!found.length) return null;
  const hi = found.reduce((a, b) => Math.max(a, b)); // not Math.max(...found): a spread of 10⁵ values overflows the stack
  return { lo: found.reduce((a, b) => Math.min(a, b), hi - 0.01), hi };
}

/**
 * The map of `results` in `box`, or null when no copy has finished an epoch. Each cell is a `<g>` with a `<title>`
 * (its settings and accuracy, shown on hover) and `data-copy` (its first copy's index, for the page to select).
 * Axis text is drawn in `ink` (the page passes currentColor, for its dark mode).
 */
export function accuracyMap(results: MnistResults, box: MapBox, ink = '#000'): AccuracyMap | null {
  const grid = accuracyGrid(results, true);
  const range = grid && accuracyColourRange(grid.values.flat());
  if (!grid || !range) return null;
  const { lo, hi } = range, parts: string[] = [];
  const cw = box.w / grid.xs.length, ch = Math.min(box.h / grid.ys.length, MAX_CELL), rows = grid.ys.length;
  grid.values.forEach((row, yi) => row.forEach((v, xi) => {
    const cx = box.x + xi * cw, cy = box.y + (rows - 1 - yi) * ch;
    const [r, g, b] = Number.isNaN(v) ? [220, 220, 220] : viridis(hi > lo ? (v - lo) / (hi - lo) : 1);
    const copies = grid.copies[yi][xi];
    parts.push(`<g data-copy="${copies[0]}"><title>${escapeXml(`${grid.x} ${grid.xs[xi]}, ${grid.y} ${grid.ys[yi]}: ${pct(v)} (copy ${copies.join(', ')})`)}</title>`
      + `<rect x="${cx.toFixed(1)}" y="${cy.toFixed(1)}" width="${(cw - 1).toFixed(1)}" height="${(ch - 1).toFixed(1)}" fill="rgb(${r},${g},${b})"/>`
      + (Number.isNaN(v) ? '' : text(cx + cw / 2, cy + ch / 2 + 5, pct(v), `font-size="14" text-anchor="middle" fill="${(r + g + b) / 3 > 128 ? '#000' : '#fff'}"`))
      + '</g>');
  }));
  const bottom = box.y + rows * ch;
  grid.xs.forEach((v, xi) => parts.push(text(box.x + (xi + 0.5) * cw, bottom + 18, String(v), `font-size="12" text-anchor="middle" fill="${ink}"`)));
  parts.push(text(box.x + box.w / 2, bottom + 38, axisName(grid.x), `font-size="13" text-anchor="middle" fill="${ink}"`));
  grid.ys.forEach((v, yi) => parts.push(text(box.x - 8, box.y + (rows - 1 - yi + 0.5) * ch + 4, String(v), `font-size="12" text-anchor="end" fill="${ink}"`)));
  const middle = box.y + (rows * ch) / 2;
  parts.push(text(box.x - 50, middle, grid.y, `font-size="13" text-anchor="middle" fill="${ink}" transform="rotate(-90 ${box.x - 50} ${middle})"`));
  return { svg: parts.join('\n'), grid, lo, hi, height: rows * ch + 44 };
}
