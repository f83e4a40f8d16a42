/**
 * Axis ticks for heatmaps, in the axis' own units: decades (and 2, 5 between them when few decades) on log axes, round
 * steps on linear ones, indices on value lists. Positions are fractions of the axis length (0 = first cell's
 * center … 1 = last cell's center). Pure.
 */
import type { Axis } from './spec';

export interface Tick { position: number; label: string }

/** Compact label: 0.001, 0.01, 0.1, 1, 10, 100, 1e3 … */
export function formatTickValue(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

/** A label with enough significant digits to tell ticks `step` apart (deep zooms need many). */
export function formatTickStep(v: number, step: number): string {
  if (v === 0 || Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3) return formatTickValue(v);
  const digits = Math.floor(Math.log10(Math.abs(v))) - Math.floor(Math.log10(step)) + 1;
  return digits <= 3 ? formatTickValue(v) : String(Number(v.toPrecision(Math.min(17, digits))));
}

/**
 * A cell's value on `axis` with as many significant digits as tell it from its neighbours (at least 3, at most 17): a
 * deeply zoomed view needs many ("1.068453"), a wide one few ("0.325"). Values lists and seeds are shown as given.
 */
export function formatAxisValue(axis: Axis, v: number): string {
  if ('values' in axis || axis.count < 2 || v === 0) return axis.param === 'seed' ? `#${v}` : String(v);
  const step = axis.scale === 'log' ? Math.abs(v) * ((axis.max / axis.min) ** (1 / (axis.count - 1)) - 1) : (axis.max - axis.min) / (axis.count - 1);
  const digits = Math.min(17, Math.max(3, Math.ceil(Math.log10(Math.abs(v) / step)) + 1));
  return String(Number(v.toPrecision(digits)));
}

/** Round steps (1, 2, 5 × 10^k) between lo and hi, about `target` of them, placed by `position`. */
function roundTicks(lo: number, hi: number, target: number, position: (v: number) => number): Tick[] {
  const raw = (hi - lo) / target, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: Tick[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) {
    const v = k * step;
    ticks.push({ position: Math.min(1, Math.max(0, position(v))), label: k === 0 ? '0' : formatTickStep(v, step) });
  }
  return ticks;
}

/** About `target` ticks for an axis. */
export function axisTicks(axis: Axis, target = 6): Tick[] {
  if ('values' in axis) {
    const n = axis.values.length;
    const every = Math.max(1, Math.ceil(n / target));
    const ticks: Tick[] = [];
    for (let i = 0; i < n; i += every) ticks.push({ position: n === 1 ? 0.5 : i / (n - 1), label: axis.param === 'seed' ? `#${axis.values[i]}` : formatTickValue(axis.values[i]) });
    return ticks;
  }
  const { min, max, scale } = axis;
  if (axis.count === 1 || min === max) return [{ position: 0.5, label: formatTickValue(min) }];
  if (scale === 'log') {
    const lo = Math.log10(min), hi = Math.log10(max);
    const decades = hi - lo;
    const mantissas = decades <= 1.5 ? [1, 2, 5] : decades <= 3 ? [1, 3] : [1];
    const stride = Math.max(1, Math.ceil(decades / target));
    const ticks: Tick[] = [];
    for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
      if (((e % stride) + stride) % stride !== 0 && mantissas.length === 1) continue;
      for (const m of mantissas) {
        const v = m * 10 ** e, p = (Math.log10(v) - lo) / decades;
        if (p >= -1e-9 && p <= 1 + 1e-9) ticks.push({ position: Math.min(1, Math.max(0, p)), label: formatTickValue(v) });
      }
    }
    // A zoomed-in log axis may hold no round mantissa: use round linear steps, placed on the log scale.
    return ticks.length >= 2 ? ticks : roundTicks(min, max, Math.min(target, 5), (v) => (Math.log10(v) - lo) / decades);
  }
  return roundTicks(min, max, target, (v) => (v - min) / (max - min));
}

