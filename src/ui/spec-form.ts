/**
 * The sweep form: one control per spec field, read into a raw spec object (blank = the preset's default), filled
 * from a spec, and annotated with validation messages next to the fields they name.
 */
import { ACTIVATIONS } from '../core/network';
import { CONVERGENCE_RULES } from '../core/outputs';
import { AXIS_PARAMS, overlap, PARAMETERS, SPEC_SETTINGS, type AxisParam } from '../core/parameters';
import { PRESETS, PRESET_NAMES, type PresetName } from '../core/presets';
import { isMlp, type SweepSpec } from '../core/spec';
import { control, el, field, fieldHidden, group, numberInput, numberOrText, select, type Raw } from './form-controls';
import { readReplicaFields, replicaFieldset, replicaFieldTexts, syncReplicaMeaning } from './replica-form';
import { defaultConvergence, fillMlpForm, formKind, mlpFieldset, networkField, readMlpForm, syncNetworkKind } from './network-form';

/** The parameters an axis offers (PARAMETERS), each with its description as a tooltip. */
function parameterSelect(withNone: boolean): HTMLSelectElement {
  const options = PARAMETERS.map((p) => el('option', { value: p.name, textContent: p.name, title: p.label }));
  return el('select', {}, withNone ? [el('option', { value: 'none', textContent: 'none' }), ...options] : options) as HTMLSelectElement;
}

function axisFieldset(name: 'x' | 'y'): HTMLFieldSetElement {
  return group(name, name === 'x' ? 'x axis (columns)' : 'y axis (rows)', [
    field('parameter', `${name}.param`, parameterSelect(name === 'y')),
    field('cells as', `${name}.kind`, select(['range', 'values'])),
    field('scale', `${name}.scale`, select(['log', 'linear'])),
    field('min', `${name}.min`, numberInput()),
    field('max', `${name}.max`, numberInput()),
    field('count', `${name}.count`, numberInput('1')),
    field('values (comma-separated)', `${name}.values`, Object.assign(numberInput(), { className: 'wide' })),
  ]);
}

/** Builds the form's controls into `form`. */
export function buildSpecForm(form: HTMLFormElement): void {
  form.replaceChildren(
    group('network', 'network and training', [
      networkField(),
      field('preset', 'preset', select(PRESET_NAMES)),
      field('activation', 'activation', select(ACTIVATIONS)),
      field('steps', 'steps', numberInput('1')),
      field('threshold', 'threshold', numberInput()),
      Object.assign(field('converged when', 'convergence', el('select', {}, CONVERGENCE_RULES.map((r) => el('option', { value: r.name, textContent: r.label, title: r.detail }))) as HTMLSelectElement), { title: 'When a cell that did not diverge counts as converged' }),
      // One field per setting of a parameter row (lr, lrHidden, lrOutput, momentum).
      ...SPEC_SETTINGS.map((row) => Object.assign(field(row.spec!, row.spec!, numberInput()), { title: row.label })),
    ]),
    mlpFieldset(),
    axisFieldset('x'),
    axisFieldset('y'),
    group('values', 'inputs, targets, initial weights (blank = preset)', [
      field('i1', 'inputs.0', numberInput()), field('i2', 'inputs.1', numberInput()),
      field('t1', 'targets.0', numberInput()), field('t2', 'targets.1', numberInput()),
      ...Array.from({ length: 8 }, (_, j) => field(`w${j + 1}`, `weights.${j}`, numberInput())),
    ]),
    group('init', 'random initialization (for a seed axis or replicas)', [
      field('distribution', 'init.distribution', select(['uniform', 'normal'])),
      field('scale', 'init.scale', numberInput()),
      field('seed', 'init.seed', numberInput('1')),
    ]),
    replicaFieldset(),
  );
  const preset = control(form, 'preset') as HTMLSelectElement;
  preset.addEventListener('change', () => showPresetPlaceholders(form, preset.value as PresetName));
  showPresetPlaceholders(form, 'era-v1');
  control(form, 'network.kind').addEventListener('change', () => syncKind(form, true));
  for (const axis of ['x', 'y'] as const) {
    control(form, `${axis}.kind`).addEventListener('change', () => syncAxisKind(form, axis));
    control(form, `${axis}.param`).addEventListener('change', () => { syncAxisKind(form, axis); syncSettings(form); });
  }
}

/** Disables the settings an axis sweeps (the axis sets them cell by cell), saying so. */
function syncSettings(form: HTMLFormElement): void {
  // Only parameters the table knows: a link's unknown one ("banana") is shown in its select, and named by validation.
  const onAxes = (['x', 'y'] as const).map((a) => control(form, `${a}.param`).value).filter((p): p is AxisParam => (AXIS_PARAMS as readonly string[]).includes(p));
  for (const row of SPEC_SETTINGS) {
    const input = control(form, row.spec!) as HTMLInputElement, swept = onAxes.find((p) => overlap(p, row.name as AxisParam));
    input.disabled = swept !== undefined;
    input.title = swept ? `${row.label}: set by the ${swept} axis` : row.label;
  }
}

