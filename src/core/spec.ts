/**
 * The sweep specification (DESIGN §2): its JSON schema, strict validation with messages a person can act on, and
 * normalization (every default filled in, so the normalized spec alone reproduces the sweep).
 */
import { z } from 'zod';
import { ACTIVATIONS } from './network';
import { CONVERGENCE_RULE_NAMES, CONVERGENCE_RULES, DEFAULT_CONVERGENCE, type ConvergenceRule } from './outputs';
import { AXIS_PARAMS, outOfRange, overlap, parameter, SPEC_SETTINGS, type AxisParam, type NetworkKind } from './parameters';
import { PRESETS, PRESET_NAMES, type PresetName } from './presets';
import { describeValue, finite, pair, setting, size } from './spec-fields';
import { dataSchema, kindErrors, minibatchSchema, MLP_DEFAULTS, networkSchema, normalizeMlp, type MlpNetwork } from './spec-mlp';

export { AXIS_PARAMS, type AxisParam } from './parameters';
export { describeValue } from './spec-fields';
export { MLP_ACTIVATIONS, MLP_DEFAULTS, MLP_LIMITS, MLP_SCALINGS, mlpParameterCount, type MlpActivation, type MlpNetwork } from './spec-mlp';

/** Largest sweep accepted: cells (4096 × 4096) and cells × steps (network-steps, e.g. 4096² cells × 8192 steps). */
export const MAX_CELLS = 4096 * 4096;
export const MAX_STEPS = 1_000_000;
export const MAX_NETWORK_STEPS = 2 ** 37;

/** Most replicas (random initializations) a cell may train. */
export const MAX_REPLICAS = 4096;
/** How a replica sweep draws its initial weights: the same R draws in every cell, or R of its own per cell. */
export const REPLICA_DRAWS = ['common', 'independent'] as const;
/** What a replica sweep keeps: each cell's summary over its replicas, or also every replica's outputs. */
export const REPLICA_KEEPS = ['summary', 'all'] as const;

const axisSchema = z.strictObject({
  param: z.enum(AXIS_PARAMS, { error: `must be one of ${AXIS_PARAMS.join(', ')}` }),
  min: finite('the first value of the axis').optional(),
  max: finite('the last value of the axis').optional(),
  count: z.number({ error: 'must be a positive integer (number of cells along the axis)' })
    .int({ error: 'must be a positive integer (number of cells along the axis)' })
    .min(1, { error: 'must be a positive integer (number of cells along the axis)' }).optional(),
  scale: z.enum(['log', 'linear'], { error: 'must be "log" or "linear"' }).optional(),
  values: z.array(finite('an axis value'), { error: 'must be a list of finite numbers' })
    .min(1, { error: 'must hold at least one value' }).optional(),
}, { error: (issue) => (issue.input === undefined ? 'missing; every sweep needs an x axis, e.g. {"param": "lr", "min": 0.01, "max": 10, "count": 64, "scale": "log"}' : 'must be an axis object such as {"param": "lr", "min": 0.01, "max": 10, "count": 64, "scale": "log"}') });

const initSchema = z.strictObject({
  distribution: z.enum(['uniform', 'normal'], { error: 'must be "uniform" (U(−scale, scale)) or "normal" (N(0, scale²))' }).default('uniform'),
  scale: finite('the spread of the random weights').positive({ error: 'must be > 0 (the spread of the random weights)' }).default(1),
  seed: z.number({ error: 'must be an integer from 0 to 4294967295' }).int({ error: 'must be an integer from 0 to 4294967295' })
    .min(0, { error: 'must be an integer from 0 to 4294967295' }).max(0xffffffff, { error: 'must be an integer from 0 to 4294967295' }).default(0),
}, { error: 'must be an object such as {"distribution": "uniform", "scale": 1, "seed": 7}' });


