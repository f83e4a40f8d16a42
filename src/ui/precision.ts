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

export function precisionNotice(spec: SweepSpec, arithmetic: Arithmetic): PrecisionNotice | undefined {
  const worst = axisResolutions(spec, arithmetic).sort((a, b) => a.ulpsPerCell - b.ulpsPerCell)[0];
  if (!worst || worst.ulpsPerCell >= ULPS_WARNING) return undefined;
  const apart = worst.ulpsPerCell >= 10 ? worst.ulpsPerCell.toFixed(0) : worst.ulpsPerCell.toPrecision(2);
  const where = `Neighbouring cells along ${worst.name} (${worst.param}) are only ${apart} ${arithmetic} steps apart`;
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
