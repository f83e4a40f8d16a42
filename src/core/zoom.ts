/**
 * Zooming and panning a 2-D view, and how close a view comes to the resolution of float32 (the GPU) or float64 (the
 * reference). A view is a spec; zooming narrows its range axes and keeps their counts (full resolution). Pure.
 *
 * Positions are plot fractions: 0 … 1 from the left edge of the first cell to the right edge of the last (x), and
 * from the bottom edge of row 0 to the top edge of the last row (y). Cell j of n covers [j/n, (j+1)/n].
 */
import type { Arithmetic } from './arithmetic';
import { exp, log } from './portable-math';
import type { Axis, SweepSpec } from './spec';

export type RangeAxis = Extract<Axis, { min: number }>;

/** True for an axis a zoom can narrow: a min/max range with more than one cell (not a values list or seed axis). */
export function isZoomable(axis: Axis | null): axis is RangeAxis {
  return axis !== null && 'min' in axis && axis.count > 1 && axis.param !== 'seed';
}

/** The axis value at plot fraction f (cell centres sit at (j + ½)/n), extrapolated beyond the ends. */
export function valueAt(axis: RangeAxis, f: number): number {
  const t = (f * axis.count - 0.5) / (axis.count - 1);
  return axis.scale === 'log' ? axis.min * exp(t * log(axis.max / axis.min)) : axis.min + (axis.max - axis.min) * t;
}

/** The plot fraction of value v on the axis (the inverse of valueAt). */
export function fractionOf(axis: RangeAxis, v: number): number {
  const t = axis.scale === 'log' ? log(v / axis.min) / log(axis.max / axis.min) : (v - axis.min) / (axis.max - axis.min);
  return (t * (axis.count - 1) + 0.5) / axis.count;
}

/** The axis whose first and last cell centres sit at plot fractions f0 < f1 of `axis`, same count. */
function narrowAxis(axis: RangeAxis, f0: number, f1: number): RangeAxis {
  // Cell centres of the new axis at (j + ½)/n of [f0, f1].
  const n = axis.count, half = (f1 - f0) / (2 * n);
  const min = valueAt(axis, f0 + half), max = valueAt(axis, f1 - half);
  return { ...axis, min, max };
}

/** A rectangle in plot fractions. */
export interface ViewRect { x0: number; x1: number; y0: number; y1: number }

/** The range of finite, normal numbers of each arithmetic: beyond it a value is 0, subnormal or ∞ in the kernel. */
const NORMAL_RANGE: Record<Arithmetic, [number, number]> = { float32: [2 ** -126, 3.4028234663852886e38], float64: [2 ** -1022, Number.MAX_VALUE] };

/**
 * Why the view of `spec` cannot zoom to `rect`, or undefined: no range axis, a window narrower than float64 tells apart,
 * or (zooming out) axis values beyond the normal numbers of the view's `arithmetic`, where float32 computes with 0 or ∞.
 */
export function zoomProblem(spec: SweepSpec, rect: ViewRect, arithmetic: Arithmetic = 'float64'): string | undefined {
  if (!isZoomable(spec.x) && !isZoomable(spec.y)) return 'This view has no range axis to zoom (seed axes and value lists stay as they are): give x or y a min, max and count.';
  const next = zoomSpec(spec, rect);
  for (const name of ['x', 'y'] as const) {
    const a = next[name];
    if (!isZoomable(a)) continue;
    if (!(a.min < a.max) || !Number.isFinite(a.min) || !Number.isFinite(a.max)) return `${name}: the window would be narrower than float64 can tell apart (min ${a.min}, max ${a.max}); this is as deep as a zoom goes.`;
    if (a.scale === 'log' && !(a.min > 0)) return `${name}: a log axis needs min > 0.`;
    const [low, high] = NORMAL_RANGE[arithmetic], largest = Math.max(Math.abs(a.min), Math.abs(a.max));
    const smallest = a.min > 0 ? a.min : a.max < 0 ? -a.max : Infinity;
    if (largest > high || smallest < low) {
      return `${name}: this zoom takes ${a.param} to ${formatRange(a.min, a.max)}, beyond ${arithmetic}'s range (${low.toExponential(1)} … ${high.toExponential(1)}), where the kernel computes with 0 or ∞.${arithmetic === 'float32' ? ' Use float64 to go further.' : ''}`;
    }
  }
  return undefined;
}

