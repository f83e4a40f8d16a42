/**
 * A sweep of MNIST models: the settings every copy shares, one CopySettings per copy, and the results record that the
 * CLI writes and the page shows (per-epoch metrics per copy). Pure: no Node, no DOM.
 */
import { MNIST_CREDIT } from './idx';
import { DEFAULT_MODEL, placeModel, type LayerSpec } from './model';
import type { CopySettings, EpochMetrics, RunSettings } from './training';

/** The swept settings: every combination of these lists is one copy (learning rate outermost, seed innermost). */
export interface SweepAxes {
  lr: number[];
  dropout: number[];
  seeds: number[];
}

/** Every combination of the axes over `base`, in a fixed order (lr, then dropout, then seed). */
export function copiesOf(axes: SweepAxes, base: CopySettings): CopySettings[] {
  const copies: CopySettings[] = [];
  for (const lr of axes.lr) for (const dropout of axes.dropout) for (const seed of axes.seeds) copies.push({ ...base, lr, dropout, seed });
  return copies;
}

/** What happened to one copy. */
export interface CopyRecord {
  settings: CopySettings;
  /** One entry per finished epoch, in order. */
  epochs: EpochMetrics[];
  state: 'waiting' | 'running' | 'finished' | 'stopped' | 'failed';
  error?: string;
}

/** The results of a sweep, as written to mnist.json. */
export interface MnistResults {
  format: 'backprop-sweeper-mnist';
  version: 1;
  data: string;
  model: { layers: LayerSpec[]; paramCount: number };
  run: RunSettings;
  /** What trained it and why: the CLI's "cpu (float32 WebAssembly, 2 threads; auto: …)", the page's "cpu (float32
   *  WebAssembly on 2 threads, a copy per thread: …)", "webgpu (…)". */
  engine: string;
  copies: CopyRecord[];
}

/**
 * What one copy of a sweep reports, as every engine reports it (a CPU copy worker posts these, src/mnist/copy-run.ts):
 * progress within an epoch (`epoch` 0-based, `iteration` of `iterations` done), a finished epoch with the weights
 * after it (flat, in the layout of src/mnist/model.ts) and its test predictions, the copy's end, or its failure.
 */
export type CopyReport =
  | { type: 'progress'; epoch: number; iteration: number; iterations: number }
  | { type: 'epoch'; metrics: EpochMetrics; params: Float32Array | Float64Array; stats: Float32Array | Float64Array; predictions: Uint8Array }
  | { type: 'copy-done' }
  | { type: 'copy-failed'; message: string };

/**
 * A copy's report with the copy's index in the sweep (added by the CPU pool, src/mnist/copy-pool.ts, or by the GPU
 * loop, gpuSweep): the one event type of a sweep, heard by the command line and the page, folded by `recordCopyEvent`.
 */
export type CopyEvent = CopyReport & { copy: number };

/**
 * Folds `event` of copy `copy` into `results`: the one place the command line and the page record a copy's progress.
 * Its first report (progress or an epoch) marks a waiting copy running.
 */
export function recordCopyEvent(results: MnistResults, copy: number, event: CopyReport): void {
  const record = results.copies[copy];
  if (event.type === 'progress' || event.type === 'epoch') {
    if (record.state === 'waiting') record.state = 'running';
    if (event.type === 'epoch') record.epochs.push(event.metrics);
  } else if (event.type === 'copy-done') {
    record.state = 'finished';
  } else {
    record.state = 'failed';
    record.error = event.message;
  }
}

export function newResults(run: RunSettings, copies: CopySettings[], engine: string, layers: readonly LayerSpec[] = DEFAULT_MODEL): MnistResults {
  return {
    format: 'backprop-sweeper-mnist', version: 1, data: MNIST_CREDIT,
    model: { layers: [...layers], paramCount: placeModel(layers).paramCount }, run, engine,
    copies: copies.map((settings) => ({ settings, epochs: [], state: 'waiting' })),
  };
}

/** An accuracy as a percentage with two decimals: 0.99431 → "99.43%". */
export const formatPercent = (x: number): string => `${(100 * x).toFixed(2)}%`;
const percent = formatPercent;

/** The best test accuracy of a copy and the epoch it came in (null before the first epoch). */
export function bestEpoch(record: CopyRecord): EpochMetrics | null {
  let best: EpochMetrics | null = null;
  for (const e of record.epochs) if (!best || e.testAccuracy > best.testAccuracy) best = e;
  return best;
}