const replicasSchema = z.strictObject({
  count: size(MAX_REPLICAS, 'random initializations per cell'),
  draws: z.enum(REPLICA_DRAWS, { error: 'must be "common" (the same draws 0 … count−1 in every cell) or "independent" (draws of their own per cell)' }).optional(),
  keep: z.enum(REPLICA_KEEPS, { error: 'must be "summary" (each cell\'s counts, probability and medians) or "all" (also every replica\'s outputs)' }).optional(),
}, { error: 'must be an object such as {"count": 64}' });

const specSchema = z.strictObject({
  preset: z.enum(PRESET_NAMES as [PresetName, ...PresetName[]], { error: `must be one of ${PRESET_NAMES.join(', ')}` }).default('era-v1'),
  activation: z.enum(ACTIVATIONS, { error: `must be one of ${ACTIVATIONS.join(', ')}` }).default('sigmoid'),
  steps: z.number({ error: `must be an integer from 1 to ${MAX_STEPS}` }).int({ error: `must be an integer from 1 to ${MAX_STEPS}` })
    .min(1, { error: `must be an integer from 1 to ${MAX_STEPS}` }).max(MAX_STEPS, { error: `must be an integer from 1 to ${MAX_STEPS}` }).default(1000),
  threshold: finite('the loss below which a cell counts as converged').positive({ error: 'must be > 0 (the loss below which a cell counts as converged)' }).default(1e-4),
  convergence: z.enum(CONVERGENCE_RULE_NAMES as [ConvergenceRule, ...ConvergenceRule[]], { error: `must be one of ${CONVERGENCE_RULES.map((r) => `"${r.name}" (${r.detail})`).join('; ')}` }).optional(),
  ...(Object.fromEntries(SPEC_SETTINGS.map((row) => [row.spec!, setting(row)])) as Record<'lr' | 'lrHidden' | 'lrOutput' | 'momentum', ReturnType<typeof setting>>),
  inputs: pair('[i1, i2]').optional(),
  targets: pair('[t1, t2]').optional(),
  biases: pair('[hidden bias, output bias], fixed').optional(),
  weights: z.array(finite('an initial weight'), { error: 'must be a list of eight finite numbers [w1 … w8]' })
    .length(8, { error: 'must be a list of eight finite numbers [w1 … w8]' }).optional(),
  init: initSchema.optional(),
  network: networkSchema.optional(),
  data: dataSchema.optional(),
  minibatch: minibatchSchema.nullable().optional(),
  initOffsetEveryStep: z.boolean({ error: 'must be true or false (add initOffset to W0 before every step, as the public notebook does, or once)' }).optional(),
  replicas: replicasSchema.optional(),
  x: axisSchema,
  y: axisSchema.nullable().optional(),
}, { error: 'must be a JSON object with at least an "x" axis, e.g. {"x": {"param": "lr", "min": 0.01, "max": 10, "count": 64, "scale": "log"}}' });

type AxisInput = z.infer<typeof axisSchema>;

/** A normalized axis: a range (log or linear) or an explicit list of values. */
export type Axis =
  | { param: AxisParam; min: number; max: number; count: number; scale: 'log' | 'linear' }
  | { param: AxisParam; values: number[] };

/**
 * A normalized sweep spec: every field present, so it reproduces the sweep on its own. The fields from `preset` to
 * `weights` describe the course network; `network`, `data`, `minibatch` and `initOffsetEveryStep` are present exactly
 * when it trains the MLP (`isMlp`), and then the course fields hold their defaults and mean nothing.
 */
