/**
 * The cell inspector: shows one cell replayed in float64 on the CPU (loss and all eight weights of a course cell, or
 * the loss and the norms ‖W0‖, ‖W1‖ of an MLP cell, at every step, from the worker; replay.ts) beside the outputs the
 * view computed for it, and overlays the E(k) of the pinned cells (pins.ts).
 */
import { axisValues, gridSize } from '../../core/grid';
import { classifyCell, classOf, formatOutput, isComputed, OUTPUT_NAMES, outputRow, type OutputName, type SweepOutputs } from '../../core/outputs';
import { isMlp, replicaCount, type SweepSpec } from '../../core/spec';
import type { ReplicaTraces } from '../../core/replica-traces';
import { replicaChart, replicaRows, type ReplicaOverlay } from '../replica-curves';
import { drawCurves, replaceChart, SERIES_COLORS, type CurveSeries } from '../charts';
import { byId } from '../dom';
import type { PinMark } from '../heatmap/draw';
import type { HeatmapView } from '../heatmap/view';
import { viewKey, type Runs } from '../runs';
import { MAX_PINS, type PinSlots } from '../state';
import type { Store } from '../store';
import type { SweepWorker } from '../sweep-client';
import { plannedText, ranOnText } from '../words';
import { replayEngine, traceColumn, weightChart, type Replay } from '../replay';
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

/** The inspected cell's curve colour: SERIES_COLORS[0]; pins take the next MAX_PINS, slot by slot. */
export const INSPECTED_COLOR = SERIES_COLORS[0];
export const PIN_COLORS = SERIES_COLORS.slice(1, 1 + MAX_PINS);

/** The pins as marks for the map and curves: each cell with its slot's colour and number (1 … MAX_PINS). */
export const pinMarks = (pins: PinSlots): PinMark[] =>
  pins.flatMap((cell, slot) => (cell === null ? [] : [{ cell, color: PIN_COLORS[slot], label: String(slot + 1) }]));

/** A replayed cell's E(k) for the overlay: its pin (or none: the inspected cell, not pinned) and its replay. */
export interface Overlay { cell: number; pin?: PinMark; trace: Replay }

/**
 * The E(k) curves of `overlays` over k (the longest replay's steps; a shorter one, stopped by divergence, ends early),
 * each labelled with its pin, cell and the replay's class under `convergence` (the view's rule).
 */
export function lossCurves(overlays: Overlay[], inspected: number | undefined, convergence: SweepSpec['convergence']): { k: number[]; series: CurveSeries[] } {
  const longest = overlays.reduce((a, o) => (o.trace.rows.length > a.rows.length ? o.trace : a), overlays[0].trace);
  const k = traceColumn(longest, 0);
  const series = overlays.map(({ cell, pin, trace }) => {
    const values = traceColumn(trace, 1);
    return {
      label: `${pin ? `pin ${pin.label}: ` : ''}cell ${cell}${cell === inspected ? ' (inspected)' : ''}, ${classifyCell(trace.outputs, convergence)}`,
      values: [...values, ...Array<number>(k.length - values.length).fill(NaN)],
      color: pin?.color ?? INSPECTED_COLOR, width: cell === inspected ? 2.5 : 1.5,
    };
  });
  return { k, series };
}

/**
 * Fills the inspector panel: for the inspected `cell` (if any) the view's outputs (computed by `engine`) beside its
 * float64 replay and its weights; the E(k) of every replay in `overlays` (the inspected cell and the pinned ones),
 * each replayed in float64 keeping every `every`-th step. In a replica sweep `overlays` holds the inspected cell's
 * replica 0 (its weights, its outputs in the table) and `replicas` the replicas of it and of the pinned cells: the
 * table leads with the cell's replica summary, and E(k) shows its replicas and median (replicaChart).
 */
