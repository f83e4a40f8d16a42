/**
 * A/B comparisons: spec B is spec A with one setting changed (not a grid axis). Pure; the page's panel is
 * src/ui/ab-panel.ts.
 */
import { ACTIVATIONS } from './network';
import { PRESET_NAMES } from './presets';
import { parseSpec, type SpecResult, type SweepSpec } from './spec';

/** Settings an A/B comparison may change: the ones that are not grid axes. */
export const AB_SETTINGS = ['preset', 'activation', 'threshold', 'steps', 'lr', 'lrHidden', 'lrOutput'] as const;
export type AbSetting = (typeof AB_SETTINGS)[number];

/** The choices offered for a setting's B value (undefined: free text). */
export function settingChoices(setting: AbSetting): readonly string[] | undefined {
  return setting === 'preset' ? PRESET_NAMES : setting === 'activation' ? ACTIVATIONS : undefined;
}

/** A's value of a setting, as text. */
export function settingValue(spec: SweepSpec, setting: AbSetting): string {
  return setting === 'lr' ? String(spec.lrHidden) : String(spec[setting]);
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
  const onAxes = [a.x.param, a.y?.param];
  const clashes: Record<string, string[]> = { lr: ['lr', 'lrHidden', 'lrOutput'], lrHidden: ['lr', 'lrHidden'], lrOutput: ['lr', 'lrOutput'] };
  if (clashes[setting]?.some((p) => onAxes.includes(p as SweepSpec['x']['param']))) return { ok: false, errors: [`${setting}: this view sweeps it on an axis, so B would equal A there; pick another setting`] };
  return parseSpec(raw);
}
