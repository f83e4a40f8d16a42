/**
 * A heatmap as a figure for a paper: title, spec line, the cells (an image, one block per cell), axes with ticks in
 * the parameters' units, and the colour bar with swatches for the cells it has no colour for. SVG text, pure: the page
 * exports it (and rasterizes it at 2× for PNG), the command line writes it and renders its PNG from it.
 */
import { BAND_FILL, BAND_LINE, bandSvg, showsBand } from './band';
import { barColor, barTicks, barTitle, classSwatches, scaleSwatches, type HeatmapScale } from './heatmap';
import { convergenceLabel, isComputed, outputArray, outputRow, type AnyOutputName, type SweepOutputs } from './outputs';
import { gridSize } from './grid';
import { isMlp, replicaCount, type MlpSweepSpec, type SweepSpec } from './spec';
import { axisTicks } from './ticks';
import { escapeXml } from './svg';

export interface Figure {
  spec: SweepSpec;
  scale: HeatmapScale;
  /** The cells as an image (a data: URL of a PNG), top row = the largest y. */
  cellsHref: string;
  /** What computed it, for the spec line ("float64 WebAssembly on 2 threads"). */
  computedBy: string;
  /** Whether the Compare outline is drawn in (adds its legend entry). */
  outlined?: boolean;
  /** Written across the plot when the map has nothing to show ("no cell diverged": emptyMetricNote). */
  note?: string;
  /** The view's outputs: with them a 1-D replica sweep's probability is drawn as a curve with its band (band.ts). */
  outputs?: SweepOutputs;
}

/** Size of the figure in SVG units (CSS pixels). */
export const FIGURE_SIZE = { width: 820, height: 660 } as const;
const PLOT = { x: 92, y: 78, w: 540, h: 500 } as const;
const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

const rgb = ([r, g, b]: readonly number[]) => `rgb(${r},${g},${b})`;
const text = (x: number, y: number, content: string, attrs = '') => `<text x="${x}" y="${y}"${attrs ? ` ${attrs}` : ''}>${escapeXml(content)}</text>`;

/** The figure's title: "finalLoss over lr × initScale". */
export function figureTitle(spec: SweepSpec, scale: HeatmapScale): string {
  return `${scale.metric === 'class' ? 'Class' : scale.metric} over ${spec.x.param}${spec.y ? ` × ${spec.y.param}` : ''}`;
}

/**
 * The settings of a figure's subtitle, in one line: those not on an axis (a figure over lr names no lr, one over
 * lrHidden names only lrOutput), and the convergence rule with what computed it.
 */
/** An MLP spec's network in words: "MLP 16-16-1 tanh mean-field, 272 points, minibatch 16". */
export function networkName(spec: MlpSweepSpec): string {
  const n = spec.network, batch = spec.minibatch ? `, minibatch ${spec.minibatch.size}` : '';
  const offset = spec.initOffsetEveryStep ? ', offset re-added every step' : '';
  return `MLP ${n.inputs}-${n.width}-${n.outputs} ${n.activation} ${n.scaling}, ${spec.data.points} point${spec.data.points === 1 ? '' : 's'}${batch}${offset}`;
}

export function specLine(spec: SweepSpec, computedBy: string): string {
  const onAxis = (param: string) => spec.x.param === param || spec.y?.param === param;
  const lr = onAxis('lr') || (onAxis('lrHidden') && onAxis('lrOutput')) ? []
    : onAxis('lrHidden') ? [`lrOutput ${spec.lrOutput}`]
      : onAxis('lrOutput') ? [`lrHidden ${spec.lrHidden}`]
        : [spec.lrHidden === spec.lrOutput ? `lr ${spec.lrHidden}` : `lr ${spec.lrHidden} / ${spec.lrOutput}`];
  const momentum = spec.momentum && !onAxis('momentum') ? [`momentum ${spec.momentum}`] : [];
  const network = isMlp(spec) ? [networkName(spec)] : [spec.preset, spec.activation];
  const threshold = isMlp(spec) && spec.convergence === 'tail-mean' ? [] : [`threshold ${spec.threshold}`];
  const replicas = spec.replicas ? [`${spec.replicas.count} replicas a cell (${spec.replicas.draws} ${spec.init.distribution} draws)`] : [];
  const settings = [...network, `${spec.steps} steps`, ...threshold, ...lr, ...momentum, ...replicas].join(', ');
  return `${settings}; converged: ${convergenceLabel(spec.convergence)}; ${computedBy}`;
}