export function inspectCell(panel: HTMLElement, spec: SweepSpec, view: SweepOutputs, cell: number | undefined, engine: string, overlays: Overlay[], every: number, replicas: ReplicaOverlay[] = []): void {
  panel.hidden = false;
  const replay = overlays.find((o) => o.cell === cell)?.trace, replicated = spec.replicas !== undefined;
  const R = replicated ? ` (${replicaCount(spec)} replicas)` : '';
  panel.querySelector('#inspector-title')!.textContent = cell === undefined ? 'Pinned cells (click a cell to inspect it)' : `Cell ${cell}: ${describeCell(spec, cell)}${R}`;
  panel.querySelector('#inspector-engines')!.textContent = `This view: ${engine}. ${replayEngine(isMlp(spec))}`;
  const table = panel.querySelector<HTMLTableElement>('#inspector-table')!, weights = panel.querySelector<HTMLElement>('#inspector-weights')!;
  table.hidden = weights.hidden = !replay;
  const thin = every > 1 ? ` (every ${every} steps)` : '';
  if (replay && cell !== undefined) {
    const cpu = replay.outputs, computed = isComputed(view, cell);
    const own = replicas.find((o) => o.cell === cell)?.traces;
    fillTable(table, [
      ['', 'this view', 'float64 replay'],
      ...(replicated ? [...replicaRows(view, cell, own, spec.convergence), ['replica 0 ↓', '', '']] : []),
      ...OUTPUT_NAMES.map((key) => [key, computed ? show(key, view[key][cell]) : 'not run yet', show(key, cpu[key])]),
      ['class', computed ? classOf(view, cell, spec.convergence) : 'not run yet', classifyCell(cpu, spec.convergence)],
    ]);
    // Words ("did not diverge") may wrap to fit the column; numbers (7.794345e-12) never break.
    table.querySelectorAll('td').forEach((td) => td.classList.toggle('words', td.textContent!.includes(' ')));
    // Long names (medianStepsToThreshold) may break before a capital, so the table keeps to its column.
    table.querySelectorAll('tr > td:first-child').forEach((td) => {
      const name = td.textContent!;
      if (name.length < 12 || name.includes(' ')) return;
      td.replaceChildren(...name.split(/(?=[A-Z])/).flatMap((part, i) => (i ? [document.createElement('wbr'), part] : [part])));
      td.classList.add('words');
    });
    // The course's eight weights, or an MLP's two weight norms (not its hundreds of weights).
    const w = weightChart(replay, cell, SERIES_COLORS, `${replicated ? ' (replica 0)' : ''}${thin}`);
    const chart = drawCurves(weights, w.title, w.series, { log: w.log, yLabel: w.yLabel, height: 260 });
    chart.setData([traceColumn(replay, 0), ...chart.data.slice(1)] as typeof chart.data); // the real step numbers
    weights.dataset.series = w.series.map((s) => s.label).join(';'); // for tests
  } else replaceChart(weights);
  const loss = panel.querySelector<HTMLElement>('#inspector-loss')!;
  if (replicated) { drawReplicas(loss, replicas, cell, spec.convergence); return; }
  if (!overlays.length) { replaceChart(loss); return; }
  const { k, series } = lossCurves(overlays, cell, spec.convergence);
  const lossChart = drawCurves(loss, `E(k), float64${thin}`, series, { log: true, yLabel: 'E (log)', height: 260 });
  lossChart.setData([k, ...lossChart.data.slice(1)] as typeof lossChart.data); // uPlot's x values are indices; show the steps
  loss.dataset.series = series.map((s) => `${s.label}=${s.color}`).join(';'); // for tests
}

/** The E(k) of a replica sweep's cells (replicaChart) into `target`, or nothing while none is replayed. */
function drawReplicas(target: HTMLElement, replicas: ReplicaOverlay[], cell: number | undefined, rule: SweepSpec['convergence']): void {
  if (!replicas.length) { replaceChart(target); return; }
  const { k, series, markers, title } = replicaChart(replicas, cell, rule);
  const chart = drawCurves(target, title, series, { log: true, yLabel: 'E (log)', height: 260, markers });
  chart.setData([k, ...chart.data.slice(1)] as typeof chart.data);
  target.dataset.series = series.filter((s) => !s.hideLegend).map((s) => `${s.label}=${s.color}`).join(';'); // for tests
  target.dataset.curves = String(series.length);
  target.dataset.markers = String(markers.length);
}

/** Replays kept (per view and cell: a pin is replayed once, not at every redraw), the most recently used last. */
const KEPT_REPLAYS = 40;
/** Replica replays kept (up to 8 MB each at R = 4096): the inspected cell and the pins. */
const KEPT_REPLICA_REPLAYS = 10;

/** `ask()`'s promise, kept in `kept` under `id` (the most recently used last, at most `limit`; a failure is asked again). */
function keptPromise<T>(kept: Map<string, Promise<T>>, limit: number, id: string, ask: () => Promise<T>): Promise<T> {
  const promise = kept.get(id) ?? ask();
  kept.delete(id);
  kept.set(id, promise);
  if (kept.size > limit) kept.delete(kept.keys().next().value!);
  promise.catch(() => kept.delete(id));
  return promise;
}

