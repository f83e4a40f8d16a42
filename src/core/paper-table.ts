/**
 * The table of `npm run paper`: per condition its resolution, steps, the boundary's box-counting dimension over the
 * full view (± the fit's standard error) and over the zoom, what the paper reports, and each sweep's wall time; as
 * JSON rows and as a markdown table. Pure.
 */
import { PAPER_DIMENSION_RANGE, type PaperCondition, type ViewDimension } from './paper';
import { gridSize } from './grid';
import type { SweepSpec } from './spec';

/** One swept view as the table records it. */
export interface PaperViewRow {
  /** The view's axes: parameter and [min, max] (cell centres). */
  x: { param: string; min: number; max: number };
  y: { param: string; min: number; max: number } | null;
  /** Box-counting dimension and its standard error; null (with `why`) when there is none. */
  dimension: number | null;
  dimensionError: number | null;
  /** R² of the log-log fit, the box sizes in cells, and the boundary's cells; null without a dimension. */
  r2: number | null;
  boxSizes: number[] | null;
  boundaryCells: number | null;
  why?: string;
  /** Wall time of the sweep in seconds (the engine's own clock: worker start-up excluded). */
  seconds: number;
}

/** One condition's row. `zoom` null when it was not swept (no boundary to centre it on, or the run was stopped). */
export interface PaperRow {
  condition: string;
  title: string;
  /** Cells a side of both views [nx, ny], and steps per cell. */
  resolution: [number, number];
  steps: number;
  full: PaperViewRow;
  zoom: (PaperViewRow & { centre: { x: number; y: number } }) | null;
  /** Why there is no zoom. */
  zoomWhy?: string;
  /** What the paper reports for it. */
  paper: string;
}

const axisOf = (a: SweepSpec['x']) => ({ param: a.param, min: 'min' in a ? a.min : Math.min(...a.values), max: 'max' in a ? a.max : Math.max(...a.values) });

/** A swept view's entry. */
export function viewRow(spec: SweepSpec, dimension: ViewDimension, elapsedMs: number): PaperViewRow {
  const e = dimension.estimate;
  return {
    x: axisOf(spec.x), y: spec.y ? axisOf(spec.y) : null,
    dimension: e ? e.dimension : null, dimensionError: e && 'error' in dimension ? dimension.error : null,
    r2: e ? e.r2 : null, boxSizes: e ? e.sizes : null, boundaryCells: e ? e.boundaryCells : null,
    ...(e ? {} : { why: (dimension as { why: string }).why }),
    seconds: Math.round(elapsedMs) / 1000,
  };
}

/** What the paper reports: the range over its conditions (see PAPER_DIMENSION_RANGE). */
export const paperReport = () => `${PAPER_DIMENSION_RANGE.min}–${PAPER_DIMENSION_RANGE.max} (range over its conditions)`;

/** A condition's row from its full view and its zoom (with the zoom's centre, in the axes' units). */
export function paperRow(condition: PaperCondition, spec: SweepSpec, full: PaperViewRow, zoom: PaperRow['zoom'], zoomWhy?: string): PaperRow {
  const { nx, ny } = gridSize(spec);
  return {
    condition: condition.name, title: condition.title, resolution: [nx, ny], steps: spec.steps,
    full, zoom, ...(zoomWhy ? { zoomWhy } : {}), paper: paperReport(),
  };
}

/** "1.43 ± 0.05", or "–" (why) without a dimension. */
export function formatDimension(v: Pick<PaperViewRow, 'dimension' | 'dimensionError' | 'why'>): string {
  return v.dimension === null ? `– (${v.why})` : `${v.dimension.toFixed(3)} ± ${(v.dimensionError ?? 0).toFixed(3)}`;
}

/** The rows as a markdown table, with a line on what the columns mean. */
export function paperMarkdown(rows: PaperRow[], engine: string): string {
  const lines = [
    '| condition | resolution | steps | D, full view | D, zoom (¼ width) | paper | time full / zoom (s) |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.condition} | ${r.resolution[0]} × ${r.resolution[1]} | ${r.steps} | ${formatDimension(r.full)} | ${r.zoom ? formatDimension(r.zoom) : `– (${r.zoomWhy ?? 'not swept'})`} | ${r.paper} | ${r.full.seconds.toFixed(1)} / ${r.zoom ? r.zoom.seconds.toFixed(1) : '–'} |`),
  ];
  return [
    `# The fractal paper's six conditions (${engine})`,
    '',
    ...lines,
    '',
    'D: box-counting dimension of the converged / not-converged boundary (the paper\'s rule: the mean of the last 20 losses, each over the first, below 1), ± the standard error of the log-log fit\'s slope; box sizes 2, 4, … up to an eighth of the view.',
    'The zoom is a window a quarter as wide and high, in log space, centred on the boundary cell nearest the full view\'s centre, at the same resolution.',
    `Paper: ${PAPER_DIMENSION_RANGE.source}.`,
    '',
  ].join('\n');
}
