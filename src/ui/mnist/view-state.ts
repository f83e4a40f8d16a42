/**
 * The MNIST view's part of the page state (src/ui/state.ts): the form's settings as last trained or linked, the
 * selected copy, and which of the runs held in memory is shown and compared. Its actions are applied here, its URL rows
 * (one per form field, keyed by the settings table's flags, and `copy`) read and write it. Pure, tested in Node. The
 * runs' results (curves, weights, predictions) stay in the panel's memory (panel.ts), keyed by these ids.
 */
import { parseMnistSettings } from '../../mnist/settings';
import { FORM_FIELDS, MAX_PAGE_COPIES, rowOf, type MnistFormValues } from './form';

/** The form as the page opens it (index.html's values), in the canonical text formText writes. */
export const FORM_DEFAULTS: Readonly<Required<MnistFormValues>> = {
  lr: '0.05, 0.1', seeds: '2', dropout: '0.05', epochs: '2', train: '10000', test: '2000', schedule: 'onecycle', engine: 'auto',
};

export const FORM_FIELD_NAMES = Object.keys(FORM_DEFAULTS) as (keyof MnistFormValues)[];

export interface MnistView {
  /** The form's fields (canonical text): the last Train's, or a link's. */
  form: Required<MnistFormValues>;
  /** The selected copy: an index into the shown run's copies, or the loaded weights (never in a link). */
  copy: number | 'loaded';
  /** The runs held in memory, oldest first: their ids (1, 2, …, never reused) and the form each was trained with. */
  runs: ReadonlyArray<{ id: number; form: string }>;
  /** The run in the table, heatmap, gallery and drawing; the run whose curves are drawn dashed beside it. */
  shown?: number;
  compared?: number;
}

export const INITIAL_MNIST: MnistView = { form: { ...FORM_DEFAULTS }, copy: 0, runs: [] };

export type MnistAction =
  /** A link's or a history entry's settings and copy: the run trained with those settings, if one is held, is shown. */
  | { type: 'mnist-open'; form: Required<MnistFormValues>; copy: number }
  /** Train pressed: run `id` with `form` is shown, the one shown before compared beside it. */
  | { type: 'mnist-train'; id: number; form: Required<MnistFormValues> }
  | { type: 'mnist-show'; id: number }
  | { type: 'mnist-compare'; id: number | undefined }
  | { type: 'mnist-discard'; id: number }
  | { type: 'mnist-select'; copy: number | 'loaded' };

/** One key per form: equal forms, equal keys. */
export const formKey = (form: Required<MnistFormValues>): string => FORM_FIELD_NAMES.map((f) => form[f]).join('|');

/** The MNIST view after `action`. Pure. */
export function reduceMnist(m: MnistView, action: MnistAction): MnistView {
  switch (action.type) {
    case 'mnist-open': {
      const held = m.runs.filter((r) => r.form === formKey(action.form)).at(-1)?.id;
      const shown = held ?? m.shown;
      return { ...m, form: action.form, copy: action.copy, shown, compared: m.compared === shown ? undefined : m.compared };
    }
    case 'mnist-train':
      // A link's copy applies to the first run trained under it; after that a new run starts at copy 0.
      return { form: action.form, runs: [...m.runs, { id: action.id, form: formKey(action.form) }], shown: action.id, compared: m.shown, copy: m.shown === undefined && m.copy !== 'loaded' ? m.copy : 0 };
    case 'mnist-show':
      return m.runs.some((r) => r.id === action.id) ? { ...m, shown: action.id, compared: m.compared === action.id ? undefined : m.compared, copy: 0 } : m;
    case 'mnist-compare':
      return { ...m, compared: action.id };
    case 'mnist-discard': {
      const runs = m.runs.filter((r) => r.id !== action.id);
      const compared = m.compared === action.id ? undefined : m.compared;
      if (m.shown !== action.id) return { ...m, runs, compared };
      const shown = runs.at(-1)?.id;
      return { ...m, runs, shown, compared: compared === shown ? undefined : compared, copy: m.copy === 'loaded' ? 'loaded' : 0 };
    }
    case 'mnist-select':
      return { ...m, copy: action.copy };
  }
}

/**
 * The field's text in canonical form ("0.05, 0.1"; "cpu" for its alias "cpu-f32"), or the table's message when it is
 * not a value of the field's setting (src/mnist/settings.ts).
 */
export function formText(field: keyof MnistFormValues, text: string): { ok: true; text: string } | { ok: false; message: string } {
  const flag = FORM_FIELDS[field], read = parseMnistSettings({ [flag]: text });
  if (!read.ok) return { ok: false, message: read.errors[0] };
  const value = read.settings[rowOf(field).name];
  return { ok: true, text: Array.isArray(value) ? value.join(', ') : String(value) };
}

/** The form in canonical text, each field as formText writes it (a bad field stays as typed: Train refuses it). */
export const canonicalForm = (v: MnistFormValues): Required<MnistFormValues> =>
  Object.fromEntries(FORM_FIELD_NAMES.map((f) => { const t = formText(f, v[f] ?? FORM_DEFAULTS[f]); return [f, t.ok ? t.text : v[f]]; })) as Required<MnistFormValues>;

/** A URL row of the MNIST view (the shape of url-table.ts's rows, over the MNIST part of a reading). */
export interface MnistUrlRow {
  key: string;
  /** Applies the parameter's text (a bad value adds a note to `notes` and keeps the default). */
  read(text: string, into: { form: Required<MnistFormValues>; copy: number }, notes: string[]): void;
  /** The parameter's text, or undefined to leave it out (its default). */
  write(m: MnistView): string | undefined;
}

/** One row per form field, keyed by its setting's flag (lr, seeds, train-limit, backend, …), then the selected copy. */
export const MNIST_URL_ROWS: readonly MnistUrlRow[] = [
  ...FORM_FIELD_NAMES.map((field): MnistUrlRow => ({
    key: FORM_FIELDS[field],
    read(text, into, notes) {
      const t = formText(field, text);
      if (t.ok) into.form[field] = t.text;
      else notes.push(`${FORM_FIELDS[field]}: "${text}": ${t.message.slice(t.message.indexOf(': expected ') + 2)}; the form keeps ${FORM_DEFAULTS[field]}.`);
    },
    // Lists go into a link without their spaces: lr=0.05,0.1.
    write: (m) => (m.form[field] === FORM_DEFAULTS[field] ? undefined : m.form[field].replace(/, /g, ',')),
  })),
  {
    key: 'copy',
    read(text, into, notes) {
      if (/^\d+$/.test(text) && Number(text) < MAX_PAGE_COPIES) into.copy = Number(text);
      else notes.push(`copy: "${text}" is not a copy's number (0 … ${MAX_PAGE_COPIES - 1}); copy 0 is selected.`);
    },
    write: (m) => (typeof m.copy === 'number' && m.copy > 0 ? String(m.copy) : undefined),
  },
];
