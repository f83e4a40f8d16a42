/**
 * The settings of an MNIST sweep: one row each (in the spirit of PARAMETERS in src/core/parameters.ts), from which the
 * command line (src/cli/mnist.ts), the page's form (src/ui/mnist/form.ts: its checks and its controls' min and max)
 * and a link read and check a sweep. Pure: a bad value comes back as a message naming the field and the fix.
 *
 * One set of limits serves every surface (the command line's, the larger: the page's form takes them as they are).
 * What a surface adds is about its machine, not the setting: the command line refuses more copies than the machine's
 * memory holds (checkCopyCount in src/cli/mnist.ts), the page more than MAX_PAGE_COPIES (each CPU copy is a web
 * worker of about 100 MB).
 */
import type { Arithmetic } from '../core/arithmetic';
import { copiesOf } from './sweep';
import { DEFAULT_COPY, DEFAULT_RUN, type CopySettings, type RunSettings } from './training';

/**
 * The engines, named as `npm run sweep` names them (its `auto | webgpu | cpu`): auto takes the GPU unless it is missing
 * or a CPU emulation (chooseDevice in src/core/engine.ts), then the CPU. One difference, said in the usage text: on
 * MNIST the CPU engine's default arithmetic is float32 (`cpu`; the sweep's word for it, `cpu-f32`, is taken too),
 * and float64 is the slow reference, `cpu-f64`, kept for checking.
 */
export const MNIST_BACKENDS = ['auto', 'webgpu', 'cpu', 'cpu-f64'] as const;
export type MnistBackend = (typeof MNIST_BACKENDS)[number];
/** Other words taken for a backend: the sweep's name of the float32 CPU engine. */
export const MNIST_BACKEND_ALIASES: Readonly<Record<string, MnistBackend>> = { 'cpu-f32': 'cpu' };

/** A backend as the two words every layer uses (src/core/arithmetic.ts): the device asked for, and the arithmetic. */
export function backendEngine(backend: MnistBackend): { device: 'auto' | 'webgpu' | 'cpu'; arithmetic: Arithmetic } {
  return backend === 'cpu-f64' ? { device: 'cpu', arithmetic: 'float64' } : { device: backend, arithmetic: 'float32' };
}

/** A checked sweep: the lists whose combinations make the copies, the run's settings, and the engine asked for. */
export interface MnistSettings {
  lr: number[];
  dropout: number[];
  /** Seeds 1…seeds. */
  seeds: number;
  epochs: number;
  batch: number;
  schedule: RunSettings['schedule'];
  stepEvery: number;
  rotation: number;
  dataSeed: number;
  /** 0: all. */
  trainLimit: number;
  testLimit: number;
  momentum: number;
  weightDecay: number;
  backend: MnistBackend;
}
export type MnistSettingName = keyof MnistSettings;

/**
 * One setting: its name in MnistSettings, its command-line flag (also its key in a link and in parseMnistSettings'
 * input), its label on the page, its kind and default, and its limits: at least `min`, at most `max`, above `above`,
 * below `below` (each when given); a choice's words.
 */
export interface MnistSettingRow {
  name: MnistSettingName;
  flag: string;
  label: string;
  kind: 'numbers' | 'integer' | 'number' | 'choice';
  /** What a value is, before its limits: "learning rates", "a momentum". */
  noun: string;
  default: number | readonly number[] | string;
  min?: number;
  max?: number;
  above?: number;
  below?: number;
  choices?: readonly string[];
}

export const MNIST_SETTINGS = [
  { name: 'lr', flag: 'lr', label: 'Learning rates', kind: 'numbers', noun: 'learning rates', default: [DEFAULT_COPY.lr], above: 0, below: 100 },
  { name: 'dropout', flag: 'dropout', label: 'Dropout rates', kind: 'numbers', noun: 'dropout rates', default: [DEFAULT_COPY.dropout], min: 0, below: 1 },
  { name: 'seeds', flag: 'seeds', label: 'Seeds', kind: 'integer', noun: 'seeds', default: 1, min: 1, max: 10000 },
  { name: 'epochs', flag: 'epochs', label: 'Epochs', kind: 'integer', noun: 'epochs', default: DEFAULT_RUN.epochs, min: 1, max: 1000 },
  { name: 'batch', flag: 'batch', label: 'Mini-batch size', kind: 'integer', noun: 'images a batch', default: DEFAULT_RUN.batch, min: 1, max: 4096 },
  { name: 'schedule', flag: 'schedule', label: 'Schedule', kind: 'choice', noun: 'a schedule', default: DEFAULT_RUN.schedule, choices: ['onecycle', 'step'] },
  { name: 'stepEvery', flag: 'step-every', label: 'Epochs between steps', kind: 'integer', noun: 'epochs', default: DEFAULT_RUN.stepEvery, min: 1, max: 1000 },
  { name: 'rotation', flag: 'rotation', label: 'Rotation', kind: 'number', noun: 'degrees', default: DEFAULT_RUN.rotation, min: 0, max: 180 },
  { name: 'dataSeed', flag: 'data-seed', label: 'Data seed', kind: 'integer', noun: 'a seed', default: DEFAULT_RUN.dataSeed, min: 0, max: 2 ** 32 - 1 },
  // 0 (the default): every image.
  { name: 'trainLimit', flag: 'train-limit', label: 'Training images', kind: 'integer', noun: 'images', default: DEFAULT_RUN.trainLimit, min: 1, max: 60000 },
  { name: 'testLimit', flag: 'test-limit', label: 'Test images', kind: 'integer', noun: 'images', default: DEFAULT_RUN.testLimit, min: 1, max: 10000 },
  { name: 'momentum', flag: 'momentum', label: 'Momentum', kind: 'number', noun: 'a momentum', default: DEFAULT_COPY.momentum, min: 0, below: 1 },
  { name: 'weightDecay', flag: 'weight-decay', label: 'Weight decay', kind: 'number', noun: 'a decay', default: DEFAULT_COPY.weightDecay, min: 0 },
  { name: 'backend', flag: 'backend', label: 'Engine', kind: 'choice', noun: 'an engine', default: 'auto', choices: MNIST_BACKENDS },
] as const satisfies readonly MnistSettingRow[];

