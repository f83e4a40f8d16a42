/** The MNIST view's settings form, read into a sweep, and the line that says what Train will run (pure: tested in Node). */
import { backendEngine, copiesOfSettings, copyCount, MNIST_SETTINGS, mnistSetting, parseMnistSettings, runOf, type MnistSettingName, type MnistSettingRow } from '../../mnist/settings';
import type { CopySettings, RunSettings } from '../../mnist/training';

/** The form's fields as typed (`engine`: absent, auto). */
export interface MnistFormValues { lr: string; seeds: string; dropout: string; epochs: string; train: string; test: string; schedule: string; engine?: string }

/** A bad field and the message that names its fix. */
export interface FieldError { field: keyof MnistFormValues; message: string }

/**
 * Most copies the page trains at once (memory: each CPU copy is a web worker of about 100 MB at batch 128). The one
 * limit of the page's own beside the settings table's (src/mnist/settings.ts), which the command line shares.
 */
export const MAX_PAGE_COPIES = 32;

/** Each form field's setting in the table (src/mnist/settings.ts), by its flag. */
export const FORM_FIELDS: Readonly<Record<keyof MnistFormValues, string>> = {
  lr: 'lr', seeds: 'seeds', dropout: 'dropout', epochs: 'epochs', train: 'train-limit', test: 'test-limit', schedule: 'schedule', engine: 'backend',
};

const FIELDS = Object.keys(FORM_FIELDS) as (keyof MnistFormValues)[];
/** The table's row of a form field. */
export const rowOf = (field: keyof MnistFormValues): MnistSettingRow => (MNIST_SETTINGS as readonly MnistSettingRow[]).find((r) => r.flag === FORM_FIELDS[field])!;

/** The min and max of the form's number inputs, from the table's rows. */
export function formLimits(): { field: keyof MnistFormValues; min?: number; max?: number }[] {
  return FIELDS.flatMap((field) => {
    const row = rowOf(field);
    return row.kind === 'integer' ? [{ field, min: row.min, max: row.max }] : [];
  });
}

/**
 * What the form asks for: a runnable sweep (and the device asked for); fields to fix (`errors`); or well-formed fields
 * whose combinations exceed MAX_PAGE_COPIES (`tooMany`: the copy count, with the run it would be).
 */
export type MnistFormRead =
  | { ok: true; run: RunSettings; copies: CopySettings[]; device: 'auto' | 'webgpu' | 'cpu' }
  | { ok: false; errors: FieldError[]; tooMany?: { copies: number; lr: number; dropout: number; seeds: number; run: RunSettings } };

/** The run and its copies, or what stands in the way (each bad field with its fix, or too many copies). */
export function readMnistForm(v: MnistFormValues): MnistFormRead {
  const read = parseMnistSettings(Object.fromEntries(FIELDS.map((field) => [FORM_FIELDS[field], v[field]])), 'label');
  const fieldOf = (name: MnistSettingName) => FIELDS.find((f) => FORM_FIELDS[f] === mnistSetting(name).flag)!;
  if (!read.ok) return { ok: false, errors: read.problems.map((p) => ({ field: fieldOf(p.name), message: p.message })) };
  const s = read.settings, engine = backendEngine(s.backend);
  // The page's CPU engine is float32 only: the float64 reference runs from the command line.
  if (engine.arithmetic === 'float64') return { ok: false, errors: [{ field: 'engine', message: `Engine "${s.backend}": the page trains in float32 (auto, webgpu or cpu); the float64 reference runs from the command line (npm run mnist -- --backend cpu-f64)` }] };
  const run = runOf(s), copies = copyCount(s);
  if (copies > MAX_PAGE_COPIES) return { ok: false, errors: [], tooMany: { copies, lr: s.lr.length, dropout: s.dropout.length, seeds: s.seeds, run } };
  return { ok: true, run, copies: copiesOfSettings(s), device: engine.device };
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
  return `Nothing to train until ${read.errors.map((e) => rowOf(e.field).label).join(', ')} ${read.errors.length === 1 ? 'is' : 'are'} fixed.`;
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
