/**
 * The page's state in its URL, from one table: each row reads one parameter into the state and writes it back, left
 * out at its default. A link reproduces what its sender saw (tab, spec, arithmetic, metric, outline, inspected cell,
 * course preset), and a reload keeps it. Pure.
 */
import type { ArithmeticChoice } from '../core/arithmetic';
import { HEATMAP_METRICS, metricsOf, type HeatmapMetric } from '../core/heatmap';
import { outputRow } from '../core/outputs';
import { gridSize } from '../core/grid';
import { PRESET_NAMES, type PresetName } from '../core/presets';
import { MAX_SPEC_DEPTH, nestingDepth, parseSpecText, type SweepSpec } from '../core/spec';
import { INITIAL_MNIST, MNIST_URL_ROWS } from './mnist/view-state';
import { defaultMetric, INITIAL_STATE, MAX_PINS, trimPins, type Action, type PageState, type Rejected } from './state';

/**
 * Largest sweep the page runs: its outputs (28 bytes a cell; a replica sweep's summaries 68 more) live in the worker
 * and again in the page, so 2048² cells already take over 200 MB; the command line takes up to 4096². A replica sweep
 * keeps each cell's summary only, so its memory grows with the cells and this limit counts cells; its work (cells ×
 * replicas networks, times steps) is bounded by the spec's own limits (4096² networks, e.g. 512² cells × 64 replicas).
 */
export const PAGE_MAX_CELLS = 2048 * 2048;

/** Why `spec` (valid) is too large for the page, naming the fix; undefined when it fits. */
export function pageLimitError(spec: SweepSpec): string | undefined {
  const { cells } = gridSize(spec), counts = spec.y ? 'x.count × y.count' : 'x.count';
  if (cells > PAGE_MAX_CELLS) return `${counts}: ${cells.toLocaleString()} cells are more than this page holds (${PAGE_MAX_CELLS.toLocaleString()}, e.g. 2048 × 2048${spec.replicas ? '; replicas do not count: the page keeps one summary a cell' : ''}): lower a count, or run it with the command line (npm run sweep -- spec.json), which takes up to 4096 × 4096`;
  if (spec.replicas?.keep === 'all') return 'replicas.keep: "all" (every replica\'s outputs, cells × replicas of them, as .npy files) is for the command line (npm run sweep -- spec.json); the page keeps each cell\'s summary: leave keep out';
  return undefined;
}

/** What a URL sets: the parts of the state it carries, with the spec's errors and notes about the link. */
export type UrlReading = Pick<PageState, 'tab' | 'coursePreset' | 'view' | 'specErrors' | 'linkNotes' | 'metric' | 'lockedScale' | 'outline' | 'inspected' | 'pins'> & {
  /** The MNIST view's settings and selected copy (read whatever the tab; used when it is mnist). */
  mnist: Extract<Action, { type: 'mnist-open' }>;
  /** What the form shows for a spec that cannot run: the spec (valid, too large here), or the link's JSON as written. */
  rejected?: Rejected;
};

interface UrlField {
  key: string;
  /** Applies the parameter's text to `into` (a bad value adds a note and keeps the default). */
  read(text: string, into: UrlReading): void;
  /** The parameter's text for `state`, or undefined to leave it out (its default). */
  write(state: PageState): string | undefined;
}

/**
 * The JSON of `text` for the form to show, or undefined when it is not JSON or nests deeper than a spec may: the form
 * turns lists into text, which recurses (a link nested 200,000 levels deep overflowed the stack).
 */
function jsonOrUndefined(text: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  return nestingDepth(json, MAX_SPEC_DEPTH) > MAX_SPEC_DEPTH ? undefined : json;
}

const sweepOnly = (state: PageState) => state.tab === 'sweep' && state.view !== undefined;

