/**
 * The page's precision notice: how close the current view comes to the resolution of its arithmetic, and what
 * to do about it. Pure (tested in Node).
 */
import type { SweepSpec } from '../core/spec';
import { axisResolutions, ULPS_WARNING } from '../core/zoom';
import type { Arithmetic } from '../core/arithmetic';

/** A notice for the view, or undefined while every axis is comfortably above the arithmetic's resolution. */
export interface PrecisionNotice {
  level: 'warning' | 'stripes';
  text: string;
  /** Offer to switch to the float64 engine. */
  offerFloat64: boolean;
}

/** "Neighbouring cells along x (lr) are only 4.0 float32 steps apart", when fewer than ULPS_WARNING; else undefined. */
export function closeNeighbours(spec: SweepSpec, arithmetic: Arithmetic): string | undefined {
  const worst = axisResolutions(spec, arithmetic).sort((a, b) => a.ulpsPerCell - b.ulpsPerCell)[0];
  if (!worst || worst.ulpsPerCell >= ULPS_WARNING) return undefined;
  const apart = worst.ulpsPerCell >= 10 ? worst.ulpsPerCell.toFixed(0) : worst.ulpsPerCell.toPrecision(2);
  return `Neighbouring cells along ${worst.name} (${worst.param}) are only ${apart} ${arithmetic} steps apart`;
}

export function precisionNotice(spec: SweepSpec, arithmetic: Arithmetic): PrecisionNotice | undefined {
  const where = closeNeighbours(spec, arithmetic);
  if (!where) return undefined;
  const worst = axisResolutions(spec, arithmetic).sort((a, b) => a.ulpsPerCell - b.ulpsPerCell)[0];
  if (arithmetic === 'float32') {
    const fix = 'Switch to float64 (the CPU engine: exact to 53 bits) to keep zooming correctly.';
    return worst.ulpsPerCell < 1
      ? { level: 'stripes', offerFloat64: true, text: `${where}: the GPU rounds several cells to the same float32 value, so bands of identical cells (stripes) are an artefact of float32, not of training. ${fix}` }
      : { level: 'warning', offerFloat64: true, text: `${where}. Below 1, neighbouring cells round to the same float32 value and the picture turns into stripes: about ${Math.max(1, Math.floor(Math.log2(worst.ulpsPerCell)))} more 2× zooms from here. ${fix}` };
  }
  return worst.ulpsPerCell < 1
    ? { level: 'stripes', offerFloat64: false, text: `${where}: even float64 rounds several cells to the same value here; stripes are an artefact. This is as deep as the page can zoom.` }
    : { level: 'warning', offerFloat64: false, text: `${where}: float64 itself runs out after about ${Math.max(1, Math.floor(Math.log2(worst.ulpsPerCell)))} more 2× zooms.` };
}

/** Share of spot-checked cells whose class (a replica view: number of converged replicas) float32 and float64 must agree on for float32's statistics to stand. */
export const SPOT_AGREEMENT = 0.99;

/** The float64 spot check of a float32 view: the share of its sample whose class agrees (NaN: the check failed), and the sample's size. */
export interface SpotCheck { agreement: number; cells: number }

/**
 * Whether a view's statistics (class counts, the boundary's dimension) can be shown as results: always in float64; in
 * float32 only once a spot check agrees (`pending` until then) and while neighbouring cells stay ULPS_WARNING float32
 * steps apart. Otherwise the reason, in words, to show instead of the numbers.
 */
export function statisticsTrust(spec: SweepSpec, arithmetic: Arithmetic, spot: SpotCheck | undefined, complete: boolean): { shown: true } | { shown: false; pending: boolean; reason: string } {
  if (arithmetic === 'float64') return { shown: true };
  const notice = precisionNotice(spec, 'float32');
  if (notice) return { shown: false, pending: false, reason: `neighbouring cells are too few float32 steps apart here for float32's counts and dimension to mean anything (see the notice)` };
  if (!complete) return { shown: false, pending: false, reason: 'a float32 view is checked against float64 once it is complete; Continue completes it' };
  if (!spot) return { shown: false, pending: true, reason: 'checking float32 against float64 on cells spread over the view…' };
  if (Number.isNaN(spot.agreement)) return { shown: false, pending: false, reason: 'the float64 spot check could not run, and without it float32 cannot be trusted here' };
  if (spot.agreement < SPOT_AGREEMENT) return { shown: false, pending: false, reason: `float32 and float64 disagree on ${spec.replicas ? 'the number of converged replicas' : 'the class'} of ${(100 * (1 - spot.agreement)).toFixed(1)}% of ${spot.cells} spot-checked cells: training is chaotic here, so float32's counts and dimension depend on rounding` };
  return { shown: true };
}

/** Whether 'auto' should run `spec` in float64 rather than the GPU's float32: neighbouring cells too close for float32. */
export const tooFineForFloat32 = (spec: SweepSpec) => precisionNotice(spec, 'float32') !== undefined;