export interface SweepSpec {
  preset: PresetName;
  activation: (typeof ACTIVATIONS)[number];
  steps: number;
  threshold: number;
  /** When a cell that did not diverge counts as converged (CONVERGENCE_RULES); a spec without it means ends-below (tail-mean, the paper's, for the mlp). */
  convergence: ConvergenceRule;
  lrHidden: number;
  lrOutput: number;
  /** Heavy-ball momentum β of every cell off a momentum axis; 0: the sheet's plain gradient descent. */
  momentum: number;
  inputs: [number, number];
  targets: [number, number];
  biases: [number, number];
  weights: number[];
  init: { distribution: 'uniform' | 'normal'; scale: number; seed: number };
  network?: MlpNetwork;
  /** The MLP's data: P points X (P × d) and targets Y (P × o), every entry N(0, 1) from `seed`. */
  data?: { points: number; seed: number };
  /** Each step's gradient on `size` points drawn with replacement from `seed` (the loss tracked is full-batch); null: full batch. */
  minibatch?: { size: number; seed: number } | null;
  /** Add initOffset to W0 before every step (the public notebook) rather than once before training. */
  initOffsetEveryStep?: boolean;
  /**
   * Present in a replica sweep: each cell trains `count` networks whose initial weights are draws of `init` (scaled
   * by the cell's initScale): draws 0 … count−1 in every cell ("common"), or cell·count … cell·count + count−1
   * ("independent"); `keep` "all" keeps every replica's outputs beside each cell's summary.
   */
  replicas?: Replicas;
  x: Axis;
  y: Axis | null;
}

/** A replica sweep's settings (SweepSpec.replicas). */
export interface Replicas { count: number; draws: (typeof REPLICA_DRAWS)[number]; keep: (typeof REPLICA_KEEPS)[number] }

/** A spec that trains the MLP: its network, data and minibatch settings present. */
export type MlpSweepSpec = SweepSpec & { network: MlpNetwork; data: { points: number; seed: number }; minibatch: { size: number; seed: number } | null; initOffsetEveryStep: boolean };

/** Whether `spec` trains the fractal paper's MLP (otherwise the course's 2-2-2 network). */
export const isMlp = (spec: SweepSpec): spec is MlpSweepSpec => spec.network?.kind === 'mlp';

/** The network kind a spec trains. */
export const networkKind = (spec: SweepSpec): NetworkKind => (isMlp(spec) ? 'mlp' : 'course');

export type SpecResult = { ok: true; spec: SweepSpec } | { ok: false; errors: string[] };

/** The default learning rate when a spec names none: the sheet's middle value. */
export const DEFAULT_LR = 0.5;

const ALLOWED_KEYS: Record<string, string[]> = {
  '': Object.keys(specSchema.shape), x: Object.keys(axisSchema.shape), y: Object.keys(axisSchema.shape), init: Object.keys(initSchema.shape),
  network: Object.keys(networkSchema.shape), replicas: Object.keys(replicasSchema.shape), data: Object.keys(dataSchema.shape), minibatch: Object.keys(minibatchSchema.shape),
};

function describeIssue(issue: z.core.$ZodIssue & { input?: unknown }): string {
  const field = issue.path.join('.') || 'spec';
  if (issue.code === 'unrecognized_keys') {
    const allowed = ALLOWED_KEYS[issue.path.join('.')] ?? [];
    return `${field}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => describeValue(k)).join(', ')}; allowed keys are ${allowed.join(', ')}`;
  }
  return `${field}: ${issue.message}${issue.input === undefined ? '' : `; got ${describeValue(issue.input)}`}`;
}

/** How deep a spec's JSON nests at most: a spec is three levels deep (spec → axis → values). */
export const MAX_SPEC_DEPTH = 8;

