/**
 * The parameters a sweep can put on an axis: one row each, from which the spec's schema and validation, the grid (how
 * an axis value sets a cell's set-up record), the form, A/B and the results derive. A row that names a `spec` field
 * is also a top-level setting of the spec (its value for every cell off the axis), which A/B may vary.
 */
import type { SetupField } from './network';

/** The network kinds a spec can train: the course's 2-2-2 network, or the fractal paper's mean-field MLP. */
export const NETWORK_KINDS = ['course', 'mlp'] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];
const BOTH = NETWORK_KINDS;

export interface ParameterRow {
  name: string;
  /** For people: what it is. */
  label: string;
  /**
   * How an axis value sets a cell: the set-up record fields it writes, scales every initial weight by it, adds it to
   * every initial weight of the input layer (w1…w4; the MLP's W0), or draws the initial weights with it.
   */
  sets: readonly SetupField[] | 'scale-weights' | 'offset-hidden-weights' | 'draw-weights';
  /** The network kinds it applies to (absent: the course network only). */
  kinds?: readonly NetworkKind[];
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
  { name: 'lr', label: 'learning rate η (both layers)', sets: ['lrHidden', 'lrOutput'], spec: 'lr', min: 0, scale: 'log', kinds: BOTH },
  { name: 'lrHidden', label: 'learning rate of the input layer (w1…w4; the MLP\'s W0)', sets: ['lrHidden'], spec: 'lrHidden', min: 0, scale: 'log', kinds: BOTH },
  { name: 'lrOutput', label: 'learning rate of the output layer (w5…w8; the MLP\'s W1)', sets: ['lrOutput'], spec: 'lrOutput', min: 0, scale: 'log', kinds: BOTH },
  { name: 'momentum', label: 'momentum β (heavy ball; 0 = the sheet)', sets: ['momentum'], spec: 'momentum', min: 0, below: 1, scale: 'linear' },
  { name: 'initScale', label: 'initial-weight scale (multiplies every initial weight)', sets: 'scale-weights', scale: 'log', kinds: BOTH },
  { name: 'initOffset', label: 'initial-weight offset (added to every input-layer weight: w1…w4, the MLP\'s W0)', sets: 'offset-hidden-weights', scale: 'linear', kinds: BOTH },
  weight(1), weight(2), weight(3), weight(4), weight(5), weight(6), weight(7), weight(8),
  { name: 'i1', label: 'input i1', sets: ['i1'], scale: 'linear' },
  { name: 'i2', label: 'input i2', sets: ['i2'], scale: 'linear' },
  { name: 't1', label: 'target t1', sets: ['t1'], scale: 'linear' },
  { name: 't2', label: 'target t2', sets: ['t2'], scale: 'linear' },
  { name: 'seed', label: 'random initialization (draw index)', sets: 'draw-weights', scale: 'linear', kinds: BOTH },
] as const satisfies readonly ParameterRow[];

export type AxisParam = (typeof PARAMETERS)[number]['name'];
export const AXIS_PARAMS = PARAMETERS.map((p) => p.name) as readonly AxisParam[] as [AxisParam, ...AxisParam[]];

/** Whether parameter `name` applies to networks of `kind`. */
export const appliesTo = (name: AxisParam, kind: NetworkKind): boolean => ((parameter(name).kinds as readonly NetworkKind[] | undefined) ?? ['course']).includes(kind);

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