/**
 * Ticks of a colour scale (or a curve's value axis): whole decades on a log scale (at most about `target`, or its two
 * ends when it spans less than two), three values on a linear one; `position` 0 … 1 from the scale's min to its max.
 */
export function scaleTicks(scale: { kind: 'log' | 'linear' | 'categorical'; min: number; max: number }, target = 8): Tick[] {
  const log = scale.kind === 'log';
  const lo = log ? Math.log10(scale.min) : scale.min, hi = log ? Math.log10(scale.max) : scale.max;
  if (!(hi > lo)) return [{ position: 0, label: formatTickValue(scale.min) }];
  const decades = Array.from({ length: Math.max(0, Math.floor(hi) - Math.ceil(lo) + 1) }, (_, i) => Math.ceil(lo) + i);
  const at = log && decades.length >= 2 ? decades.filter((_, i, all) => i % Math.ceil(all.length / target) === 0) : log ? [lo, hi] : [lo, (lo + hi) / 2, hi];
  return at.map((t) => ({ position: (t - lo) / (hi - lo), label: log ? (Number.isInteger(t) ? `1e${t}` : formatTickValue(10 ** t)) : formatTickValue(t) }));
}

/** A tick of a chart axis that plots log10 of its values: `log10` is where it goes, `label` the value it stands for. */
export interface LogTick { log10: number; label: string }

/** Every k-th of `ticks`, the first included, k as small as keeps at most `max` (≥ 4 keeps at least 3 of 3 or more). */
const thin = <T>(ticks: T[], max: number): T[] => ticks.filter((_, i) => i % Math.ceil(ticks.length / max) === 0);

/**
 * Labelled ticks for a chart axis from 10^lo to 10^hi (lo, hi in log10 units), at least 3 and at most `maxTicks`
 * (4 or more): whole decades (every 2nd, 5th, 10th … when there are many), else 1, 2, 5 × 10^k, else 1, 2, 3, 5, else
 * 1 … 9 × 10^k, else round linear steps placed at their log10. Example: a loss from 0.1 to 0.3 (lo −1, hi −0.52) gets
 * 1e-1, 2e-1, 3e-1, where whole decades alone gave one tick. Pure.
 */
export function logAxisTicks(lo: number, hi: number, maxTicks = 8): LogTick[] {
  if (!(hi > lo)) return [{ log10: lo, label: formatTickValue(10 ** lo) }];
  const max = Math.max(4, maxTicks), eps = 1e-9 * Math.max(1, hi - lo);
  const decades: LogTick[] = [];
  for (let e = Math.ceil(lo - eps); e <= hi + eps; e++) decades.push({ log10: e, label: `1e${e}` });
  if (decades.length >= 3) {
    for (const stride of [1, 2, 5, 10, 20, 50, 100]) {
      const every = decades.filter((t) => t.log10 % stride === 0);
      if (every.length >= 3 && every.length <= max) return every;
    }
    return thin(decades, max);
  }
  for (const mantissas of [[1, 2, 5], [1, 2, 3, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
    const ticks: LogTick[] = [];
    for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
      for (const m of mantissas) {
        const at = e + Math.log10(m);
        if (at >= lo - eps && at <= hi + eps) ticks.push({ log10: at, label: `${m}e${e}` });
      }
    }
    if (ticks.length >= 3) return thin(ticks, max);
  }
  // Less than a ninth of a decade: round linear steps, the fewest that make 3.
  const a = 10 ** lo, b = 10 ** hi;
  for (let target = 3; ; target++) {
    const raw = (b - a) / target, mag = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
    const ticks: LogTick[] = [];
    for (let k = Math.ceil(a / step - 1e-9); k * step <= b * (1 + 1e-12); k++) ticks.push({ log10: Math.log10(k * step), label: formatTickStep(k * step, step) });
    if (ticks.length >= 3 || target >= max) return ticks;
  }
}