/** Depth of nested arrays and objects in `value`, counted without recursion (a hostile file may nest 10⁵ levels). */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function axisErrors(name: 'x' | 'y', axis: AxisInput): string[] {
  const errors: string[] = [];
  const has = (k: keyof AxisInput) => axis[k] !== undefined;
  // Each parameter's range holds on an axis as at the top level (a negative learning rate climbs the loss).
  const bad = axis.values?.find((v) => outOfRange(axis.param, v));
  if (bad !== undefined) errors.push(`${name}.values: ${outOfRange(axis.param, bad)}; got ${describeValue(bad)}`);
  for (const end of ['min', 'max'] as const) {
    if (axis[end] !== undefined && outOfRange(axis.param, axis[end]!)) errors.push(`${name}.${end}: ${outOfRange(axis.param, axis[end]!)}; got ${axis[end]}`);
  }
  if (axis.param === 'seed') {
    if (has('min') || has('max') || has('scale')) errors.push(`${name}: a seed axis takes "count" (draws 0 … count−1) or "values" (draw indices), not min/max/scale`);
    if (has('count') === has('values')) errors.push(`${name}: a seed axis needs exactly one of "count" or "values"`);
    if (axis.values?.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) errors.push(`${name}.values: seed axis values must be integers from 0 to 4294967295; got ${JSON.stringify(axis.values)}`);
    return errors;
  }
  if (has('values')) {
    if (has('min') || has('max') || has('count') || has('scale')) errors.push(`${name}: give either "values" or "min", "max", "count" (and "scale"), not both`);
    return errors;
  }
  for (const k of ['min', 'max', 'count'] as const) if (!has(k)) errors.push(`${name}.${k}: missing; a range axis needs min, max and count (or give "values")`);
  if (errors.length) return errors;
  const { min, max } = axis as Required<AxisInput>;
  if (axis.count! > 1 && !(min < max)) errors.push(`${name}: min (${min}) must be less than max (${max})`);
  if ((axis.scale ?? 'linear') === 'log' && !(min > 0)) errors.push(`${name}.min: a log axis needs min > 0; got ${min} (use "scale": "linear" to cross zero)`);
  return errors;
}

/** Validates `input` (parsed JSON or an object) and returns the normalized spec, or every problem found. */
export function parseSpec(input: unknown): SpecResult {
  if (nestingDepth(input, MAX_SPEC_DEPTH) > MAX_SPEC_DEPTH) return { ok: false, errors: [`spec: nested more than ${MAX_SPEC_DEPTH} levels deep; a spec is a flat object whose axes hold lists of numbers, e.g. {"x": {"param": "lr", "values": [0.1, 1]}}`] };
  const parsed = specSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map(describeIssue) };
  const raw = parsed.data;
  const errors = [...axisErrors('x', raw.x), ...(raw.y ? axisErrors('y', raw.y) : []), ...kindErrors(raw)];
  if (raw.replicas && [raw.x, raw.y].some((axis) => axis?.param === 'seed')) errors.push('replicas: a seed axis and replicas both choose the initial draws; sweep the draws with one of them (replicas.count R is the seed axis 0 … R−1 folded into each cell)');
  if (raw.y && raw.y.param === raw.x.param) errors.push(`y.param: both axes sweep "${raw.x.param}"; choose a different parameter for y`);
  else if (raw.y && overlap(raw.x.param, raw.y.param)) {
    errors.push(`y.param: "${raw.x.param}" and "${raw.y.param}" set the same thing (${parameter(raw.x.param).label}; ${parameter(raw.y.param).label}), so they cannot share a sweep`);
  }
  if (errors.length) return { ok: false, errors };
  // Sizes first, from the counts: a seed axis becomes a list of `count` draws, which must not be built before the
  // limit is checked (count 2^32 would take the memory of the machine).
  const cells = inputLength(raw.x) * (raw.y ? inputLength(raw.y) : 1), R = raw.replicas?.count ?? 1, networks = cells * R;
  const counts = `${raw.y ? 'x.count × y.count' : 'x.count'}${raw.replicas ? ' × replicas.count' : ''}`;
  if (cells > MAX_CELLS) {
    errors.push(`${raw.y ? 'x.count × y.count' : 'x.count'}: the sweep has ${cells.toLocaleString('en-US')} cells; at most ${MAX_CELLS.toLocaleString('en-US')} (4096 × 4096) are allowed: lower a count`);
  } else if (networks > MAX_CELLS) {
    errors.push(`${counts}: ${cells.toLocaleString('en-US')} cells × ${R.toLocaleString('en-US')} replicas = ${networks.toLocaleString('en-US')} networks; at most ${MAX_CELLS.toLocaleString('en-US')} are allowed: lower replicas.count or a count`);
  } else if (networks * raw.steps > MAX_NETWORK_STEPS) {
    errors.push(`steps: ${networks.toLocaleString('en-US')} ${raw.replicas ? 'networks (cells × replicas)' : 'cells'} × ${raw.steps.toLocaleString('en-US')} steps = ${(networks * raw.steps).toLocaleString('en-US')} network-steps; at most ${MAX_NETWORK_STEPS.toLocaleString('en-US')} (e.g. 4096 × 4096 cells × 8192 steps) are allowed: lower steps, replicas.count or a count`);
  }
  if (errors.length) return { ok: false, errors };
  const x = normalizeAxis(raw.x), y = raw.y ? normalizeAxis(raw.y) : null;
  const preset = PRESETS[raw.preset];
  const lr = raw.lr ?? DEFAULT_LR;
  const mlp = raw.network?.kind === 'mlp' ? normalizeMlp(raw) : {};
  return {
    ok: true,
    spec: {
      preset: raw.preset,
      activation: raw.activation,
      steps: raw.steps,
      threshold: raw.threshold,
      convergence: raw.convergence ?? (raw.network?.kind === 'mlp' ? 'tail-mean' : DEFAULT_CONVERGENCE),
      lrHidden: raw.lrHidden ?? lr,
      lrOutput: raw.lrOutput ?? lr,
      momentum: raw.momentum ?? 0,
      inputs: raw.inputs ?? [...preset.inputs],
      targets: raw.targets ?? [...preset.targets],
      biases: raw.biases ?? [...preset.biases],
      weights: raw.weights ?? [...preset.weights],
      init: initSchema.parse(raw.init ?? (raw.network?.kind === 'mlp' ? { distribution: 'normal', seed: MLP_DEFAULTS.initSeed } : {})),
      ...mlp,
      ...(raw.replicas ? { replicas: { count: raw.replicas.count, draws: raw.replicas.draws ?? 'common', keep: raw.replicas.keep ?? 'summary' } } : {}),
      x,
      y,
    },
  };
}