/** A plain-text table: one row per copy with its settings, epochs done, last and best test accuracy. */
export function formatTable(results: MnistResults): string {
  const head = ['copy', 'lr', 'dropout', 'seed', 'epochs', 'train loss', 'test loss', 'test acc', 'best (epoch)', 'state'];
  const rows = results.copies.map((c, i) => {
    const last = c.epochs.at(-1), best = bestEpoch(c);
    return [
      String(i), String(c.settings.lr), String(c.settings.dropout), String(c.settings.seed), `${c.epochs.length}/${results.run.epochs}`,
      last ? last.trainLoss.toFixed(4) : '–', last ? last.testLoss.toFixed(4) : '–', last ? percent(last.testAccuracy) : '–',
      best ? `${percent(best.testAccuracy)} (${best.epoch})` : '–', c.state + (c.error ? `: ${c.error}` : ''),
    ];
  });
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  return [head, ...rows].map((r) => r.map((cell, k) => cell.padEnd(widths[k])).join('  ').trimEnd()).join('\n');
}

/** The per-epoch metrics as CSV, one row per copy and epoch. */
export function metricsCsv(results: MnistResults): string {
  const lines = ['copy,lr,dropout,seed,momentum,weightDecay,epoch,trainLoss,trainAccuracy,testLoss,testAccuracy,lrAtEnd,seconds'];
  results.copies.forEach((c, i) => {
    const s = c.settings;
    for (const e of c.epochs) lines.push([i, s.lr, s.dropout, s.seed, s.momentum, s.weightDecay, e.epoch, e.trainLoss, e.trainAccuracy, e.testLoss, e.testAccuracy, e.lr, e.seconds.toFixed(2)].join(','));
  });
  return `${lines.join('\n')}\n`;
}

/** Trained weights of one copy, as written to weights-<copy>.json by the CLI and the page, and loaded by the page. */
export interface WeightsFile {
  format: 'backprop-sweeper-mnist-weights';
  version: 1;
  model: LayerSpec[];
  settings: CopySettings;
  /** Epochs trained when written. */
  epochs: number;
  /** Flat parameters and running statistics in the layout of src/mnist/model.ts. */
  params: number[];
  stats: number[];
}

/** A weights file for copy settings `settings` after `epochs` epochs. */
export function weightsFile(layers: readonly LayerSpec[], settings: CopySettings, epochs: number, params: ArrayLike<number>, stats: ArrayLike<number>): WeightsFile {
  return { format: 'backprop-sweeper-mnist-weights', version: 1, model: [...layers], settings, epochs, params: Array.from(params), stats: Array.from(stats) };
}

/** Checks a parsed weights file against the model it claims; returns it or throws a message naming the problem. */
export function checkWeights(value: unknown): WeightsFile {
  const w = value as WeightsFile;
  if (!w || w.format !== 'backprop-sweeper-mnist-weights' || w.version !== 1) throw new Error('not a weights file of this tool (format backprop-sweeper-mnist-weights, version 1)');
  if (!Array.isArray(w.model)) throw new Error('the file has no model (a list of layers)');
  const s = w.settings;
  if (!s || ![s.lr, s.seed, s.dropout, s.momentum, s.weightDecay].every((v) => typeof v === 'number' && Number.isFinite(v))) throw new Error('the file\'s settings (lr, seed, dropout, momentum, weightDecay) are missing or not numbers');
  if (!Number.isInteger(w.epochs) || w.epochs < 0) throw new Error(`the file's epochs (${w.epochs}) is not a whole number`);
  const model = placeModel(w.model);
  if (!Array.isArray(w.params) || w.params.length !== model.paramCount) throw new Error(`the file has ${w.params?.length} parameters; its model needs ${model.paramCount}`);
  if (!Array.isArray(w.stats) || w.stats.length !== model.statCount) throw new Error(`the file has ${w.stats?.length} statistics; its model needs ${model.statCount}`);
  if (![...w.params, ...w.stats].every(Number.isFinite)) throw new Error('the file has parameters that are not finite numbers');
  return w;
}

/**
 * Characters of mnist.json per copy after `epochs` epochs: 180 for its settings and state and 260 per epoch of
 * metrics (measured: 434 at 1 epoch, 4,018 at 15, 25,825 at 100, 20,000 copies of full-precision metrics).
 */
export const mnistJsonCharsPerCopy = (epochs: number): number => 180 + 260 * epochs;

/**
 * Bytes of memory a copy costs the command line, per character of its mnist.json: its record (0.7), mnist.json
 * (1.0) and metrics.csv (0.55) as strings measured 2.3 together at 1, 15 and 100 epochs; 3 leaves room for the
 * figure and the copies made while writing.
 */
export const MEMORY_PER_JSON_CHAR = 3;

/** What bounds the copies of one run on a machine: Node's longest string and the memory the process may use (bytes). */
export interface MachineLimits { maxStringLength: number; memoryBytes: number }