/** Shows the network kind's fields and offers its axis parameters (then the axes and settings follow). */
function syncKind(form: HTMLFormElement, switched: boolean): void {
  syncNetworkKind(form, switched);
  syncAxisKind(form, 'x');
  syncAxisKind(form, 'y');
  syncSettings(form);
}

function showPresetPlaceholders(form: HTMLFormElement, name: PresetName): void {
  const p = PRESETS[name];
  p.inputs.forEach((v, i) => { (control(form, `inputs.${i}`) as HTMLInputElement).placeholder = String(v); });
  p.targets.forEach((v, i) => { (control(form, `targets.${i}`) as HTMLInputElement).placeholder = String(v); });
  p.weights.forEach((v, i) => { (control(form, `weights.${i}`) as HTMLInputElement).placeholder = String(v); });
}

/** Shows range controls or the values list, as the axis needs; hides all of a y axis set to none. */
function syncAxisKind(form: HTMLFormElement, axis: 'x' | 'y'): void {
  const param = control(form, `${axis}.param`).value;
  const values = control(form, `${axis}.kind`).value === 'values';
  const none = param === 'none', seed = param === 'seed';
  const show = (path: string, on: boolean) => { control(form, path).closest('label')!.hidden = !on; };
  // A seed axis is a count of draws (0 … count−1) or a list of draw indices.
  show(`${axis}.kind`, !none);
  show(`${axis}.scale`, !none && !seed && !values);
  show(`${axis}.min`, !none && !seed && !values);
  show(`${axis}.max`, !none && !seed && !values);
  show(`${axis}.count`, !none && !values);
  show(`${axis}.values`, !none && values);
}

const readNumber = (form: HTMLFormElement, path: string) => numberOrText(control(form, path).value); // a non-number goes through so validation names it

function readAxis(form: HTMLFormElement, axis: 'x' | 'y'): Raw | undefined {
  const param = control(form, `${axis}.param`).value;
  if (param === 'none') return undefined;
  if (param === 'seed' && control(form, `${axis}.kind`).value !== 'values') return { param, count: readNumber(form, `${axis}.count`) };
  if (control(form, `${axis}.kind`).value === 'values') {
    const text = control(form, `${axis}.values`).value.trim();
    return { param, values: text === '' ? [] : text.split(/[\s,]+/).map((v) => (Number.isNaN(Number(v)) ? v : Number(v))) };
  }
  return { param, min: readNumber(form, `${axis}.min`), max: readNumber(form, `${axis}.max`), count: readNumber(form, `${axis}.count`), scale: control(form, `${axis}.scale`).value };
}

function readList(form: HTMLFormElement, name: string, length: number, spec: Raw): void {
  const items = Array.from({ length }, (_, i) => readNumber(form, `${name}.${i}`));
  if (items.every((v) => v === undefined)) return;
  const preset = PRESETS[(spec.preset as PresetName) ?? 'era-v1'] as unknown as Record<string, number[]>;
  spec[name] = items.map((v, i) => v ?? preset[name]?.[i]);
}

/** The raw spec the form describes (blank fields omitted, so the preset's defaults apply). */
export function readSpecForm(form: HTMLFormElement): Raw {
  const mlp = formKind(form) === 'mlp';
  // The MLP's spec names its network, data and minibatch, and none of the course's fields (hidden in the form).
  const spec: Raw = mlp ? readMlpForm(form) : { preset: control(form, 'preset').value, activation: control(form, 'activation').value };
  spec.convergence = control(form, 'convergence').value;
  for (const key of ['steps', 'threshold', ...SPEC_SETTINGS.map((row) => row.spec!)]) {
    const v = readNumber(form, key);
    if (v !== undefined && !(control(form, key) as HTMLInputElement).disabled && !fieldHidden(form, key)) spec[key] = v;
  }
  if (!mlp) for (const [name, length] of [['inputs', 2], ['targets', 2], ['weights', 8]] as const) readList(form, name, length, spec);
  const init: Raw = { distribution: control(form, 'init.distribution').value };
  for (const key of ['scale', 'seed']) { const v = readNumber(form, `init.${key}`); if (v !== undefined) init[key] = v; }
  spec.init = init;
  const replicas = readReplicaFields((path) => control(form, path).value);
  if (replicas) spec.replicas = replicas;
  spec.x = readAxis(form, 'x');
  const y = readAxis(form, 'y');
  if (y) spec.y = y;
  return spec;
}

