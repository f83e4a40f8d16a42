/**
 * A/B comparisons: spec B is spec A with one setting changed (not a grid axis). Pure; the page's panel is
 * src/ui/ab-panel.ts. The settings are the spec's own (preset, activation, threshold, steps) and those of the
 * parameter rows that are spec settings (lr, lrHidden, lrOutput, momentum).
 */
import { ACTIVATIONS } from './network';
import { overlap, SPEC_SETTINGS, type AxisParam } from './parameters';
import { PRESET_NAMES } from './presets';
import { parseSpec, type SpecResult, type SweepSpec } from './spec';

/** Settings an A/B comparison may change: the ones that are not grid axes. */
export const AB_SETTINGS = ['preset', 'activation', 'threshold', 'steps', ...SPEC_SETTINGS.map((row) => row.spec!)] as const;
export type AbSetting = (typeof AB_SETTINGS)[number];

/** The choices offered for a setting's B value (undefined: free text). */
export function settingChoices(setting: AbSetting): readonly string[] | undefined {
  return setting === 'preset' ? PRESET_NAMES : setting === 'activation' ? ACTIVATIONS : undefined;
}

/** A's value of a setting, as text. */
export function settingValue(spec: SweepSpec, setting: AbSetting): string {
  return setting === 'lr' ? String(spec.lrHidden) : String(spec[setting]);
}

/** Whether `setting` is swept on an axis of `spec` (then B would equal A there). */
export function onAxis(spec: SweepSpec, setting: AbSetting): boolean {
  const row = SPEC_SETTINGS.find((r) => r.spec === setting);
  return row !== undefined && [spec.x.param, spec.y?.param].some((p) => p !== undefined && overlap(p, row.name as AxisParam));
}

/**
 * B: spec A with `setting` set to `value` (text as typed), validated like any spec. Changing the preset keeps A's
 * inputs, targets and weights only where A set them apart from its preset, which the normalized spec cannot tell; so
 * B takes the new preset's values, as a fresh sweep of that preset would.
 */
export function specB(a: SweepSpec, setting: AbSetting, value: string): SpecResult {
  const raw: Record<string, unknown> = { ...a };
  const number = Number(value);
  if (setting === 'preset') { raw.preset = value; delete raw.inputs; delete raw.targets; delete raw.biases; delete raw.weights; }
  else if (setting === 'activation') raw.activation = value;
  else if (value.trim() === '' || !Number.isFinite(number)) return { ok: false, errors: [`${setting}: B's value must be a number; got "${value}"`] };
  else if (setting === 'lr') { raw.lrHidden = number; raw.lrOutput = number; }
  else raw[setting] = number;
  if (onAxis(a, setting)) return { ok: false, errors: [`${setting}: this view sweeps it on an axis, so B would equal A there; pick another setting`] };
  return parseSpec(raw);
}
