/**
 * The MNIST view's runs: every sweep trained on the page stays, with its settings, per-epoch metrics, weights and
 * test predictions, until the user discards it; a stop keeps whatever it reached, down to the fraction of the first
 * epoch. The shown run's curves are drawn with those of one compared run (dashed). Pure: tested in Node.
 */
import { bestEpoch, formatPercent, type MnistResults } from '../../mnist/sweep';
import type { EpochMetrics } from '../../mnist/training';

/** One copy's latest trained state and how far it got. */
export interface CopyState {
  params?: Float32Array | Float64Array; stats?: Float32Array | Float64Array; predictions?: Uint8Array;
  /** Epochs trained, with the running epoch's fraction of batches: 1.37 = epoch 2 is 37% done. */
  epochsTrained?: number;
}

/** One sweep trained on the page. */
export interface MnistRun {
  /** 1, 2, 3 … in the order Train was pressed; never reused after a discard. */
  id: number;
  results: MnistResults;
  copies: CopyState[];
  outcome: 'running' | 'finished' | 'stopped' | 'failed';
  /** performance.now() at Train (ms). */
  startedMs: number;
  /** performance.now() at the first batch (ms): the ETA counts from here, leaving out the data's download. */
  firstBatchMs?: number;
  /** Train to the end (ms), once it ended. */
  elapsedMs?: number;
}

/** "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor(s / 60) % 60).padStart(2, '0')} min`;
}

/** Copy-epochs trained, fractions of running epochs included, out of copies × epochs. */
export function copyEpochs(run: MnistRun): { done: number; total: number } {
  const done = run.results.copies.reduce((sum, c, i) => sum + Math.max(c.epochs.length, Math.min(run.copies[i]?.epochsTrained ?? 0, c.epochs.length + 1)), 0);
  return { done, total: run.results.copies.length * run.results.run.epochs };
}

/**
 * Elapsed time and, once a batch has run, the time left at the rate so far:
 * "25% of 4 copy-epochs · 30 s elapsed · about 1 min 15 s left" (30 s of batches for a quarter: 90 s more).
 */
export function progressLine(run: MnistRun, nowMs: number): string {
  const { done, total } = copyEpochs(run), elapsed = `${formatDuration(nowMs - run.startedMs)} elapsed`;
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  if (run.firstBatchMs === undefined || fraction <= 0) return `${elapsed} · time left: after the first batches`;
  const leftMs = ((nowMs - run.firstBatchMs) / fraction) * (1 - fraction);
  return `${Math.floor(100 * fraction)}% of ${total} copy-epochs · ${elapsed} · about ${formatDuration(leftMs)} left`;
}

/** A copy's state for the table: "epoch 2: 37%" while it trains, "stopped in epoch 1 at 37%" after a stop there. */
export function copyStateText(run: MnistRun, copy: number): string {
  const record = run.results.copies[copy], trained = run.copies[copy]?.epochsTrained ?? 0;
  const partial = trained > record.epochs.length ? `epoch ${record.epochs.length + 1}${record.state === 'stopped' ? ' at' : ':'} ${Math.floor(100 * (trained - record.epochs.length))}%` : '';
  if (record.state === 'running') return partial || 'running';
  if (record.state === 'stopped' && partial) return `stopped in ${partial}`;
  return record.state;
}

/** How a run ended, in words: "finished in 42 s", "stopped before the first epoch ended (at 37% of epoch 1)". */
export function outcomeText(run: MnistRun): string {
  const took = run.elapsedMs === undefined ? '' : ` after ${formatDuration(run.elapsedMs)}`;
  if (run.outcome === 'running') return 'training';
  if (run.outcome === 'finished') return `finished in ${formatDuration(run.elapsedMs ?? 0)}`;
  if (run.outcome === 'failed') return `failed${took}`;
  const epochs = Math.max(...run.results.copies.map((c) => c.epochs.length));
  if (epochs > 0) return `stopped${took} with ${epochs} of ${run.results.run.epochs} epochs`;
  const furthest = Math.max(0, ...run.copies.map((c) => c.epochsTrained ?? 0));
  return `stopped${took} before the first epoch ended (${furthest > 0 ? `at ${Math.floor(100 * furthest)}% of epoch 1` : 'no batch had run'}): no curves or weights`;
}

const values = (xs: number[]) => xs.join(', ');

/** "Run 2: 2 copies × 1 epoch × 500 images (lr 0.1, 0.05; dropout 0.05; 1 seed) · finished in 42 s · best 85.20%". */
export function describeRun(run: MnistRun): string {
  const r = run.results, s = r.copies.map((c) => c.settings);
  const distinct = (pick: (c: (typeof s)[number]) => number) => [...new Set(s.map(pick))];
  const seeds = distinct((c) => c.seed).length;
  const best = Math.max(-1, ...r.copies.map((c) => bestEpoch(c)?.testAccuracy ?? -1));
  return `Run ${run.id}: ${s.length} ${s.length === 1 ? 'copy' : 'copies'} × ${r.run.epochs} ${r.run.epochs === 1 ? 'epoch' : 'epochs'} × ${r.run.trainLimit.toLocaleString('en-US')} images ` +
    `(lr ${values(distinct((c) => c.lr))}; dropout ${values(distinct((c) => c.dropout))}; ${seeds} ${seeds === 1 ? 'seed' : 'seeds'}) · ${outcomeText(run)}` +
    (best >= 0 ? ` · best ${formatPercent(best)}` : '');
}

/** A curve for charts.ts's drawCurves. */
export interface RunCurve { label: string; values: number[]; color: string; dashed: boolean; width: number }

/**
 * The curves of `shown` (solid; the selected copy thicker) and, when given, of `compared` (dashed), labelled with
 * their run when there are two; a compared copy takes the colour of the shown copy with the same settings, so a
 * setting's two runs pair up. Every curve has one value per epoch of the longer run (NaN where a copy has none).
 */
export function runCurves(shown: MnistRun, compared: MnistRun | undefined, selected: number | 'loaded', pick: (e: EpochMetrics) => number, colors: readonly string[]): RunCurve[] {
  const runs = compared ? [shown, compared] : [shown];
  const n = Math.max(0, ...runs.flatMap((r) => r.results.copies.map((c) => c.epochs.length)));
  const key = (s: MnistResults['copies'][number]['settings']) => `${s.lr}|${s.dropout}|${s.seed}`;
  const colourOf = new Map(shown.results.copies.map((c, i) => [key(c.settings), colors[i % colors.length]]));
  let spare = shown.results.copies.length;
  return runs.flatMap((run) => run.results.copies.map((c, i) => {
    const dashed = run !== shown, s = c.settings;
    const color = dashed ? colourOf.get(key(s)) ?? colors[spare++ % colors.length] : colourOf.get(key(s))!;
    return {
      label: `${compared ? `run ${run.id} · ` : ''}lr ${s.lr} · d ${s.dropout} · s ${s.seed}`,
      values: Array.from({ length: n }, (_, k) => (c.epochs[k] ? pick(c.epochs[k]) : NaN)),
      color, dashed, width: !dashed && selected === i ? 3 : 1.5,
    };
  }));
}
