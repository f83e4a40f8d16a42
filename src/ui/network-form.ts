/**
 * The sweep form's network choice (issue 20): the course's 2-2-2 network or the fractal paper's MLP (Sohl-Dickstein
 * 2024), the MLP's fields, and which fields and axis parameters belong to each kind. The MLP's controls carry the
 * spec's own paths ("network.width", "data.points", "minibatch.size", "initOffsetEveryStep"), so validation messages
 * land beside them. Field texts ↔ spec is pure (tested in Node); the DOM part builds, fills, shows and hides.
 */
import { DEFAULT_CONVERGENCE } from '../core/outputs';
import { appliesTo, AXIS_PARAMS, overlap, type AxisParam, type NetworkKind } from '../core/parameters';
import { MLP_ACTIVATIONS, MLP_DEFAULTS, MLP_LIMITS, MLP_SCALINGS, mlpParameterCount, type MlpSweepSpec } from '../core/spec';
import { control, controlText, el, field, group, numberInput, numberOrText, select, showField, type Raw } from './form-controls';

/** The network menu: value and label. */
export const NETWORK_CHOICES: ReadonlyArray<{ kind: NetworkKind; label: string }> = [
  { kind: 'course', label: 'course 2-2-2' },
  { kind: 'mlp', label: 'MLP (fractal paper)' },
];

/** The MLP's number fields: spec path, label, and the default a blank field takes (its placeholder). */
const MLP_NUMBERS: ReadonlyArray<{ path: string; label: string; blank: string }> = [
  { path: 'network.inputs', label: `inputs d (1–${MLP_LIMITS.inputs})`, blank: String(MLP_DEFAULTS.inputs) },
  { path: 'network.width', label: `width n (1–${MLP_LIMITS.width})`, blank: String(MLP_DEFAULTS.width) },
  { path: 'network.outputs', label: `outputs o (1–${MLP_LIMITS.outputs})`, blank: String(MLP_DEFAULTS.outputs) },
  { path: 'data.points', label: `data points P (1–${MLP_LIMITS.points})`, blank: 'd·n + n·o' },
  { path: 'data.seed', label: 'data seed', blank: String(MLP_DEFAULTS.dataSeed) },
  { path: 'minibatch.size', label: 'minibatch size', blank: 'full batch' },
  { path: 'minibatch.seed', label: 'minibatch seed', blank: String(MLP_DEFAULTS.minibatchSeed) },
];

/** Every MLP field's path (number fields, the two menus, the checkbox). */
export const MLP_PATHS = [...MLP_NUMBERS.map((f) => f.path), 'network.activation', 'network.scaling', 'initOffsetEveryStep'] as const;

/** The course network's own fields, hidden for the MLP (the `values` group holds inputs, targets and weights). */
export const COURSE_ONLY_PATHS = ['preset', 'activation', 'momentum', 'values'] as const;

/**
 * The raw spec fields that the MLP's field texts describe (`text(path)`: a field's text, a checkbox's "true"/"false").
 * Blank fields are left out, so the spec's defaults apply; a blank minibatch size means full batch. Pure.
 */
export function readMlpFields(text: (path: string) => string): Raw {
  const fields = (entries: Array<[string, unknown]>): Raw => Object.fromEntries(entries.filter(([, v]) => v !== undefined && v !== ''));
  const num = (path: string) => numberOrText(text(path));
  const raw: Raw = {
    network: fields([['kind', 'mlp'], ['inputs', num('network.inputs')], ['width', num('network.width')], ['outputs', num('network.outputs')],
      ['activation', text('network.activation')], ['scaling', text('network.scaling')]]),
  };
  const data = fields([['points', num('data.points')], ['seed', num('data.seed')]]);
  if (Object.keys(data).length) raw.data = data;
  const size = num('minibatch.size');
  if (size !== undefined) raw.minibatch = fields([['size', size], ['seed', num('minibatch.seed')]]);
  if (text('initOffsetEveryStep') === 'true') raw.initOffsetEveryStep = true;
  return raw;
}