/** Fills the form from a normalized spec; inputs, targets and weights only where they differ from the preset's. */
export function fillSpecForm(form: HTMLFormElement, spec: SweepSpec): void {
  const set = (path: string, v: unknown) => { control(form, path).value = v === undefined ? '' : String(v); };
  const preset = PRESETS[spec.preset];
  set('network.kind', isMlp(spec) ? 'mlp' : 'course');
  fillMlpForm(form, isMlp(spec) ? spec : undefined);
  set('preset', spec.preset);
  showPresetPlaceholders(form, spec.preset);
  set('activation', spec.activation);
  set('steps', spec.steps);
  set('threshold', spec.threshold);
  set('convergence', spec.convergence);
  const same = spec.lrHidden === spec.lrOutput;
  set('lr', same ? spec.lrHidden : '');
  set('lrHidden', same ? '' : spec.lrHidden);
  set('lrOutput', same ? '' : spec.lrOutput);
  set('momentum', spec.momentum === 0 ? '' : spec.momentum);
  const list = (name: 'inputs' | 'targets' | 'weights', values: readonly number[], defaults: readonly number[]) => {
    const differs = values.some((v, i) => v !== defaults[i]);
    values.forEach((v, i) => set(`${name}.${i}`, differs ? v : ''));
  };
  list('inputs', spec.inputs, preset.inputs);
  list('targets', spec.targets, preset.targets);
  list('weights', spec.weights, preset.weights);
  set('init.distribution', spec.init.distribution);
  set('init.scale', spec.init.scale);
  set('init.seed', spec.init.seed);
  for (const [path, text] of Object.entries(replicaFieldTexts(spec.replicas))) set(path, text);
  for (const name of ['x', 'y'] as const) {
    const axis = spec[name];
    set(`${name}.param`, axis ? axis.param : 'none');
    const firstDraws = axis?.param === 'seed' && 'values' in axis && axis.values.every((v, i) => v === i);
    if (axis && 'values' in axis && firstDraws) {
      set(`${name}.kind`, 'range');
      set(`${name}.count`, axis.values.length);
    } else if (axis && 'values' in axis) {
      set(`${name}.kind`, 'values');
      set(`${name}.values`, axis.values.join(', '));
    } else if (axis) {
      set(`${name}.kind`, 'range');
      set(`${name}.min`, axis.min); set(`${name}.max`, axis.max); set(`${name}.count`, axis.count); set(`${name}.scale`, axis.scale);
    }
  }
  syncKind(form, false);
  syncReplicaMeaning(form);
}

/** Marks the fields named by validation messages ("x.count: …") and writes each message under its field. */
export function showSpecErrors(form: HTMLFormElement, errors: string[]): void {
  form.querySelectorAll('.field-error').forEach((n) => n.remove());
  form.querySelectorAll('[aria-invalid]').forEach((n) => n.removeAttribute('aria-invalid'));
  for (const message of errors) {
    const path = message.slice(0, message.indexOf(':'));
    const target = form.querySelector<HTMLElement>(`[data-path="${path}"]`) ?? form.querySelector<HTMLElement>(`[data-path="${path.split('.')[0]}"]`)
      ?? form.querySelector<HTMLElement>(`[data-path^="${path.split('.')[0]}."]`); // "data: …" beside data.points
    if (!target) continue;
    target.setAttribute('aria-invalid', 'true');
    const note = el('span', { className: 'field-error', textContent: message.slice(message.indexOf(':') + 1).trim() });
    (target instanceof HTMLFieldSetElement ? target : target.closest('label')!).append(note);
  }
}

/**
 * Fills the form from a spec that did not validate (a link's JSON), as far as its fields go: every value the form has a
 * field for is shown as written, right or wrong, so that the messages beside the fields can be acted on; a field the
 * JSON lacks is left blank (its default).
 */
export function fillRawSpecForm(form: HTMLFormElement, raw: unknown): void {
  buildSpecForm(form);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
  const at = (path: string): unknown => path.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Raw)[k] : undefined), raw);
  const text = (v: unknown) => (Array.isArray(v) ? v.map((x) => String(x)).join(', ') : typeof v === 'object' || v === undefined ? undefined : String(v));
  form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-path]').forEach((c) => {
    const path = c.dataset.path!;
    if (path === 'x.kind' || path === 'y.kind') return; // the form's own (range or values), not the spec's
    const value = text(at(path));
    if (value === undefined) return;
    if (c instanceof HTMLInputElement && c.type === 'checkbox') { c.checked = value === 'true'; return; }
    if (c instanceof HTMLSelectElement && ![...c.options].some((o) => o.value === value)) c.append(el('option', { value, textContent: value }));
    c.value = value;
  });
  for (const name of ['x', 'y'] as const) {
    const axis = at(name);
    if (name === 'y' && axis === undefined) control(form, 'y.param').value = 'none';
    control(form, `${name}.kind`).value = typeof axis === 'object' && axis !== null && 'values' in axis ? 'values' : 'range';
  }
  if (at('convergence') === undefined) control(form, 'convergence').value = defaultConvergence(formKind(form));
  syncKind(form, false);
  syncReplicaMeaning(form);
}