/**
 * Wires the inspector: the inspected cell (state.inspected, in the link too) replayed on float64 in `checker`, beside the
 * view's outputs for it, and the pinned cells' replays (state.pins) overlaid on its E(k); all marked on `heatmap`. A
 * replay that fails says why in the panel.
 */
export function mountInspector(store: Store, runs: Runs, checker: SweepWorker, heatmap: HeatmapView): void {
  const panel = byId('inspector');
  const replays = new Map<string, Promise<Replay>>(), replicaReplays = new Map<string, Promise<ReplicaTraces>>();
  // A cell's network: replica 0 (network cell · R) in a replica sweep.
  const replayOf = (key: string, spec: SweepSpec, cell: number, every: number) => keptPromise(replays, KEPT_REPLAYS, `${key}#${cell}`, () => {
    const network = cell * replicaCount(spec);
    return isMlp(spec) ? checker.traceMlp(spec, network, every) : checker.trace(spec, network, 'float64', every);
  });
  const replicasOf = (key: string, spec: SweepSpec, cell: number) => keptPromise(replicaReplays, KEPT_REPLICA_REPLAYS, `${key}#${cell}`, () => checker.traceReplicas(spec, cell));
  let asked = 0, shownKey = '';
  store.subscribe((s) => [s.inspected, s.pins, s.view, s.run.phase, s.run.id], async () => {
    const token = ++asked; // every change: replays that return after another change are stale
    const { inspected, pins, view, run, capabilities } = store.get();
    const data = runs.current;
    const onScreen = view && data && run.phase !== 'idle' && data.key === viewKey(view.spec, view.arithmetic);
    const marks = pinMarks(pins);
    heatmap.setMarked(onScreen ? inspected : undefined);
    heatmap.setPins(onScreen ? marks : []);
    if ((inspected === undefined && !marks.length) || !onScreen) { panel.hidden = true; return; }
    const every = replayEvery(view.spec.steps);
    // The inspected cell first (drawn under the pins), in its pin's colour when it is pinned.
    const wanted = [...(inspected !== undefined && !pins.includes(inspected) ? [{ cell: inspected, pin: undefined }] : []), ...marks.map((pin) => ({ cell: pin.cell, pin }))];
    // A replica sweep: the inspected cell's replica 0 (weights, table), and every wanted cell's replicas (its E(k)).
    const replicated = view.spec.replicas !== undefined, singles = replicated ? wanted.filter((w) => w.cell === inspected) : wanted;
    const [settled, settledReplicas] = await Promise.all([
      Promise.allSettled(singles.map(({ cell }) => replayOf(data.key, view.spec, cell, every))),
      Promise.allSettled((replicated ? wanted : []).map(({ cell }) => replicasOf(data.key, view.spec, cell))),
    ]);
    if (token !== asked) return; // the page moved on meanwhile (the replays are kept for when it comes back)
    const failed = [...settled, ...settledReplicas].flatMap((r, i) => {
      const { cell } = i < singles.length ? singles[i] : wanted[i - singles.length];
      return r.status === 'rejected' ? [`cell ${cell} (${describeCell(view.spec, cell)}) could not be replayed: ${(r.reason as Error).message}`] : [];
    });
    const overlays = singles.flatMap((w, i) => { const r = settled[i]; return r.status === 'fulfilled' ? [{ ...w, trace: r.value }] : []; });
    const replicas = wanted.flatMap(({ cell, pin }, i) => { const r = settledReplicas[i]; return r?.status === 'fulfilled' ? [{ cell, traces: r.value, color: pin?.color ?? INSPECTED_COLOR, pin: pin?.label }] : []; });
    inspectCell(panel, view.spec, data.outputs, inspected, data.result ? ranOnText(data.result.ranOn) : plannedText(data.arithmetic, capabilities), overlays, every, replicas);
    if (failed.length) byId('inspector-engines').textContent += ` ${failed.join('; ')}.`;
    // A newly inspected cell is brought into sight when the panel lies off-screen (below the map on narrow screens).
    const key = `${data.key}#${inspected}`;
    if (inspected !== undefined && key !== shownKey && panel.getBoundingClientRect().top > window.innerHeight) panel.scrollIntoView({ block: 'start', behavior: 'smooth' });
    shownKey = key;
  });
}
