/** The MNIST view's settings form, read into a sweep, and the line that says what Train will run (pure: tested in Node). */
import { copiesOf } from '../../mnist/sweep';
import { DEFAULT_COPY, DEFAULT_RUN, type CopySettings, type RunSettings } from '../../mnist/training';

/** The form's fields as typed. */
export interface MnistFormValues { lr: string; seeds: string; dropout: string; epochs: string; train: string; test: string; schedule: string }

/** A bad field and the message that names its fix. */
export interface FieldError { field: keyof MnistFormValues; message: string }

/** Most copies the page trains at once (memory: each CPU copy takes about 100 MB at batch 128). */
export const MAX_PAGE_COPIES = 32;

/**
 * What the form asks for: a runnable sweep; fields to fix (`errors`); or well-formed fields whose combinations exceed
 * MAX_PAGE_COPIES (`tooMany`: the copy count, with the run it would be).
 */
export type MnistFormRead =
  | { ok: true; run: RunSettings; copies: CopySettings[] }
  | { ok: false; errors: FieldError[]; tooMany?: { copies: number; lr: number; dropout: number; seeds: number; run: RunSettings } };

function list(text: string, field: 'lr' | 'dropout', name: string, ok: (x: number) => boolean, what: string, errors: FieldError[]): number[] {
  const values = text.split(/[\s,;]+/).filter(Boolean).map(Number);
  if (values.length === 0 || !values.every((x) => Number.isFinite(x) && ok(x))) {
    errors.push({ field, message: `${name}: "${text}" is not a list of ${what}; write numbers separated by commas, e.g. ${field === 'lr' ? '0.05, 0.1' : '0, 0.05'}.` });
    return [];
  }
  return [...new Set(values)];
}

function whole(text: string, field: keyof MnistFormValues, name: string, min: number, max: number, errors: FieldError[]): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || n < min || n > max) { errors.push({ field, message: `${name}: "${text}" must be a whole number from ${min} to ${max}.` }); return min; }
  return n;
}

/** The run and its copies, or what stands in the way (each bad field with its fix, or too many copies). */
export function readMnistForm(v: MnistFormValues): MnistFormRead {
  const errors: FieldError[] = [];
  const lr = list(v.lr, 'lr', 'Learning rates', (x) => x > 0 && x <= 10, 'learning rates above 0 and at most 10', errors);
  const dropout = list(v.dropout, 'dropout', 'Dropout rates', (x) => x >= 0 && x < 1, 'rates from 0 up to (not including) 1', errors);
  const seeds = whole(v.seeds, 'seeds', 'Seeds', 1, 64, errors);
  const epochs = whole(v.epochs, 'epochs', 'Epochs', 1, 50, errors);
  const train = whole(v.train, 'train', 'Training images', 1, 60000, errors);
  const test = whole(v.test, 'test', 'Test images', 1, 10000, errors);
  const schedule = v.schedule === 'step' ? 'step' : 'onecycle';
  if (errors.length) return { ok: false, errors };
  const run: RunSettings = { ...DEFAULT_RUN, epochs, schedule, trainLimit: train, testLimit: test };
  const copies = copiesOf({ lr, dropout, seeds: Array.from({ length: seeds }, (_, i) => i + 1) }, DEFAULT_COPY);
  if (copies.length > MAX_PAGE_COPIES) return { ok: false, errors: [], tooMany: { copies: copies.length, lr: lr.length, dropout: dropout.length, seeds, run } };
  return { ok: true, run, copies };
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "4 copies × 2 epochs × 10,000 images": the size of a sweep in copies, epochs and training images per epoch. */
function size(copies: number, run: RunSettings): string {
  return `${plural(copies, 'copy', 'copies')} × ${plural(run.epochs, 'epoch', 'epochs')} × ${plural(run.trainLimit, 'image', 'images')}`;
}

/**
 * The line under the form: what Train will run; over the copy limit, the limit and how to get under it; with bad
 * fields, which ones stop it.
 * Example: "4 copies × 1 epoch × 2,000 images = 8,000 image-steps".
 */
export function planLine(read: MnistFormRead): string {
  if (read.ok) return `${size(read.copies.length, read.run)} = ${(read.copies.length * read.run.epochs * read.run.trainLimit).toLocaleString('en-US')} image-steps`;
  if (read.tooMany) {
    const t = read.tooMany;
    return `${size(t.copies, t.run)}: ${plural(t.lr, 'learning rate', 'learning rates')} × ${plural(t.dropout, 'dropout rate', 'dropout rates')} × ${plural(t.seeds, 'seed', 'seeds')} make ${t.copies} copies; the page trains at most ${MAX_PAGE_COPIES} at once. ` +
      `Use fewer values, or the command line (npm run mnist) for larger sweeps.`;
  }
  const names: Record<keyof MnistFormValues, string> = { lr: 'Learning rates', dropout: 'Dropout rates', seeds: 'Seeds', epochs: 'Epochs', train: 'Training images', test: 'Test images', schedule: 'Schedule' };
  return `Nothing to train until ${read.errors.map((e) => names[e.field]).join(', ')} ${read.errors.length === 1 ? 'is' : 'are'} fixed.`;
}

/**
 * The field errors to show after an edit: those of `current` whose fields are already showing an error (a fixed field's
 * error goes at once, a still-bad one updates), or all of `current` when the user committed a field or pressed Train.
 */
export function errorsToShow(current: FieldError[], shown: FieldError[], commit: boolean): FieldError[] {
  if (commit) return current;
  const flagged = new Set(shown.map((e) => e.field));
  return current.filter((e) => flagged.has(e.field));
}