/** The row of `name`. */
export const mnistSetting = (name: MnistSettingName): MnistSettingRow => MNIST_SETTINGS.find((r) => r.name === name)!;

/** The defaults of every setting. */
export const DEFAULT_MNIST_SETTINGS: MnistSettings = Object.fromEntries(
  MNIST_SETTINGS.map((r: MnistSettingRow) => [r.name, Array.isArray(r.default) ? [...r.default] : r.default]),
) as unknown as MnistSettings;

/** The row's limits in words: "above 0 and below 100", "from 1 to 1000", "in [0, 1)", "≥ 0". */
export function limitsText(row: MnistSettingRow): string {
  const n = (x: number) => x.toLocaleString('en-US');
  if (row.kind === 'choice') return `one of ${row.choices!.slice(0, -1).join(', ')} or ${row.choices!.at(-1)}`;
  if (row.min !== undefined && row.max !== undefined) return `from ${n(row.min)} to ${n(row.max)}`;
  if (row.above !== undefined && row.below !== undefined) return `above ${n(row.above)} and below ${n(row.below)}`;
  if (row.min !== undefined && row.below !== undefined) return `in [${n(row.min)}, ${n(row.below)})`;
  if (row.min !== undefined) return `≥ ${n(row.min)}`;
  return '';
}

/** Whether `x` is within the row's limits. */
function within(row: MnistSettingRow, x: number): boolean {
  return Number.isFinite(x) && (row.min === undefined || x >= row.min) && (row.max === undefined || x <= row.max)
    && (row.above === undefined || x > row.above) && (row.below === undefined || x < row.below);
}

/** A bad setting and the message that names it and its fix. */
export interface MnistSettingError { name: MnistSettingName; message: string }

export type MnistSettingsRead =
  | { ok: true; settings: MnistSettings }
  | { ok: false; errors: string[]; problems: MnistSettingError[] };

/**
 * Reads and checks `input` (keyed by flag; an absent value takes the row's default). Messages name the field as
 * `naming` says, the command line's `--lr 0.1,x: …` or the page's `Learning rates "0.1, x": …`, with what to give.
 * Lists take commas, semicolons or spaces between values, and lose repeats.
 */
export function parseMnistSettings(input: Record<string, string | undefined>, naming: 'flag' | 'label' = 'flag'): MnistSettingsRead {
  const settings: Record<string, unknown> = { ...DEFAULT_MNIST_SETTINGS };
  const problems: MnistSettingError[] = [];
  for (const row of MNIST_SETTINGS as readonly MnistSettingRow[]) {
    const text = input[row.flag];
    if (text === undefined) continue;
    const who = naming === 'flag' ? `--${row.flag} ${text}` : `${row.label} "${text}"`;
    const example = (value: string) => (naming === 'flag' ? `--${row.flag} ${value}` : value);
    const bad = (expected: string) => problems.push({ name: row.name, message: `${who}: expected ${expected}` });
    if (row.kind === 'choice') {
      const word = (row.name === 'backend' && MNIST_BACKEND_ALIASES[text.trim()]) || text.trim();
      if (row.choices!.includes(word)) settings[row.name] = word;
      else bad(limitsText(row));
    } else if (row.kind === 'numbers') {
      const values = text.split(/[\s,;]+/).filter(Boolean).map(Number);
      if (values.length && values.every((x) => within(row, x))) settings[row.name] = [...new Set(values)];
      else bad(`${row.noun} ${limitsText(row)}, comma-separated (e.g. ${example((row.default as readonly number[]).join(','))})`);
    } else if (row.kind === 'integer') {
      const x = Number(text);
      if (/^\s*\d+\s*$/.test(text) && within(row, x)) settings[row.name] = x;
      else bad(`a whole number ${limitsText(row)}`);
    } else {
      const x = Number(text);
      if (text.trim() !== '' && within(row, x)) settings[row.name] = x;
      else bad(`${row.noun} ${limitsText(row)} (one number, e.g. ${example(String(row.default))})`);
    }
  }
  if (problems.length) return { ok: false, errors: problems.map((p) => p.message), problems };
  return { ok: true, settings: settings as unknown as MnistSettings };
}

/** The run's settings (shared by every copy). */
export function runOf(s: MnistSettings): RunSettings {
  return { epochs: s.epochs, batch: s.batch, schedule: s.schedule, stepEvery: s.stepEvery, rotation: s.rotation, dataSeed: s.dataSeed, trainLimit: s.trainLimit, testLimit: s.testLimit };
}

/** How many copies the sweep trains: learning rates × dropout rates × seeds. */
export const copyCount = (s: MnistSettings): number => s.lr.length * s.dropout.length * s.seeds;

/** Every copy: one per learning rate × dropout rate × seed 1…seeds. */
export function copiesOfSettings(s: MnistSettings): CopySettings[] {
  return copiesOf({ lr: s.lr, dropout: s.dropout, seeds: Array.from({ length: s.seeds }, (_, i) => i + 1) }, { ...DEFAULT_COPY, momentum: s.momentum, weightDecay: s.weightDecay });
}
