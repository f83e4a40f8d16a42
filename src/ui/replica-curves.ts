/**
 * What the inspector draws and lists for a replica cell (pure, tested in Node): its replayed replicas' E(k) as thin
 * lines coloured by class, their median in bold, crosses where diverged ones left, the pinned cells' medians beside
 * it; and the table of the cell's replica summary beside replica 0's outputs.
 */
import { CLASS_COLORS } from '../core/heatmap';
import { classOf, formatOutput, outputArray, REPLICA_OUTPUT_NAMES, type CellClass, type ConvergenceRule, type SweepOutputs } from '../core/outputs';
import { replaySummary, type ReplicaTraces } from '../core/replica-traces';
import { describeReplicas } from '../core/replicas';
import type { ChartMarker, CurveSeries } from './charts';

/** Most replicas drawn as thin lines (replicas 0 … MAX_THIN_CURVES − 1); the median and the crosses take every replayed one. */
export const MAX_THIN_CURVES = 100;

/** A thin line's colour: its class's colour, mostly transparent, so that a crowd of them reads as a density. */
const thinColor = (cls: CellClass) => `rgba(${CLASS_COLORS[cls].join(', ')}, 0.35)`;
/** The crosses of diverged replicas. */
export const DIVERGED_MARK = `rgb(${CLASS_COLORS.diverged.join(', ')})`;

/** One replica cell's replay with how it is drawn: its pin's colour and number (none: the inspected cell, not pinned). */
export interface ReplicaOverlay { cell: number; traces: ReplicaTraces; color: string; pin?: string }

/** "median of 64 replicas" (or "of the first 16 of 4096 replicas" when the budget replayed fewer). */
export const medianLabel = (t: ReplicaTraces) => `median of ${t.replayed < t.replicas ? `the first ${t.replayed} of ${t.replicas}` : t.replayed} replicas`;

/**
 * The E(k) chart of a replica sweep (its title says what it draws): the kept steps; for `inspected` (if replayed) its first MAX_THIN_CURVES replicas
 * as thin lines in their class's colour under `rule` (the legend names each class once, with its count among the
 * replayed), its median curve in bold, and a cross at each diverged replica's divergedAt, at its peakLoss (the highest
 * loss it had before it left); each other overlay (a pinned cell) as its median curve in its colour.
 */
export function replicaChart(overlays: ReplicaOverlay[], inspected: number | undefined, rule: ConvergenceRule): { k: number[]; series: CurveSeries[]; markers: ChartMarker[]; title: string } {
  const k = Array.from(overlays[0].traces.k), series: CurveSeries[] = [], markers: ChartMarker[] = [];
  let drawn = 'the replicas';
  const own = overlays.find((o) => o.cell === inspected);
  if (own) {
    const { traces } = own, points = traces.k.length, classes = Array.from({ length: traces.replayed }, (_, r) => classOf(traces.outputs, r, rule));
    const counts = new Map<CellClass, number>();
    classes.forEach((c) => counts.set(c, (counts.get(c) ?? 0) + 1));
    const named = new Set<CellClass>();
    if (traces.replayed > MAX_THIN_CURVES) drawn = `the first ${MAX_THIN_CURVES} of ${traces.replayed} replicas`;
    for (let r = 0; r < Math.min(traces.replayed, MAX_THIN_CURVES); r++) {
      const cls = classes[r], first = !named.has(cls);
      named.add(cls);
      series.push({ label: `${cls}: ${counts.get(cls)} of ${traces.replayed}`, values: traces.loss.subarray(r * points, (r + 1) * points), color: thinColor(cls), width: 1, hideLegend: !first });
    }
    for (let r = 0; r < traces.replayed; r++) {
      const d = traces.outputs.divergedAt[r];
      if (d >= 0) markers.push({ x: d, y: traces.outputs.peakLoss[r], color: DIVERGED_MARK });
    }
  }
  for (const o of [...overlays.filter((o) => o !== own), ...(own ? [own] : [])]) { // the inspected cell's median on top
    series.push({
      label: `${o.pin ? `pin ${o.pin}: ` : ''}cell ${o.cell}${o === own ? ' (inspected)' : ''}, ${medianLabel(o.traces)}`,
      values: o.traces.median, color: o.color, width: o === own ? 3.5 : 2,
    });
  }
  const every = k.length > 1 ? k[1] - k[0] : 1;
  const title = `E(k) of ${drawn}, float64${every > 1 ? ` (every ${every} steps)` : ''}${markers.length ? '; ×: diverged' : ''}`;
  return { k, series, markers, title };
}

/**
 * The table's replica part for `cell`: the view's summary ("converged 13 of 16 = 81% (95% CI 57–93%)") and its
 * REPLICA_OUTPUTS rows beside the float64 replay's own (when it replayed every replica; else how many it did).
 */
export function replicaRows(view: SweepOutputs, cell: number, traces: ReplicaTraces | undefined, rule: ConvergenceRule): string[][] {
  const computed = (view.replicasConverged?.[cell] ?? -1) >= 0;
  const replay = traces && replaySummary(traces, rule);
  const partial = traces ? `${traces.replayed} of ${traces.replicas} replayed` : 'not replayed';
  return [
    ['replicas', describeReplicas(view, cell), replay ? describeReplicas(replay, 0) : partial],
    ...REPLICA_OUTPUT_NAMES.map((name) => [name, computed ? formatOutput(name, outputArray(view, name)![cell]) : 'not run yet', replay ? formatOutput(name, outputArray(replay, name)![0]) : '–']),
  ];
}