export const URL_FIELDS: readonly UrlField[] = [
  {
    key: 'spec',
    read(text, into) {
      into.tab = 'sweep';
      const result = parseSpecText(text);
      const tooLarge = result.ok ? pageLimitError(result.spec) : undefined;
      if (result.ok && !tooLarge) into.view = { spec: result.spec, arithmetic: 'auto' };
      else into.specErrors = result.ok ? [tooLarge!] : result.errors;
      if (result.ok && tooLarge) into.rejected = { spec: result.spec };
      else if (!result.ok) into.rejected = { raw: jsonOrUndefined(text) };
    },
    write: (state) => (sweepOnly(state) ? JSON.stringify(state.view!.spec) : undefined),
  },
  {
    key: 'arithmetic',
    read(text, into) {
      if (text === 'float32' || text === 'float64') { if (into.view) into.view.arithmetic = text; return; }
      into.linkNotes.push(`arithmetic: "${text}" is not one; use float32 (the GPU) or float64 (the CPU engine), or leave it out to let the page choose. Running on the page's choice.`);
    },
    write: (state) => (sweepOnly(state) && state.view!.arithmetic !== 'auto' ? state.view!.arithmetic : undefined),
  },
  {
    key: 'metric',
    read(text, into) {
      if (into.view && (HEATMAP_METRICS as string[]).includes(text) && !metricsOf(into.view.spec).includes(text as HeatmapMetric)) {
        into.linkNotes.push(`metric: "${text}" is a replica sweep's, and this sweep has no replicas; showing ${into.metric}.`);
      } else if ((HEATMAP_METRICS as string[]).includes(text)) into.metric = text as HeatmapMetric;
      else into.linkNotes.push(`metric: "${text}" is not one of ${(into.view ? metricsOf(into.view.spec) : HEATMAP_METRICS).join(", ")}; showing ${into.metric}.`);
    },
    // Left out at the view's default (a replica sweep's pConverged, else finalLoss): readUrl puts it back.
    write: (state) => (sweepOnly(state) && state.metric !== defaultMetric(state.view!.spec) ? state.metric : undefined),
  },
  {
    // A locked colour scale: "min~max" of the metric shown (after metric in this table: it reads the metric).
    key: 'scale',
    read(text, into) {
      const m = /^([^~]+)~([^~]+)$/.exec(text), min = m ? Number(m[1]) : NaN, max = m ? Number(m[2]) : NaN;
      const log = into.metric !== 'class' && (['loss', 'ratio'] as string[]).includes(outputRow(into.metric).scale); // steps, probabilities, counts: linear
      if (into.metric !== 'class' && min < max && (!log || min > 0)) into.lockedScale = { metric: into.metric, kind: log ? 'log' : 'linear', min, max };
      else into.linkNotes.push(`scale: "${text}" is not min~max with min < max${log ? ' and min > 0' : ''} for ${into.metric}; the colours fit the view.`);
    },
    write: (state) => (sweepOnly(state) && state.lockedScale && state.lockedScale.min < state.lockedScale.max ? `${state.lockedScale.min}~${state.lockedScale.max}` : undefined),
  },
  {
    key: 'outline',
    read(text, into) { into.outline = text === '1'; },
    write: (state) => (sweepOnly(state) && state.outline ? '1' : undefined),
  },
  {
    key: 'cell',
    read(text, into) {
      const cell = Number(text), cells = into.view ? gridSize(into.view.spec).cells : 0;
      if (/^\d+$/.test(text) && cell < cells) into.inspected = cell;
      else into.linkNotes.push(`cell: "${text}" is not a cell of this sweep (0 … ${cells - 1}); nothing is inspected.`);
    },
    write: (state) => (sweepOnly(state) && state.inspected !== undefined ? String(state.inspected) : undefined),
  },
  {
    // Pinned cells by colour slot, an empty entry a freed slot: "12,,300" (cell 300 keeps the third colour).
    key: 'pins',
    read(text, into) {
      const cells = into.view ? gridSize(into.view.spec).cells : 0, named = text.split(','), notes: string[] = [];
      const slots = named.slice(0, MAX_PINS).map((t, i) => {
        const cell = Number(t);
        if (t !== '' && !(/^\d+$/.test(t) && cell < cells)) notes.push(`"${t}" is not a cell of this sweep (0 … ${cells - 1}); left unpinned`);
        else if (t !== '' && named.indexOf(t) < i) notes.push(`cell ${t} is named twice; pinned once`);
        else if (t !== '') return cell;
        return null;
      });
      if (named.length > MAX_PINS) notes.push(`${named.length} entries are more than the ${MAX_PINS} pins there are; the first ${MAX_PINS} are kept`);
      if (notes.length) into.linkNotes.push(`pins: ${notes.join('; ')}.`);
      into.pins = trimPins(slots);
    },
    write: (state) => (sweepOnly(state) && state.pins.length ? state.pins.map((c) => (c === null ? '' : String(c))).join(',') : undefined),
  },
  {
    key: 'preset',
    read(text, into) {
      if ((PRESET_NAMES as string[]).includes(text)) into.coursePreset = text as PresetName;
      else into.linkNotes.push(`preset: "${text}" is not one of ${PRESET_NAMES.join(', ')}; showing ${INITIAL_STATE.coursePreset}.`);
    },
    write: (state) => (state.tab === 'course' && state.coursePreset !== INITIAL_STATE.coursePreset ? state.coursePreset : undefined),
  },
  {
    // The MNIST view (last: it wins over the rows above, which open the sweep tab).
    key: 'tab',
    read(text, into) {
      if (text === 'mnist') into.tab = 'mnist';
      else into.linkNotes.push(`tab: "${text}" is not one; use tab=mnist for the MNIST view, or leave it out.`);
    },
    write: (state) => (state.tab === 'mnist' ? 'mnist' : undefined),
  },
  // The MNIST view's settings and selected copy (mnist/view-state.ts), in its links only.
  ...MNIST_URL_ROWS.map((row): UrlField => ({
    key: row.key,
    read: (text, into) => { if (into.tab === 'mnist') row.read(text, into.mnist, into.linkNotes); },
    write: (state) => (state.tab === 'mnist' ? row.write(state.mnist) : undefined),
  })),
];

