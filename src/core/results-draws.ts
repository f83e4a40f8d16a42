/**
 * The random draws of an MLP sweep as its results file records them, so that any other tool (numpy, Julia, …) can
 * recompute any cell without this project's generator: the data x [P][d] and targets y [P][o], the initial weights of
 * draw 0 split as w0 [d][n] (row i = input i) and w1 [n][o] (before a cell's initScale and initOffset), and for a
 * minibatch run the point indices batches [steps][m] (0 … P − 1). Each is a row-major nested list under `draws`, or,
 * when it holds more than DRAW_INLINE_MAX numbers, a .npy file beside results.json (float64; int32 for batches) named
 * under `drawFiles`. Draw k of a seed axis is mlpInitialWeights(spec, k), split the same way; only draw 0 is recorded.
 * Pure: the CLI's writer and reader (src/cli/results-file.ts) do the files.
 */
import { mlpInitialWeights, mlpProblem } from '../mlp/problem';
import { isMlp, type MlpSweepSpec, type SweepSpec } from './spec';

/** The recorded draws, in the order they are written. */
export const DRAW_NAMES = ['x', 'y', 'w0', 'w1', 'batches'] as const;
export type DrawName = (typeof DRAW_NAMES)[number];

/** Draws of more numbers than this go to a .npy file beside results.json. */
export const DRAW_INLINE_MAX = 1 << 16;

/** One draw: its values row-major (Int32Array for batches, else Float64Array) and its shape [rows, columns]. */
export interface Draw { values: Float64Array | Int32Array; shape: [number, number] }

/** What each draw is made from, for messages: "data.seed 1". */
const SOURCE: Record<DrawName, (spec: MlpSweepSpec) => string> = {
  x: (s) => `data.seed ${s.data.seed}`,
  y: (s) => `data.seed ${s.data.seed}`,
  w0: (s) => `init ${s.init.distribution}, scale ${s.init.scale}, seed ${s.init.seed}, draw 0`,
  w1: (s) => `init ${s.init.distribution}, scale ${s.init.scale}, seed ${s.init.seed}, draw 0`,
  batches: (s) => `minibatch.seed ${s.minibatch?.seed}`,
};

/** The draws of an MLP spec (batches only for a minibatch run), by name. */
export function mlpDraws(spec: MlpSweepSpec): Partial<Record<DrawName, Draw>> {
  const p = mlpProblem(spec), w = mlpInitialWeights(spec, 0);
  const { d, n, o, points } = p;
  const draws: Partial<Record<DrawName, Draw>> = {
    x: { values: p.x, shape: [points, d] },
    y: { values: p.y, shape: [points, o] },
    w0: { values: w.slice(0, d * n), shape: [d, n] },
    w1: { values: w.slice(d * n), shape: [n, o] },
  };
  if (p.batches) draws.batches = { values: p.batches, shape: [p.steps, p.m] };
  return draws;
}

/** A draw as a row-major nested list [rows][columns]. */
export function nested(draw: Draw): number[][] {
  const [rows, cols] = draw.shape;
  return Array.from({ length: rows }, (_, r) => Array.from(draw.values.subarray(r * cols, (r + 1) * cols)));
}

/** Whether a draw goes inline (nested list) or to a .npy file. */
export const drawIsInline = (draw: Draw) => draw.values.length <= DRAW_INLINE_MAX;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (Array.isArray(v) ? `a list of ${v.length} entries` : typeof v === 'number' ? String(v) : v === undefined ? 'nothing' : typeof v === 'object' && v !== null ? 'an object' : JSON.stringify(v));

/**
 * Why the recorded draws disagree with `spec`, naming the field ("draws.w0[3][7]: 0.51; the spec (…) gives 0.52"), or
 * undefined. `inline` is the file's `draws` (absent: a file from before draws were recorded, accepted when `files`
 * is empty too), `files` the draws read from the .npy files named under `drawFiles` (`fileNames` their names). A
 * course (2-2-2) spec records none.
 */
export function drawsProblem(spec: SweepSpec, inline: unknown, files: Partial<Record<string, Draw>> = {}, fileNames: Partial<Record<string, string>> = {}): string | undefined {
  const fromFiles = Object.keys(files);
  if (!isMlp(spec)) return inline !== undefined || fromFiles.length ? `${inline !== undefined ? 'draws' : 'drawFiles'}: present, but the spec is not an MLP (its network has no random draws)` : undefined;
  if (inline === undefined && fromFiles.length === 0) return undefined;
  if (inline !== undefined && !isObject(inline)) return `draws: ${show(inline)}; expected an object of ${DRAW_NAMES.join(', ')}`;
  const stored = (inline ?? {}) as Record<string, unknown>;
  const want = mlpDraws(spec);
  for (const name of [...Object.keys(stored), ...fromFiles]) {
    if (!(name in want)) return `${name in stored ? 'draws' : 'drawFiles'}.${name}: not a draw of this spec, which has ${Object.keys(want).join(', ')}`;
    if (name in stored && name in files) return `draws.${name}: also under drawFiles; a draw is in one place`;
  }
  for (const [name, draw] of Object.entries(want) as Array<[DrawName, Draw]>) {
    const [rows, cols] = draw.shape, source = `the spec (${SOURCE[name](spec)}) gives`;
    if (name in files) {
      const got = files[name]!, field = `drawFiles.${name} (${fileNames[name] ?? 'its file'})`;
      if (got.values.constructor !== draw.values.constructor) return `${field}: holds ${got.values.constructor.name} values, not ${draw.values.constructor.name}`;
      if (got.shape.join() !== draw.shape.join()) return `${field}: shape (${got.shape.join(', ')}); ${source} (${rows}, ${cols})`;
      for (let i = 0; i < draw.values.length; i++) {
        if (!Object.is(got.values[i], draw.values[i])) return `${field}[${Math.floor(i / cols)}][${i % cols}]: ${got.values[i]}; ${source} ${draw.values[i]}`;
      }
      continue;
    }
    const rowsGot = stored[name];
    if (rowsGot === undefined) return `draws.${name}: missing; ${source} ${rows} × ${cols} numbers`;
    if (!Array.isArray(rowsGot) || rowsGot.length !== rows) return `draws.${name}: ${show(rowsGot)}; ${source} ${rows} rows of ${cols}`;
    for (let r = 0; r < rows; r++) {
      const row = rowsGot[r];
      if (!Array.isArray(row) || row.length !== cols) return `draws.${name}[${r}]: ${show(row)}; ${source} ${cols} numbers`;
      for (let c = 0; c < cols; c++) {
        // === : JSON writes −0 as 0
        if (row[c] !== draw.values[r * cols + c]) return `draws.${name}[${r}][${c}]: ${show(row[c])}; ${source} ${draw.values[r * cols + c]}`;
      }
    }
  }
  return undefined;
}
