/**
 * The grid of a sweep: axis values, and cell index ↔ per-cell training set-up. Cells are row-major:
 * index = iy · nx + ix.
 */
import { CELL_SETUP_LENGTH, SETUP } from './network';
import { parameter } from './parameters';
import { exp, log } from './portable-math';
import { randomWeights } from './random';
import { axisLength, replicaCount, type Axis, type SweepSpec } from './spec';

/**
 * The values of an axis, in cell order: cell j of n is min·(max/min)^(j/(n−1)) (log) or min + (max−min)·j/(n−1),
 * every one finite (test/core/grid.test.ts checks the widest ranges a spec allows).
 * The power is written min·exp(t·ln(max/min)) with the portable exp and log: the engines' own differ in the last bit
 * between V8 versions, and the page and the command line must agree exactly.
 */
export function axisValues(axis: Axis): number[] {
  if ('values' in axis) return [...axis.values];
  const { min, max, count, scale } = axis;
  if (count === 1) return [min];
  // Ranges so wide that max − min or max / min overflow (−1e308 … 1e308, 1e-300 … 1e300) take a form that does not;
  // every other range keeps the form above, so its values keep their bits.
  const span = max - min, ratio = max / min;
  return Array.from({ length: count }, (_, j) => {
    if (j === count - 1) return max;
    const t = j / (count - 1);
    if (scale === 'log') return Number.isFinite(ratio) && ratio > 0 ? min * exp(t * log(ratio)) : exp(log(min) + t * (log(max) - log(min)));
    return Number.isFinite(span) ? min + span * t : min * (1 - t) + max * t;
  });
}

/** Grid dimensions: nx cells along x, ny along y (1 for a 1-D sweep). */
export function gridSize(spec: SweepSpec): { nx: number; ny: number; cells: number } {
  const nx = axisLength(spec.x), ny = spec.y ? axisLength(spec.y) : 1;
  return { nx, ny, cells: nx * ny };
}

/** Networks a sweep trains: cells × replicas (network j is replica j mod R of cell ⌊j / R⌋; j = cell in a plain sweep). */
export function networkCount(spec: SweepSpec): number {
  return gridSize(spec).cells * replicaCount(spec);
}

/**
 * Where network `j` of a sweep sits and which initial draw it trains: its cell ⌊j / R⌋, and its replica's draw (r = j mod R
 * for common draws, j itself for independent ones); draw −1 in a plain sweep (the spec's weights, or a seed axis's).
 */
export function networkAt(spec: SweepSpec): (j: number) => { cell: number; draw: number } {
  const R = replicaCount(spec), independent = spec.replicas?.draws === 'independent';
  if (!spec.replicas) return (j) => ({ cell: j, draw: -1 });
  return (j) => ({ cell: Math.floor(j / R), draw: independent ? j : j % R });
}

/**
 * Returns a function that writes one network's training set-up (CELL_SETUP_LENGTH numbers, layout CELL_SETUP_FIELDS)
 * into `out` at `offset`: the spec's values (a replica's draw of w1…w8 in a replica sweep), then each axis's value as its
 * PARAMETERS row says. Network indices are cell indices in a plain sweep (see networkAt). Order of application:
 * a seed axis's random draw of w1…w8 first (so a w axis on the other axis can still override one of them), then the
 * record fields, then initScale multiplies all eight weights, then initOffset is added to w1…w4. Axis values are computed once, here.
 */
export function cellSetupWriter(spec: SweepSpec): (index: number, out: Float64Array, offset?: number) => void {
  const { nx } = gridSize(spec);
  const base = new Float64Array(CELL_SETUP_LENGTH);
  base.set(spec.weights, SETUP.w1);
  base[SETUP.lrHidden] = spec.lrHidden; base[SETUP.lrOutput] = spec.lrOutput; base[SETUP.momentum] = spec.momentum;
  base[SETUP.i1] = spec.inputs[0]; base[SETUP.i2] = spec.inputs[1];
  base[SETUP.t1] = spec.targets[0]; base[SETUP.t2] = spec.targets[1];
  const axes = [{ axis: spec.x, values: axisValues(spec.x), coord: 0 }, ...(spec.y ? [{ axis: spec.y, values: axisValues(spec.y), coord: 1 }] : [])]
    .map((a) => ({ ...a, sets: parameter(a.axis.param).sets }))
    .sort((a, b) => Number(b.sets === 'draw-weights') - Number(a.sets === 'draw-weights'));
  const locate = networkAt(spec);
  return (network, out, o = 0) => {
    const { cell: index, draw } = locate(network);
    const at = [index % nx, Math.floor(index / nx)];
    out.set(base, o);
    if (draw >= 0) randomWeights(spec.init, draw, out, o + SETUP.w1);
    let initScale = 1, initOffset = 0;
    for (const { values, coord, sets } of axes) {
      const v = values[at[coord]];
      if (sets === 'draw-weights') randomWeights(spec.init, v, out, o + SETUP.w1);
      else if (sets === 'scale-weights') initScale = v;
      else if (sets === 'offset-hidden-weights') initOffset = v;
      else for (const field of sets) out[o + SETUP[field]] = v;
    }
    if (initScale !== 1) for (let j = 0; j < 8; j++) out[o + j] *= initScale;
    if (initOffset !== 0) for (let j = 0; j < 4; j++) out[o + j] += initOffset;
  };
}

/**
 * Writes the set-ups of `count` networks into `out`, CELL_SETUP_LENGTH numbers each: networks first … first + count − 1,
 * or, given `order`, networks order[first] … order[first + count − 1] (cells, in a plain sweep).
 */
export function writeCellSetups(spec: SweepSpec, first: number, count: number, out: Float64Array, order?: ArrayLike<number>): Float64Array {
  const write = cellSetupWriter(spec);
  for (let c = 0; c < count; c++) write(order ? order[first + c] : first + c, out, c * CELL_SETUP_LENGTH);
  return out;
}

/** The set-up record of one network (a cell, in a plain sweep; CELL_SETUP_LENGTH numbers). */
export function cellSetup(spec: SweepSpec, index: number): Float64Array {
  return writeCellSetups(spec, index, 1, new Float64Array(CELL_SETUP_LENGTH));
}
