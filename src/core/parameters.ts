/**
 * The parameters a sweep can put on an axis: one row each, from which the spec's schema and validation, the grid (how
 * an axis value sets a cell's set-up record), the form, A/B and the results derive. A row that names a `spec` field
 * is also a top-level setting of the spec (its value for every cell off the axis), which A/B may vary.
 */
import type { SetupField } from './network';

export interface ParameterRow {
  name: string;
  /** For people: what it is. */
  label: string;
  /** How an axis value sets a cell: the set-up record fields it writes, scales w1…w8 by it, or draws w1…w8 with it. */
  sets: readonly SetupField[] | 'scale-weights' | 'draw-weights';
  /** The spec's top-level field holding its value off the axis (absent: the preset's, or none). */
  spec?: 'lr' | 'lrHidden' | 'lrOutput' | 'momentum';
  /** Allowed values: at least `min`, and below `below` when given. */
  min?: number;
  below?: number;
  /** The axis scale the form suggests for it. */
  scale: 'log' | 'linear';
}

const weight = (j: number): ParameterRow => ({ name: `w${j}`, label: `initial w${j}`, sets: [`w${j}` as SetupField], scale: 'linear' });

export const PARAMETERS = [
  { name: 'lr', label: 'learning rate η (both layers)', sets: ['lrHidden', 'lrOutput'], spec: 'lr', min: 0, scale: 'log' },
  { name: 'lrHidden', label: 'learning rate of w1…w4', sets: ['lrHidden'], spec: 'lrHidden', min: 0, scale: 'log' },
  { name: 'lrOutput', label: 'learning rate of w5…w8', sets: ['lrOutput'], spec: 'lrOutput', min: 0, scale: 'log' },
  { name: 'momentum', label: 'momentum β (heavy ball; 0 = the sheet)', sets: ['momentum'], spec: 'momentum', min: 0, below: 1, scale: 'linear' },
  { name: 'initScale', label: 'initial-weight scale (multiplies w1…w8)', sets: 'scale-weights', scale: 'log' },
  weight(1), weight(2), weight(3), weight(4), weight(5), weight(6), weight(7), weight(8),
  { name: 'i1', label: 'input i1', sets: ['i1'], scale: 'linear' },
  { name: 'i2', label: 'input i2', sets: ['i2'], scale: 'linear' },
  { name: 't1', label: 'target t1', sets: ['t1'], scale: 'linear' },
  { name: 't2', label: 'target t2', sets: ['t2'], scale: 'linear' },
  { name: 'seed', label: 'random initialization (draw index)', sets: 'draw-weights', scale: 'linear' },
] as const satisfies readonly ParameterRow[];

export type AxisParam = (typeof PARAMETERS)[number]['name'];
export const AXIS_PARAMS = PARAMETERS.map((p) => p.name) as readonly AxisParam[] as [AxisParam, ...AxisParam[]];

/** The row of `name`. */
export const parameter = (name: AxisParam): ParameterRow => PARAMETERS.find((p) => p.name === name)!;

/** The spec's top-level settings that come from parameter rows (lr, lrHidden, lrOutput, momentum). */
export const SPEC_SETTINGS = PARAMETERS.flatMap((p: ParameterRow) => (p.spec ? [p] : []));

/** Whether two parameters write a common record field (then they cannot share a sweep, or lr would fight lrHidden). */
export function overlap(a: AxisParam, b: AxisParam): boolean {
  const sa = parameter(a).sets, sb = parameter(b).sets;
  return a === b || (Array.isArray(sa) && Array.isArray(sb) && sa.some((f) => sb.includes(f)));
}

/** A value outside the row's allowed range, described, or undefined. */
export function outOfRange(name: AxisParam, value: number): string | undefined {
  const row = parameter(name);
  if (row.min !== undefined && value < row.min) return `${row.label} must be ≥ ${row.min}`;
  if (row.below !== undefined && value >= row.below) return `${row.label} must be < ${row.below}`;
  return undefined;
}