/** The MLP field texts of a normalized MLP spec: every value written out, so the form shows what the view ran. Pure. */
export function mlpFieldTexts(spec: MlpSweepSpec): Record<(typeof MLP_PATHS)[number], string> {
  const { network: n, data, minibatch } = spec;
  return {
    'network.inputs': String(n.inputs), 'network.width': String(n.width), 'network.outputs': String(n.outputs),
    'network.activation': n.activation, 'network.scaling': n.scaling,
    'data.points': String(data.points), 'data.seed': String(data.seed),
    'minibatch.size': minibatch ? String(minibatch.size) : '', 'minibatch.seed': minibatch ? String(minibatch.seed) : '',
    initOffsetEveryStep: String(spec.initOffsetEveryStep),
  };
}

/** The axis parameters offered for `kind`: those whose PARAMETERS row applies to it. */
export const axisParamsFor = (kind: NetworkKind): AxisParam[] => AXIS_PARAMS.filter((p) => appliesTo(p, kind));

/**
 * The parameter an axis shows after the network changed to `kind`: `current` when it applies (or is none, or unknown:
 * validation names it), else the paper's lrHidden (x) or lrOutput (y), or the first that does not overlap `other`.
 */
export function axisParamFor(axis: 'x' | 'y', current: string, other: string, kind: NetworkKind): string {
  if (current === 'none' || !(AXIS_PARAMS as readonly string[]).includes(current) || appliesTo(current as AxisParam, kind)) return current;
  const known = (AXIS_PARAMS as readonly string[]).includes(other) ? (other as AxisParam) : undefined;
  const choices = axisParamsFor(kind).filter((p) => !known || !overlap(p, known));
  const preferred = axis === 'x' ? 'lrHidden' : 'lrOutput';
  return choices.includes(preferred) ? preferred : choices[0];
}

/** The convergence rule a spec of `kind` takes by default: the paper's tail mean for the MLP. */
export const defaultConvergence = (kind: NetworkKind) => (kind === 'mlp' ? 'tail-mean' : DEFAULT_CONVERGENCE);

/** The network menu, for the top of the form. */
export function networkField(): HTMLLabelElement {
  const menu = el('select', {}, NETWORK_CHOICES.map((c) => el('option', { value: c.kind, textContent: c.label }))) as HTMLSelectElement;
  return Object.assign(field('network', 'network.kind', menu), { title: "The course's 2-2-2 network, or the fractal paper's MLP (Sohl-Dickstein 2024)" });
}

/** The MLP's fieldset (hidden until the network menu says MLP). */
export function mlpFieldset(): HTMLFieldSetElement {
  const offset = el('input', { type: 'checkbox' }) as HTMLInputElement;
  const node = group('mlp', 'MLP: sizes, data, minibatch', [
    ...MLP_NUMBERS.slice(0, 3).map((f) => field(f.label, f.path, Object.assign(numberInput('1'), { placeholder: f.blank }))),
    field('activation', 'network.activation', select(MLP_ACTIVATIONS)),
    Object.assign(field('scaling', 'network.scaling', select(MLP_SCALINGS)), { title: 'mean-field: z = X·W0/√d, output = h·W1/n (the paper); standard: output = h·W1/√n' }),
    ...MLP_NUMBERS.slice(3).map((f) => field(f.label, f.path, Object.assign(numberInput('1'), { placeholder: f.blank }))),
    Object.assign(field('re-add the offset every step', 'initOffsetEveryStep', offset), { className: 'check', title: 'initOffset is added to W0 before every step (the public notebook), not once before training' }),
  ]);
  node.hidden = true;
  node.addEventListener('input', () => showPointsDefault(node));
  return node;
}