/**
 * Longest query a link puts its state in: servers refuse request lines much past 8–16 KB (vite answers 431), so a
 * longer one (a spec with a long `values` list) goes into the fragment (#…), which never leaves the browser.
 */
export const MAX_QUERY_LENGTH = 8000;

/** Reads a URL's search and hash (the state is in the fragment when it starts with "#spec="). */
export function readUrl(search: string, hash = ''): UrlReading {
  const into: UrlReading = { tab: 'course', coursePreset: INITIAL_STATE.coursePreset, specErrors: [], linkNotes: [], metric: INITIAL_STATE.metric, outline: false, pins: [],
    mnist: { type: 'mnist-open', form: { ...INITIAL_MNIST.form }, copy: 0 } };
  const params = new URLSearchParams(hash.startsWith('#spec=') ? hash.slice(1) : search);
  // The table's order: spec first, since arithmetic, metric and cell read the view it sets.
  for (const field of URL_FIELDS) {
    const text = params.get(field.key);
    if (field.key === 'metric' && into.view) into.metric = defaultMetric(into.view.spec); // the view's own, unless the link names one
    if (text !== null) field.read(text, into);
  }
  return into;
}

/** The link of `state`, relative to the page, for history.pushState (`?…`, or `?#…` when too long for a query). */
export function writeUrl(state: PageState): string {
  const params = new URLSearchParams();
  for (const field of URL_FIELDS) {
    const text = field.write(state);
    if (text !== undefined) params.set(field.key, text);
  }
  const query = params.toString();
  return query.length < MAX_QUERY_LENGTH ? `?${query}` : `?#${query}`;
}

/** The link of a view of `spec` in `arithmetic`, as opened from elsewhere (the bench, the tests, the dive). */
export function viewLink(spec: object, arithmetic: ArithmeticChoice = 'auto'): string {
  const params = new URLSearchParams({ spec: JSON.stringify(spec) });
  if (arithmetic !== 'auto') params.set('arithmetic', arithmetic);
  return `?${params}`;
}
