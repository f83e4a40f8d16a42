/**
 * CSV export of a sweep: one row per cell in row-major order with its axis values and outputs. Non-finite numbers
 * are written as empty fields.
 */
import { axisValues, gridSize } from './grid';
import { classOf, isComputed, outputArray, rowsOf, type AnyOutputName, type SweepOutputs } from './outputs';
import type { SweepSpec } from './spec';

/**
 * CSV text with a header row: ix, iy, <x param>, <y param>, every output (a replica sweep's rows after the others), class
 * (of the OUTPUTS rows under the spec's convergence rule: replica 0's in a replica sweep; empty if not run).
 */
export function resultsCsv(spec: SweepSpec, outputs: SweepOutputs): string {
  const { nx, cells } = gridSize(spec);
  const xs = axisValues(spec.x), ys = spec.y ? axisValues(spec.y) : [];
  const names = rowsOf(outputs).map((o) => o.name as AnyOutputName), columns = names.map((n) => outputArray(outputs, n)!);
  const header = ['ix', 'iy', spec.x.param, ...(spec.y ? [spec.y.param] : []), ...names, 'class'];
  const rows = [header.join(',')];
  const num = (v: number) => (Number.isFinite(v) ? String(v) : '');
  for (let i = 0; i < cells; i++) {
    const ix = i % nx, iy = Math.floor(i / nx);
    rows.push([ix, iy, xs[ix], ...(spec.y ? [ys[iy]] : []), ...columns.map((c) => num(c[i])), isComputed(outputs, i) ? classOf(outputs, i, spec.convergence) : ''].join(','));
  }
  return `${rows.join('\n')}\n`;
}
