/**
 * The cell inspector: replays one cell on the float64 CPU reference (loss and all eight weights at every step) and
 * shows the GPU's outputs for that cell beside the reference's.
 */
import { axisValues, cellSetup, gridSize } from '../core/grid';
import { classify, OUTPUT_NAMES, type CellOutputs, type SweepOutputs } from '../core/outputs';
import { trainCell } from '../core/reference';
import type { SweepSpec } from '../core/spec';
import { drawCurves, SERIES_COLORS } from './charts';
import { fillTable } from './table';
import { formatTickValue } from './ticks';

/** Longest replay plotted point by point; longer ones are thinned to about this many points. */
const MAX_POINTS = 5000;

/** Loss and weights of one cell at every step (float64), thinned to at most MAX_POINTS steps for plotting. */
export function replayCell(spec: SweepSpec, cell: number): { outputs: CellOutputs; stride: number; steps: number[]; loss: number[]; weights: number[][] } {
  const stride = Math.max(1, Math.ceil((spec.steps + 1) / MAX_POINTS));
  const steps: number[] = [], loss: number[] = [], weights: number[][] = Array.from({ length: 8 }, () => []);
  const outputs = trainCell(cellSetup(spec, cell), spec, 'f64', (k, e, w) => {
    if (k % stride !== 0 && k !== spec.steps) return;
    steps.push(k); loss.push(e);
    for (let j = 0; j < 8; j++) weights[j].push(w[j]);
  });
  return { outputs, stride, steps, loss, weights };
}

/** Describes a cell by its axis values: "lr = 0.5, initScale = 2". */
export function describeCell(spec: SweepSpec, cell: number): string {
  const { nx } = gridSize(spec);
  const ix = cell % nx, iy = Math.floor(cell / nx);
  const part = (axis: SweepSpec['x'], i: number) => `${axis.param} = ${axis.param === 'seed' ? `#${axisValues(axis)[i]}` : formatTickValue(axisValues(axis)[i])}`;
  return [part(spec.x, ix), ...(spec.y ? [part(spec.y, iy)] : [])].join(', ');
}

const show = (v: number) => (Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toExponential(6)) : String(v));

/** Fills the inspector panel for `cell`. */
export function inspectCell(panel: HTMLElement, spec: SweepSpec, gpu: SweepOutputs, cell: number, engine: string): void {
  panel.hidden = false;
  const replay = replayCell(spec, cell);
  panel.querySelector('#inspector-title')!.textContent = `Cell ${cell}: ${describeCell(spec, cell)}`;
  const cpu = replay.outputs;
  fillTable(panel.querySelector('#inspector-table')!, [
    ['', engine, 'float64 reference (replayed)'],
    ...OUTPUT_NAMES.map((key) => [key, show(gpu[key][cell]), show(cpu[key])]),
    ['class', classify(gpu.stepsToThreshold[cell], gpu.divergedAt[cell]), classify(cpu.stepsToThreshold, cpu.divergedAt)],
  ]);
  const thin = replay.stride > 1 ? ` (every ${replay.stride} steps)` : '';
  const lossChart = drawCurves(panel.querySelector<HTMLElement>('#inspector-loss')!, `E(k)${thin}`, [{ label: 'E (float64)', values: replay.loss, color: SERIES_COLORS[0] }], { log: true, yLabel: 'E (log)', height: 260 });
  const weightChart = drawCurves(panel.querySelector<HTMLElement>('#inspector-weights')!, `weights w1…w8${thin}`, replay.weights.map((w, j) => ({ label: `w${j + 1}`, values: w, color: SERIES_COLORS[j] })), { log: false, yLabel: 'weight', height: 260 });
  // uPlot's x values are indices; show the real step numbers.
  for (const chart of [lossChart, weightChart]) chart.setData([replay.steps, ...chart.data.slice(1)] as typeof chart.data);
}
