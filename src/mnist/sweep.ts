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
  /** What trained it: "cpu (float32 WebAssembly, 2 threads)", "webgpu (…)". */
  engine: string;
  copies: CopyRecord[];
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