/**
 * Most copies one run of `epochs` epochs may have here: mnist.json is one string, which must fit the longest string
 * (Node 20: 2²⁹ − 24 characters), and the copies' records and files must fit half the memory (the rest: the data,
 * the workers, the figure). E.g. 15 epochs with 4 GiB: min(536,870,888 / 4,080, 2 GiB / 3 / 4,080) = 131,586.
 */
export function maxCopies(epochs: number, machine: MachineLimits): number {
  const chars = mnistJsonCharsPerCopy(epochs);
  return Math.floor(Math.min(machine.maxStringLength / chars, machine.memoryBytes / 2 / MEMORY_PER_JSON_CHAR / chars));
}

const EPOCH_FIELDS = ['epoch', 'trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy', 'lr', 'seconds'] as const;
const COPY_STATES: readonly CopyRecord['state'][] = ['waiting', 'running', 'finished', 'stopped', 'failed'];
const isWhole = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (v === undefined ? 'missing' : isObject(v) || Array.isArray(v) ? `a${Array.isArray(v) ? 'n array' : 'n object'}` : JSON.stringify(v).slice(0, 40));

/**
 * Checks parsed mnist.json (as the command line writes it) before anything reads it: returns it, or throws a message
 * naming the first field that is wrong and what it holds, e.g. "copies[3].epochs[1].testAccuracy: expected a number
 * from 0 to 1; got "x"". Iterates (a hostile file may nest deeply or hold millions of copies).
 */
export function checkMnistResults(value: unknown): MnistResults {
  const bad = (field: string, expected: string, got: unknown): never => { throw new Error(`${field}: expected ${expected}; got ${show(got)}`); };
  if (!isObject(value) || value.format !== 'backprop-sweeper-mnist' || value.version !== 1) throw new Error('not the results of npm run mnist (format backprop-sweeper-mnist, version 1)');
  const run = value.run, model = value.model, copies = value.copies;
  if (!isObject(run)) bad('run', 'an object of run settings', run);
  const r = run as Record<string, unknown>;
  if (!isWhole(r.epochs, 1, 1000)) bad('run.epochs', 'a whole number from 1 to 1000', r.epochs);
  if (!isWhole(r.batch, 1)) bad('run.batch', 'a whole number ≥ 1', r.batch);
  if (r.schedule !== 'onecycle' && r.schedule !== 'step') bad('run.schedule', '"onecycle" or "step"', r.schedule);
  if (!isFinite(r.rotation)) bad('run.rotation', 'a number of degrees', r.rotation);
  for (const k of ['trainLimit', 'testLimit'] as const) if (!isWhole(r[k], 0)) bad(`run.${k}`, 'a whole number ≥ 0', r[k]);
  if (!isObject(model) || !isWhole(model.paramCount, 1)) bad('model.paramCount', 'a whole number ≥ 1', isObject(model) ? model.paramCount : model);
  if (typeof value.engine !== 'string') bad('engine', 'a string', value.engine);
  if (!Array.isArray(copies) || copies.length === 0) bad('copies', 'a list of at least one copy', copies);
  (copies as unknown[]).forEach((c, i) => {
    if (!isObject(c)) bad(`copies[${i}]`, 'an object', c);
    const copy = c as Record<string, unknown>, s = copy.settings;
    if (!isObject(s)) bad(`copies[${i}].settings`, 'an object', s);
    for (const k of ['lr', 'seed', 'dropout', 'momentum', 'weightDecay']) if (!isFinite((s as Record<string, unknown>)[k])) bad(`copies[${i}].settings.${k}`, 'a number', (s as Record<string, unknown>)[k]);
    if (!COPY_STATES.includes(copy.state as CopyRecord['state'])) bad(`copies[${i}].state`, COPY_STATES.join(', '), copy.state);
    if (!Array.isArray(copy.epochs) || copy.epochs.length > (r.epochs as number)) bad(`copies[${i}].epochs`, `a list of at most ${r.epochs} epochs`, copy.epochs);
    (copy.epochs as unknown[]).forEach((e, k) => {
      const at = `copies[${i}].epochs[${k}]`;
      if (!isObject(e)) bad(at, 'an object', e);
      const m = e as Record<string, unknown>;
      for (const f of EPOCH_FIELDS) if (!isFinite(m[f])) bad(`${at}.${f}`, 'a number', m[f]);
      if (m.epoch !== k + 1) bad(`${at}.epoch`, `${k + 1}`, m.epoch);
      for (const f of ['trainAccuracy', 'testAccuracy'] as const) if ((m[f] as number) < 0 || (m[f] as number) > 1) bad(`${at}.${f}`, 'a number from 0 to 1', m[f]);
    });
  });
  return value as unknown as MnistResults;
}