/** A spec as parsed, before normalization. */
export type RawSpec = z.infer<typeof specSchema>;

/** Parses JSON text and validates it; a JSON syntax error is reported like any other spec error. */
export function parseSpecText(text: string): SpecResult {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, '')); // editors on Windows may start a UTF-8 file with a byte-order mark
  } catch (e) {
    return { ok: false, errors: [`spec: not valid JSON (${(e as Error).message}); a spec is a JSON object such as {"x": {"param": "lr", "min": 0.1, "max": 10, "count": 64, "scale": "log"}}`] };
  }
  return parseSpec(json);
}

function normalizeAxis(axis: AxisInput): Axis {
  if (axis.param === 'seed' && axis.count !== undefined) return { param: 'seed', values: Array.from({ length: axis.count }, (_, k) => k) };
  if (axis.values) return { param: axis.param, values: [...axis.values] };
  return { param: axis.param, min: axis.min!, max: axis.max!, count: axis.count!, scale: axis.scale ?? 'linear' };
}

/** Whether some cell of `spec` may have a momentum other than 0 (the kernels then keep velocities). */
export function usesMomentum(spec: SweepSpec): boolean {
  return spec.momentum !== 0 || spec.x.param === 'momentum' || spec.y?.param === 'momentum';
}

/** Replicas per cell: replicas.count, or 1 in a plain sweep. */
export const replicaCount = (spec: SweepSpec): number => spec.replicas?.count ?? 1;

/** Number of cells along an axis as written (before normalization). */
function inputLength(axis: AxisInput): number {
  return axis.values?.length ?? axis.count ?? 1;
}

/** Number of cells along an axis. */
export function axisLength(axis: Axis): number {
  return 'values' in axis ? axis.values.length : axis.count;
}
