/** The MNIST view's settings form, read into a sweep (pure: tested in Node). */
import { copiesOf } from '../../mnist/sweep';
import { DEFAULT_COPY, DEFAULT_RUN, type CopySettings, type RunSettings } from '../../mnist/training';

/** The form's fields as typed. */
export interface MnistFormValues { lr: string; seeds: string; dropout: string; epochs: string; train: string; test: string; schedule: string }

/** Most copies the page trains at once (memory: each CPU copy takes about 100 MB at batch 128). */
export const MAX_PAGE_COPIES = 32;

function list(text: string, name: string, ok: (x: number) => boolean, what: string, errors: string[]): number[] {
  const values = text.split(/[\s,;]+/).filter(Boolean).map(Number);
  if (values.length === 0 || !values.every((x) => Number.isFinite(x) && ok(x))) {
    errors.push(`${name}: "${text}" is not a list of ${what}; write numbers separated by commas, e.g. ${name === 'Learning rates' ? '0.05, 0.1' : '0, 0.05'}.`);
    return [];
  }
  return [...new Set(values)];
}

function whole(text: string, name: string, min: number, max: number, errors: string[]): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || n < min || n > max) { errors.push(`${name}: "${text}" must be a whole number from ${min} to ${max}.`); return min; }
  return n;
}

/** The run and its copies, or messages naming each bad field and its fix. */
export function readMnistForm(v: MnistFormValues): { ok: true; run: RunSettings; copies: CopySettings[] } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const lr = list(v.lr, 'Learning rates', (x) => x > 0 && x <= 10, 'learning rates above 0 and at most 10', errors);
  const dropout = list(v.dropout, 'Dropout rates', (x) => x >= 0 && x < 1, 'rates from 0 up to (not including) 1', errors);
  const seeds = whole(v.seeds, 'Seeds', 1, 64, errors);
  const epochs = whole(v.epochs, 'Epochs', 1, 50, errors);
  const train = whole(v.train, 'Training images', 1, 60000, errors);
  const test = whole(v.test, 'Test images', 1, 10000, errors);
  const schedule = v.schedule === 'step' ? 'step' : 'onecycle';
  if (errors.length) return { ok: false, errors };
  const copies = copiesOf({ lr, dropout, seeds: Array.from({ length: seeds }, (_, i) => i + 1) }, DEFAULT_COPY);
  if (copies.length > MAX_PAGE_COPIES) {
    return { ok: false, errors: [`${lr.length} learning rates × ${dropout.length} dropout rates × ${seeds} seeds make ${copies.length} copies; the page trains at most ${MAX_PAGE_COPIES} at once. Use fewer values, or the command line (npm run mnist) for larger sweeps.`] };
  }
  return { ok: true, run: { ...DEFAULT_RUN, epochs, schedule, trainLimit: train, testLimit: test }, copies };
}