/** What a map of `metric` says when no computed cell has its event: "no cell diverged"; undefined otherwise. */
export function emptyMetricNote(outputs: SweepOutputs, metric: AnyOutputName | 'class'): string | undefined {
  if (metric === 'class' || outputRow(metric).scale !== 'steps') return undefined;
  if (outputArray(outputs, metric)!.some((v) => v >= 0) || !outputs.divergedAt.some((_, i) => isComputed(outputs, i))) return undefined;
  return {
    stepsToThreshold: 'no cell reached the threshold', settledAt: 'no cell ended below the threshold', divergedAt: 'no cell diverged',
    medianStepsToThreshold: 'no replica converged', divergedAtQ1: 'no replica diverged', divergedAtMedian: 'no replica diverged',
  }[metric as 'divergedAt'] ?? `no cell has a ${metric}`;
}

/** A file name for an export of `spec`'s `metric`: "lr-x-initScale-finalLoss". */
export function figureName(spec: SweepSpec, metric: string): string {
  return `${spec.x.param}${spec.y ? `-x-${spec.y.param}` : ''}-${metric}`;
}

/** The figure as SVG text. */
export function figureSvg(f: Figure): string {
  const { spec, scale } = f;
  const { nx, ny } = gridSize(spec);
  // A 1-D sweep is a strip, not a square; a 1-D replica sweep's probability, a curve with its interval over 0 … 1.
  const band = f.outputs !== undefined && showsBand(f.outputs, ny, scale.metric);
  const h = band ? BAND_PLOT_H : ny === 1 ? 80 : PLOT.h, { x, y, w } = PLOT;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${FIGURE_SIZE.width}" height="${FIGURE_SIZE.height}" viewBox="0 0 ${FIGURE_SIZE.width} ${FIGURE_SIZE.height}" font-family="${FONT}" font-size="12" fill="#222">`,
    `<rect width="${FIGURE_SIZE.width}" height="${FIGURE_SIZE.height}" fill="#fff"/>`,
    text(x, 30, figureTitle(spec, scale), 'font-size="18" font-weight="bold"'),
    ...wrap(specLine(spec, f.computedBy), 118).map((line, k) => text(x, 50 + 13 * k, line, 'font-size="11" fill="#555"')),
    ...(band ? bandSvg(f.outputs!, nx, { x, y, w, h }) : [`<image x="${x}" y="${y}" width="${w}" height="${h}" preserveAspectRatio="none" image-rendering="optimizeSpeed" style="image-rendering:pixelated" href="${f.cellsHref}"/>`]),
    `<rect x="${x - 0.5}" y="${y - 0.5}" width="${w + 1}" height="${h + 1}" fill="none" stroke="#222"/>`,
  ];
  // Ticks sit at cell centres: positions are fractions between the first and the last cell's centre.
  for (const tick of axisTicks(spec.x)) {
    const tx = x + (w / nx) * (0.5 + tick.position * (nx - 1));
    parts.push(`<line x1="${tx}" y1="${y + h}" x2="${tx}" y2="${y + h + 5}" stroke="#222"/>`, text(tx, y + h + 19, tick.label, 'text-anchor="middle"'));
  }
  parts.push(text(x + w / 2, y + h + 40, `${spec.x.param}${'scale' in spec.x ? ` (${spec.x.scale})` : ''}`, 'text-anchor="middle" font-size="13"'));
  if (band) parts.push(text(0, 0, 'P(converged)', `text-anchor="middle" font-size="13" transform="translate(${24} ${y + h / 2}) rotate(-90)"`));
  if (spec.y) {
    for (const tick of axisTicks(spec.y)) {
      const ty = y + h - (h / ny) * (0.5 + tick.position * (ny - 1));
      parts.push(`<line x1="${x - 5}" y1="${ty}" x2="${x}" y2="${ty}" stroke="#222"/>`, text(x - 8, ty + 4, tick.label, 'text-anchor="end"'));
    }
    parts.push(text(0, 0, `${spec.y.param}${'scale' in spec.y ? ` (${spec.y.scale})` : ''}`, `text-anchor="middle" font-size="13" transform="translate(${24} ${y + h / 2}) rotate(-90)"`));
  }
  if (f.note) {
    parts.push(`<rect x="${x + w / 2 - 130}" y="${y + h / 2 - 18}" width="260" height="30" rx="4" fill="#fff" fill-opacity="0.9" stroke="#222"/>`,
      text(x + w / 2, y + h / 2 + 2, f.note, 'text-anchor="middle" font-size="14"'));
  }
  parts.push(...(band ? bandLegend(replicaCount(spec), x + w + 26, y) : colorbar(scale, x + w + 26, y, h, f.outlined ?? false)), '</svg>');
  return parts.join('\n');
}

