/**
 * The cell inspector: shows one cell replayed on the float64 CPU engine (loss and all eight weights at every step, from
 * the worker) beside the outputs the view computed for it.
 */
import { axisValues, gridSize } from '../../core/grid';
import { classifyCell, classOf, formatOutput, isComputed, OUTPUT_NAMES, outputRow, type OutputName, type SweepOutputs } from '../../core/outputs';
import type { SweepSpec } from '../../core/spec';
import type { CellTrace } from '../../cpu/kernel';
import { TRACE_ROW_LENGTH } from '../../cpu/layout';
import { drawCurves, SERIES_COLORS } from '../charts';
import { byId } from '../dom';
import type { HeatmapView } from '../heatmap/view';
import { viewKey, type Runs } from '../runs';
import type { Store } from '../store';
import type { SweepWorker } from '../sweep-client';
import { plannedText, ranOnText } from '../words';
import { fillTable } from '../table';
import { formatAxisValue } from '../../core/ticks';

/** Longest replay plotted point by point; longer ones are thinned to about this many points. */
const MAX_POINTS = 5000;

/** Replays keep every `replayEvery(steps)`-th step: at most about MAX_POINTS points to plot. */
export const replayEvery = (steps: number) => Math.max(1, Math.ceil((steps + 1) / MAX_POINTS));

/** Describes a cell by its axis values: "lr = 0.5, initScale = 2". */
export function describeCell(spec: SweepSpec, cell: number): string {
  const { nx } = gridSize(spec);
  const ix = cell % nx, iy = Math.floor(cell / nx);
  const part = (axis: SweepSpec['x'], i: number) => `${axis.param} = ${formatAxisValue(axis, axisValues(axis)[i])}`;
  return [part(spec.x, ix), ...(spec.y ? [part(spec.y, iy)] : [])].join(', ');
}

/** One output in the table: losses to 7 significant digits, step indices or their words ("never"). */
const show = (name: OutputName, v: number) => (outputRow(name).scale === 'steps' || !Number.isFinite(v) || v === 0 ? formatOutput(name, v) : v.toExponential(6));

/** Column `column` of a replay's rows (0: k, 1: loss, 2 … 9: w1 … w8). */
export function traceColumn(trace: CellTrace, column: number): number[] {
  return Array.from({ length: trace.rows.length / TRACE_ROW_LENGTH }, (_, r) => trace.rows[r * TRACE_ROW_LENGTH + column]);
}

/**
 * Fills the inspector panel for `cell`: the view's outputs (computed by `engine`) beside `replay`, the cell replayed in
 * float64 keeping every `every`-th step.
 */
export function inspectCell(panel: HTMLElement, spec: SweepSpec, view: SweepOutputs, cell: number, engine: string, replay: CellTrace, every: number): void {
  panel.hidden = false;
  panel.querySelector('#inspector-title')!.textContent = `Cell ${cell}: ${describeCell(spec, cell)}`;
  panel.querySelector('#inspector-engines')!.textContent = `This view: ${engine}. Replay: float64 on the CPU engine, in a worker.`;
  const cpu = replay.outputs, computed = isComputed(view, cell);
  fillTable(panel.querySelector('#inspector-table')!, [
    ['', 'this view', 'float64 replay'],
    ...OUTPUT_NAMES.map((key) => [key, computed ? show(key, view[key][cell]) : 'not run yet', show(key, cpu[key])]),
    ['class', computed ? classOf(view, cell, spec.convergence) : 'not run yet', classifyCell(cpu, spec.convergence)],
  ]);
  // Words ("did not diverge") may wrap to fit the column; numbers (7.794345e-12) never break.
  panel.querySelectorAll('#inspector-table td').forEach((td) => td.classList.toggle('words', td.textContent!.includes(' ')));
  const thin = every > 1 ? ` (every ${every} steps)` : '';
  const lossChart = drawCurves(panel.querySelector<HTMLElement>('#inspector-loss')!, `E(k)${thin}`, [{ label: 'E (float64)', values: traceColumn(replay, 1), color: SERIES_COLORS[0] }], { log: true, yLabel: 'E (log)', height: 260 });
  const weightChart = drawCurves(panel.querySelector<HTMLElement>('#inspector-weights')!, `weights w1…w8${thin}`, Array.from({ length: 8 }, (_, j) => ({ label: `w${j + 1}`, values: traceColumn(replay, 2 + j), color: SERIES_COLORS[j] })), { log: false, yLabel: 'weight', height: 260 });
  // uPlot's x values are indices; show the real step numbers.
  for (const chart of [lossChart, weightChart]) chart.setData([traceColumn(replay, 0), ...chart.data.slice(1)] as typeof chart.data);
}

/**
 * Wires the inspector: the inspected cell (state.inspected, in the link too) replayed on float64 in `checker`, beside the
 * view's outputs for it, marked on `heatmap`. A replay that fails says why in the panel.
 */
export function mountInspector(store: Store, runs: Runs, checker: SweepWorker, heatmap: HeatmapView): void {
  const panel = byId('inspector');
  let replay: { key: string; trace: CellTrace } | undefined;
  let asked = 0, shownKey = '';
  store.subscribe((s) => [s.inspected, s.view, s.run.phase, s.run.id], async () => {
    const token = ++asked; // every change: a replay that returns after another one is stale
    const { inspected, view, run, capabilities } = store.get();
    const data = runs.current;
    const onScreen = view && data && run.phase !== 'idle' && data.key === viewKey(view.spec, view.arithmetic);
    heatmap.setMarked(onScreen ? inspected : undefined);
    if (inspected === undefined || !onScreen) { panel.hidden = true; return; }
    const every = replayEvery(view.spec.steps), key = `${data.key}#${inspected}`;
    if (replay?.key !== key) {
      let trace: CellTrace;
      try {
        trace = await checker.trace(view.spec, inspected, 'float64', every);
      } catch (e) {
        if (token !== asked) return;
        panel.hidden = false;
        byId('inspector-title').textContent = `Cell ${inspected} (${describeCell(view.spec, inspected)}) could not be replayed: ${(e as Error).message}`;
        return;
      }
      replay = { key, trace };
      if (token !== asked) return; // the page moved on meanwhile (the trace is kept for when it comes back)
    }
    inspectCell(panel, view.spec, data.outputs, inspected, data.result ? ranOnText(data.result.ranOn) : plannedText(data.arithmetic, capabilities), replay.trace, every);
    // A newly inspected cell is brought into sight when the panel lies off-screen (below the map on narrow screens).
    if (key !== shownKey && panel.getBoundingClientRect().top > window.innerHeight) panel.scrollIntoView({ block: 'start', behavior: 'smooth' });
    shownKey = key;
  });
}
