/**
 * What the inspector draws and lists for a replica cell (src/ui/replica-curves.ts): thin lines by class, the median in
 * bold on top, a cross per diverged replica, pins' medians; the table's replica part beside the replay's own.
 */
import { describe, expect, it } from 'vitest';
import { allocateOutputs, setCell, type CellOutputs } from '../../src/core/outputs';
import { medianCurve, type ReplicaTraces } from '../../src/core/replica-traces';
import { reduceCell } from '../../src/core/replicas';
import { DIVERGED_MARK, MAX_THIN_CURVES, medianLabel, replicaChart, replicaRows } from '../../src/ui/replica-curves';

const converged: CellOutputs = { finalLoss: 1e-9, minLoss: 1e-9, peakLoss: 0.5, tailLossRatio: 1e-6, score: -1, stepsToThreshold: 2, settledAt: 2, divergedAt: -1 };
const stalled: CellOutputs = { ...converged, finalLoss: 0.2, minLoss: 0.2, stepsToThreshold: -1, settledAt: -1 };
const diverged = (at: number, peak: number): CellOutputs => ({ ...stalled, finalLoss: NaN, tailLossRatio: NaN, peakLoss: peak, divergedAt: at });

/** Replicas of `cells` (each with its losses on k = 0, 2, 4) as a cell's replay of R replicas. */
function traces(cell: number, cells: CellOutputs[], loss: number[][], R = cells.length): ReplicaTraces {
  const outputs = allocateOutputs(cells.length);
  cells.forEach((c, r) => setCell(outputs, r, c));
  const flat = Float64Array.from(loss.flat());
  return { cell, replicas: R, replayed: cells.length, k: Float64Array.from([0, 2, 4]), loss: flat, median: medianCurve(flat, cells.length, 3), outputs };
}

describe("a replica cell's E(k)", () => {
  const own = traces(5, [converged, stalled, diverged(3, 1e40), converged], [[1, 0.1, 1e-9], [1, 0.5, 0.2], [1, 1e20, NaN], [2, 0.3, 1e-9]]);
  const pinned = traces(7, [stalled, stalled], [[1, 1, 1], [3, 3, 3]]);

  it('draws each replica thin in its class colour (each class named once), the median bold on top, a cross where one diverged', () => {
    const { k, series, markers } = replicaChart([{ cell: 7, traces: pinned, color: 'orange', pin: '1' }, { cell: 5, traces: own, color: 'blue' }], 5, 'ends-below');
    expect(k).toEqual([0, 2, 4]);
    expect(series.slice(0, 4).map((s) => [s.width, s.hideLegend, s.label])).toEqual([
      [1, false, 'converged: 2 of 4'], [1, false, 'stalled: 1 of 4'], [1, false, 'diverged: 1 of 4'], [1, true, 'converged: 2 of 4'],
    ]);
    expect(series[0].color).toBe('rgba(53, 183, 121, 0.35)');
    expect(Array.from(series[2].values)).toEqual([1, 1e20, NaN]);
    // The pin's median under the inspected cell's; medians over the replicas not diverged by then.
    expect(series.slice(4).map((s) => [s.label, s.color, s.width])).toEqual([
      ['pin 1: cell 7, median of 2 replicas', 'orange', 2], ['cell 5 (inspected), median of 4 replicas', 'blue', 3.5],
    ]);
    expect(Array.from(series[4].values)).toEqual([2, 2, 2]);
    expect(Array.from(series[5].values)).toEqual([1, 0.4, 1e-9]); // at k = 2 the replica that diverges at 3 still counts
    expect(markers).toEqual([{ x: 3, y: 1e40, color: DIVERGED_MARK }]);
    expect(replicaChart([{ cell: 5, traces: own, color: 'blue' }], 5, 'ends-below').title).toBe('E(k) of the replicas, float64 (every 2 steps); ×: diverged');
  });

  it('draws only medians when the inspected cell is not replayed, and at most MAX_THIN_CURVES thin lines', () => {
    expect(replicaChart([{ cell: 7, traces: pinned, color: 'orange', pin: '1' }], undefined, 'ends-below').series).toHaveLength(1);
    const many = traces(0, Array(MAX_THIN_CURVES + 5).fill(converged), Array(MAX_THIN_CURVES + 5).fill([1, 0.5, 0.1]));
    const chart = replicaChart([{ cell: 0, traces: many, color: 'blue' }], 0, 'ends-below');
    expect(chart.series).toHaveLength(MAX_THIN_CURVES + 1);
    expect(chart.title).toBe(`E(k) of the first ${MAX_THIN_CURVES} of ${MAX_THIN_CURVES + 5} replicas, float64 (every 2 steps)`);
  });

  it('says when the budget replayed only the first replicas', () => {
    expect(medianLabel(traces(0, [converged, converged], [[1, 1, 1], [1, 1, 1]], 4096))).toBe('median of the first 2 of 4096 replicas');
  });
});

describe("a replica cell's table", () => {
  const own = traces(0, [converged, stalled, diverged(3, 1e40), converged], [[1, 1, 1], [1, 1, 1], [1, 1, NaN], [1, 1, 1]]);
  const view = allocateOutputs(2, true);
  reduceCell(own.outputs, 0, 4, 'ends-below', view, 0);

  it("lists the view's summary and its rows beside the replay's own, equal when the replay is the sweep's", () => {
    const rows = replicaRows(view, 0, own, 'ends-below');
    expect(rows[0]).toEqual(['replicas', 'converged 2 of 4 = 50% (95% CI 15–85%)', 'converged 2 of 4 = 50% (95% CI 15–85%)']);
    expect(rows.find((r) => r[0] === 'pConverged')).toEqual(['pConverged', '50.0%', '50.0%']);
    expect(rows.find((r) => r[0] === 'divergedAtMedian')).toEqual(['divergedAtMedian', '3', '3']);
    expect(rows.find((r) => r[0] === 'replicasStalled')).toEqual(['replicasStalled', '1', '1']);
  });

  it('says how many were replayed when not all were, and "not run yet" for a cell not computed', () => {
    const part = { ...own, replicas: 64 };
    expect(replicaRows(view, 0, part, 'ends-below')[0][2]).toBe('4 of 64 replayed');
    expect(replicaRows(view, 1, own, 'ends-below')[1].slice(0, 2)).toEqual(['pConverged', 'not run yet']);
    expect(replicaRows(view, 1, undefined, 'ends-below')[0]).toEqual(['replicas', 'not run yet', 'not replayed']);
  });
});