/** Height of a 1-D replica sweep's probability plot. */
const BAND_PLOT_H = 440;

/** The legend of a probability band: the curve (of R replicas per cell) and the interval. */
function bandLegend(replicas: number, bx: number, top: number): string[] {
  return [
    `<line x1="${bx}" y1="${top + 8}" x2="${bx + 18}" y2="${top + 8}" stroke="${BAND_LINE}" stroke-width="2"/>`, text(bx + 24, top + 12, 'P(converged)'),
    text(bx + 24, top + 27, `${replicas} replicas a cell`, 'font-size="11" fill="#555"'),
    `<rect x="${bx}" y="${top + 40}" width="18" height="14" fill="${BAND_FILL}"/>`, text(bx + 24, top + 51, 'Wilson 95% interval'),
  ];
}

/** The colour bar (or the class legend) right of the plot, with swatches for cells without a colour on the bar. */
function colorbar(scale: HeatmapScale, bx: number, top: number, plotH: number, outlined: boolean): string[] {
  if (scale.kind === 'categorical') {
    return classSwatches(scale, outlined)
      .flatMap(([label, color], k) => [`<rect x="${bx}" y="${top + 22 * k}" width="16" height="16" fill="${rgb(color)}"/>`, text(bx + 22, top + 22 * k + 12, label)]);
  }
  const swatches = scaleSwatches(scale, outlined);
  const h = plotH > 200 ? plotH - 20 * swatches.length - 8 : plotH;
  const stops = Array.from({ length: 21 }, (_, i) => `<stop offset="${i / 20}" stop-color="${rgb(barColor(scale, 1 - i / 20))}"/>`).join('');
  const parts = [
    `<defs><linearGradient id="bar" x1="0" y1="0" x2="0" y2="1">${stops}</linearGradient></defs>`,
    `<rect x="${bx}" y="${top}" width="16" height="${h}" fill="url(#bar)" stroke="#222"/>`,
  ];
  for (const tick of barTicks(scale)) parts.push(text(bx + 22, top + h - tick.position * h + 4, tick.label));
  parts.push(text(0, 0, barTitle(scale), `text-anchor="middle" transform="translate(${bx + 78} ${top + h / 2}) rotate(90)"`));
  if (plotH > 200) {
    swatches.forEach(([label, color], k) => {
      const sy = top + h + 10 + 20 * k;
      parts.push(`<rect x="${bx}" y="${sy}" width="16" height="13" fill="${rgb(color)}"/>`, text(bx + 22, sy + 11, label));
    });
  }
  return parts;
}

/** `line` in lines of at most `max` characters, broken after "; " or ", " where it can (two lines at most, the rest cut). */
function wrap(line: string, max: number): string[] {
  if (line.length <= max) return [line];
  const cut = Math.max(line.lastIndexOf('; ', max), line.lastIndexOf(', ', max));
  const first = cut > 0 ? line.slice(0, cut + 1) : line.slice(0, max);
  const rest = line.slice(first.length).trim();
  return [first, rest.length <= max ? rest : `${rest.slice(0, max - 1)}…`];
}