/** The data-points placeholder: d·n + n·o of the sizes as typed (the default P). */
function showPointsDefault(node: HTMLElement): void {
  const size = (path: string, blank: number) => { const v = Number(node.querySelector<HTMLInputElement>(`[data-path="${path}"]`)!.value.trim() || blank); return Number.isInteger(v) && v > 0 ? v : NaN; };
  const p = mlpParameterCount({ inputs: size('network.inputs', MLP_DEFAULTS.inputs), width: size('network.width', MLP_DEFAULTS.width), outputs: size('network.outputs', MLP_DEFAULTS.outputs) });
  node.querySelector<HTMLInputElement>('[data-path="data.points"]')!.placeholder = Number.isNaN(p) ? 'd·n + n·o' : `${p} (d·n + n·o)`;
}

/** The network kind the form's menu names (anything but "mlp", a link's unknown kind included, shows the course's fields). */
export const formKind = (form: HTMLFormElement): NetworkKind => (control(form, 'network.kind').value === 'mlp' ? 'mlp' : 'course');

/** The MLP's raw spec fields as the form holds them. */
export const readMlpForm = (form: HTMLFormElement): Raw => readMlpFields((path) => controlText(control(form, path)));

/** Fills the MLP's fields from `spec` (an MLP spec), or blanks them (a course spec: the defaults show). */
export function fillMlpForm(form: HTMLFormElement, spec: MlpSweepSpec | undefined): void {
  const texts = spec ? mlpFieldTexts(spec) : undefined;
  for (const path of MLP_PATHS) {
    const c = control(form, path);
    if (c instanceof HTMLInputElement && c.type === 'checkbox') c.checked = texts?.[path] === 'true';
    else c.value = texts?.[path] ?? (c instanceof HTMLSelectElement ? c.options[0].value : '');
  }
  showPointsDefault(form.querySelector<HTMLElement>('[data-path="mlp"]')!);
}

/**
 * Shows the fields of the form's network kind and offers only the axis parameters that apply to it. `switched`: the
 * person changed the menu, so an axis on a parameter that no longer applies moves to one that does, and the
 * convergence rule becomes the kind's default.
 */
export function syncNetworkKind(form: HTMLFormElement, switched: boolean): void {
  const kind = formKind(form);
  for (const path of COURSE_ONLY_PATHS) showField(form, path, kind === 'course');
  showField(form, 'mlp', kind === 'mlp');
  form.querySelector('[data-path="init"] > legend')!.textContent = kind === 'mlp' ? 'initial weights W0, W1 (random draw; replicas draw more)' : 'random initialization (for a seed axis or replicas)';
  for (const axis of ['x', 'y'] as const) {
    const menu = control(form, `${axis}.param`) as HTMLSelectElement;
    if (switched) menu.value = axisParamFor(axis, menu.value, control(form, `${axis === 'x' ? 'y' : 'x'}.param`).value, kind);
    for (const option of menu.options) {
      const off = (AXIS_PARAMS as readonly string[]).includes(option.value) && !appliesTo(option.value as AxisParam, kind);
      option.hidden = off && option.value !== menu.value; // a link's parameter stays visible, and validation names it
      option.disabled = off && option.value !== menu.value;
    }
  }
  if (switched) {
    control(form, 'convergence').value = defaultConvergence(kind);
    // The initial weights the other network draws by default become this one's (the MLP's: N(0, 1), seed 2).
    const init = INIT_PATHS.map((path) => control(form, path).value.trim());
    if (init.every((v, i) => v === '' || v === INIT_DEFAULTS[kind === 'mlp' ? 'course' : 'mlp'][i])) INIT_PATHS.forEach((path, i) => { control(form, path).value = INIT_DEFAULTS[kind][i]; });
  }
}

const INIT_PATHS = ['init.distribution', 'init.scale', 'init.seed'] as const;
/** The random initialization each kind takes when the spec names none (src/core/spec.ts parseSpec), as field texts. */
export const INIT_DEFAULTS: Record<NetworkKind, readonly string[]> = { course: ['uniform', '1', '0'], mlp: ['normal', '1', String(MLP_DEFAULTS.initSeed)] };