/** The view narrowed to `rect` (only range axes change; counts stay). */
export function zoomSpec(spec: SweepSpec, rect: ViewRect): SweepSpec {
  const x0 = Math.min(rect.x0, rect.x1), x1 = Math.max(rect.x0, rect.x1), y0 = Math.min(rect.y0, rect.y1), y1 = Math.max(rect.y0, rect.y1);
  return {
    ...spec,
    x: isZoomable(spec.x) ? narrowAxis(spec.x, x0, x1) : spec.x,
    y: isZoomable(spec.y) ? narrowAxis(spec.y, y0, y1) : spec.y,
  };
}

/** The rectangle `factor` times smaller (factor < 1 zooms out) keeping the point (fx, fy) where it is. */
export function rectAround(fx: number, fy: number, factor: number): ViewRect {
  const k = 1 / factor;
  return { x0: fx - fx * k, x1: fx + (1 - fx) * k, y0: fy - fy * k, y1: fy + (1 - fy) * k };
}

/** The rectangle shifted by (dx, dy) plot fractions (a pan: the content moves by −dx, −dy). */
export function shiftedRect(dx: number, dy: number): ViewRect {
  return { x0: dx, x1: 1 + dx, y0: dy, y1: 1 + dy };
}

/** Bits of significand: float32 has 24 (23 stored), float64 53. */
const SIGNIFICAND_BITS: Record<Arithmetic, number> = { float32: 24, float64: 53 };

/** How finely one axis of the view samples its parameter, in units of the number format's spacing. */
export interface AxisResolution {
  name: 'x' | 'y';
  param: string;
  /**
   * Smallest spacing between neighbouring cells, in ulps of the format at that value (about relative spacing ·
   * 2^(bits−1)). Below 1, neighbouring cells start to share a value: stripes.
   */
  ulpsPerCell: number;
}

/** The resolution of every range axis of the view in `arithmetic`. */
export function axisResolutions(spec: SweepSpec, arithmetic: Arithmetic): AxisResolution[] {
  const scale = 2 ** (SIGNIFICAND_BITS[arithmetic] - 1);
  const out: AxisResolution[] = [];
  for (const name of ['x', 'y'] as const) {
    const a = spec[name];
    if (!isZoomable(a)) continue;
    const binade = (v: number) => 2 ** Math.floor(Math.log2(Math.abs(v) || Number.MIN_VALUE)); // ulp = binade / scale
    let worst: number;
    if (a.scale === 'log') {
      // Uniform relative spacing r: ulps per cell = r · scale · v / binade(v), least where v / binade(v) is least: at a
      // power of two inside the range, else at min.
      const r = exp(log(a.max / a.min) / (a.count - 1)) - 1;
      const mantissa = binade(a.max) > binade(a.min) ? 1 : a.min / binade(a.min);
      worst = r * scale * mantissa;
    } else {
      // Uniform spacing; the ulp is largest at the end with the larger magnitude.
      worst = ((a.max - a.min) / (a.count - 1) / binade(Math.max(Math.abs(a.min), Math.abs(a.max)))) * scale;
    }
    out.push({ name, param: a.param, ulpsPerCell: worst });
  }
  return out;
}

/** Below this many ulps per cell the page warns: two or three more 2× zooms and neighbouring cells collide. */
export const ULPS_WARNING = 8;

/**
 * The views of a zoom movie: frame k is `spec` with its range axes resized to `size` cells and narrowed by
 * zoomPerFrame^k about the point at plot fractions (fx, fy), which stays put on screen from frame to frame.
 */
export function zoomSequence(spec: SweepSpec, fx: number, fy: number, frames: number, zoomPerFrame: number, size: number): SweepSpec[] {
  const resize = (a: Axis | null) => (isZoomable(a) ? { ...a, count: size } : a);
  // Resizing moves cell centres; keep the same covered interval, so (fx, fy) still names the same parameter values.
  const base: SweepSpec = { ...spec, x: resize(spec.x)!, y: resize(spec.y) };
  if (isZoomable(spec.x)) Object.assign(base.x, { min: valueAt(spec.x, 0.5 / size), max: valueAt(spec.x, 1 - 0.5 / size) });
  if (isZoomable(spec.y)) Object.assign(base.y!, { min: valueAt(spec.y, 0.5 / size), max: valueAt(spec.y, 1 - 0.5 / size) });
  return Array.from({ length: frames }, (_, k) => zoomSpec(base, rectAround(fx, fy, zoomPerFrame ** k)));
}

const formatRange = (min: number, max: number) => `${min.toExponential(1)} … ${max.toExponential(1)}`;
