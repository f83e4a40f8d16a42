import { describe, expect, it } from 'vitest';
import { compareReplicaCounts } from '../../src/core/compare';
import { barTicks, barTitle, heatmapScale } from '../../src/core/heatmap';
import { runReference } from '../../src/core/cpu-runner';
import { allocateOutputs, outputArray, outputsAt, rowsOfSpec } from '../../src/core/outputs';
import { reduceCell } from '../../src/core/replicas';
import { parseSpec, type SweepSpec } from '../../src/core/spec';
import { readOut } from '../../src/ui/readout';
import { replicaFacts, replicaFactsText } from '../../src/ui/replica-facts';
import { DRAWS_MEANING, readReplicaFields, replicaFieldTexts } from '../../src/ui/replica-form';
import { Runs } from '../../src/ui/runs';
import { defaultMetric, INITIAL_STATE, openingMetric, reduce, type PageState } from '../../src/ui/state';
import { Store } from '../../src/ui/store';
import type { SweepWorker } from '../../src/ui/sweep-client';
import type { SweepProgress, SweepRunResult } from '../../src/worker/sweep.worker';
import { PAGE_MAX_CELLS, pageLimitError, readUrl, viewLink, writeUrl } from '../../src/ui/url-table';

function spec(raw: Record<string, unknown>): SweepSpec {
  const r = parseSpec(raw);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec;
}
const axes = { x: { param: 'lr', min: 0.1, max: 10, count: 8, scale: 'log' }, y: { param: 'initScale', min: 0.5, max: 2, count: 4 } };
const plain = spec(axes);
const replicas = spec({ ...axes, init: { distribution: 'normal', scale: 1, seed: 3 }, replicas: { count: 16, draws: 'independent' } });
const open = (state: PageState, s: SweepSpec, metric?: PageState['metric']) => reduce(state, { type: 'open', view: { spec: s, arithmetic: 'auto' }, metric });

describe('the metric of a replica view', () => {
  it('opens on pConverged after a plain view (or none), keeps a replica row on a zoom, and falls back where a view lacks it', () => {
    expect(defaultMetric(replicas)).toBe('pConverged');
    expect(defaultMetric(plain)).toBe('finalLoss');
    const first = open(INITIAL_STATE, replicas);
    expect(first.metric).toBe('pConverged');
    const counts = reduce(first, { type: 'metric', metric: 'replicasDiverged' });
    expect(open(counts, replicas).metric).toBe('replicasDiverged'); // a zoom of a replica view keeps its metric
    expect(open(counts, plain).metric).toBe('finalLoss'); // a plain view has no replica rows
    const loss = open(reduce(open(INITIAL_STATE, plain), { type: 'metric', metric: 'peakLoss' }), replicas);
    expect(loss.metric).toBe('pConverged'); // plain → replica: the probability, not the last view's loss
    expect(open(INITIAL_STATE, replicas, 'minLoss').metric).toBe('minLoss'); // asked for (a link, a ready-made view)
    expect(open(INITIAL_STATE, plain, 'pConverged').metric).toBe('finalLoss');
    expect(openingMetric(replicas, replicas, 'class')).toBe('class');
  });
});

describe('the URL of a replica view', () => {
  it('round-trips the replicas and the metric, leaving the view’s default metric out', () => {
    const state = open(INITIAL_STATE, replicas);
    const url = writeUrl(state);
    expect([...new URLSearchParams(url.slice(1)).keys()]).toEqual(['spec']); // pConverged is this view's default
    const back = readUrl(url);
    expect(back.view?.spec.replicas).toEqual({ count: 16, draws: 'independent', keep: 'summary' });
    expect(back.view?.spec).toEqual(replicas);
    expect(back.metric).toBe('pConverged');
    const loss = readUrl(writeUrl(reduce(state, { type: 'metric', metric: 'finalLoss' })));
    expect(loss.metric).toBe('finalLoss'); // replica 0's loss is named in the link, since it is not the default
    expect(open(INITIAL_STATE, loss.view!.spec, loss.metric).metric).toBe('finalLoss');
  });

  it('locks a probability or count scale linearly, and names a replica metric in a plain view’s link', () => {
    const r = readUrl(`${viewLink(replicas)}&metric=replicasConverged&scale=0~8`);
    expect(r.lockedScale).toEqual({ metric: 'replicasConverged', kind: 'linear', min: 0, max: 8 });
    const p = readUrl(`${viewLink(plain)}&metric=pConverged`);
    expect(p.metric).toBe('finalLoss');
    expect(p.linkNotes[0]).toMatch(/metric: "pConverged" is a replica sweep's, and this sweep has no replicas; showing finalLoss/);
  });

  it('counts cells, not cells × replicas, against the page’s limit (it keeps one summary a cell), and leaves keep "all" to the command line', () => {
    const big = (side: number, count: number) => spec({ x: { param: 'lr', min: 0.1, max: 1, count: side }, y: { param: 'initScale', min: 0.1, max: 1, count: side }, steps: 10, replicas: { count } });
    expect(pageLimitError(big(512, 64))).toBeUndefined(); // the 512² × 64: the spec's most networks
    expect(pageLimitError(big(2049, 1))).toMatch(new RegExp(`4,198,401 cells are more than this page holds \\(${PAGE_MAX_CELLS.toLocaleString()}, e.g. 2048 × 2048; replicas do not count`));
    expect(pageLimitError(spec({ ...axes, replicas: { count: 4, keep: 'all' } }))).toMatch(/replicas.keep: "all" .* is for the command line/);
    const link = readUrl(viewLink(spec({ ...axes, replicas: { count: 4, keep: 'all' } })));
    expect(link.view).toBeUndefined();
    expect(link.rejected && 'spec' in link.rejected && link.rejected.spec.replicas?.keep).toBe('all');
  });
});

describe('the hover read-out of a replica view', () => {
  // Cell 0: 13 of 16 converged, 2 stalled, 1 diverged (replica 0 converged); cell 1 not run.
  const outputs = allocateOutputs(2, true);
  const reduced = allocateOutputs(16);
  for (let r = 0; r < 16; r++) {
    if (r < 13) { reduced.finalLoss[r] = 1e-6; reduced.settledAt[r] = 100 + r; reduced.stepsToThreshold[r] = 90 + r; reduced.divergedAt[r] = -1; }
    else if (r < 15) { reduced.finalLoss[r] = 0.3; reduced.divergedAt[r] = -1; }
    else reduced.divergedAt[r] = 7;
  }
  reduceCell(reduced, 0, 16, 'ends-below', outputs, 0);

  it('gives the counts with the Wilson interval, then the metric shown (replica 0’s for an OUTPUTS row)', () => {
    expect(readOut(outputs, 0, 'pConverged', 'ends-below')).toBe('converged 13 of 16 = 81% (95% CI 57–93%); stalled 2, diverged 1');
    expect(readOut(outputs, 0, 'medianStepsToThreshold', 'ends-below')).toBe('converged 13 of 16 = 81% (95% CI 57–93%); stalled 2, diverged 1; medianStepsToThreshold 96');
    expect(readOut(outputs, 0, 'finalLoss', 'ends-below')).toMatch(/^converged 13 of 16 = 81% .*; replica 0: finalLoss 1\.000e-6, .*\(converged\)$/);
    expect(readOut(outputs, 1, 'pConverged', 'ends-below')).toBe('not run yet');
    expect(readOut(reduced, 15, 'finalLoss', 'ends-below')).toMatch(/\(diverged\)$/); // a plain sweep's outputs: as before
  });
});

describe('the form’s replicas', () => {
  const texts = (t: Record<string, string>) => (path: string) => t[path] ?? '';
  it('reads a blank count as a plain sweep and any count (1 included) as a replica sweep, and fills back what it read', () => {
    expect(readReplicaFields(texts({ 'replicas.count': ' ', 'replicas.draws': 'independent' }))).toBeUndefined();
    expect(readReplicaFields(texts({ 'replicas.count': '1', 'replicas.draws': 'common' }))).toEqual({ count: 1, draws: 'common' });
    expect(readReplicaFields(texts({ 'replicas.count': 'many', 'replicas.draws': 'common' }))).toEqual({ count: 'many', draws: 'common' }); // validation names it
    for (const s of [plain, replicas]) {
      const read = readReplicaFields(texts(replicaFieldTexts(s.replicas)));
      expect(spec({ ...axes, init: s.init, ...(read ? { replicas: read } : {}) })).toEqual(s);
    }
    expect(DRAWS_MEANING.common).toMatch(/the same R draws in every cell, so neighbouring cells differ by the hyperparameter, not by luck/);
  });

  it('gets the spec’s own message for a seed axis beside replicas', () => {
    const r = parseSpec({ x: axes.x, y: { param: 'seed', count: 4 }, replicas: readReplicaFields(texts({ 'replicas.count': '8', 'replicas.draws': 'common' })) });
    expect(r.ok ? [] : r.errors).toEqual([expect.stringMatching(/^replicas: a seed axis and replicas both choose the initial draws/)]);
  });
});

describe('float32 against float64 in a replica view', () => {
  it('counts the cells whose converged count differs, the largest difference, and outlines those and replica 0’s class changes', () => {
    const f32 = allocateOutputs(4, true), f64 = allocateOutputs(4, true);
    const set = (o: typeof f32, cell: number, converged: number, replica0: 'converged' | 'stalled') => {
      o.replicasConverged![cell] = converged; o.replicasStalled![cell] = 16 - converged; o.replicasDiverged![cell] = 0;
      o.finalLoss[cell] = replica0 === 'converged' ? 1e-6 : 0.3; o.settledAt[cell] = replica0 === 'converged' ? 10 : -1; o.divergedAt[cell] = -1;
    };
    [[16, 'converged'], [9, 'converged'], [0, 'stalled'], [5, 'converged']].forEach(([k, c], i) => set(f64, i, k as number, c as 'converged'));
    [[16, 'converged'], [12, 'converged'], [0, 'stalled'], [5, 'stalled']].forEach(([k, c], i) => set(f32, i, k as number, c as 'converged'));
    const r = compareReplicaCounts(f32, f64, 'ends-below');
    expect(r).toMatchObject({ cells: 4, countDisagreements: 1, countAgreementRate: 0.75, largestDifference: 3, largestAt: 1 });
    expect(Array.from(r.map)).toEqual([0, 1, 0, 1]); // cell 3: the counts agree, replica 0's class does not
    expect(compareReplicaCounts(f32, f64, 'ends-below', [0, 2])).toMatchObject({ cells: 2, countDisagreements: 0, countAgreementRate: 1, largestAt: -1 });
  });

  it('states a finished replica view by its counts, not replica 0’s classes', () => {
    const o = allocateOutputs(5, true);
    [16, 0, 4, 16, -1].forEach((k, i) => { o.replicasConverged![i] = k; });
    expect(replicaFacts(o, 16)).toEqual({ all: 2, none: 1, some: 1, cells: 4, meanP: (2 + 0.25) / 4 });
    expect(replicaFactsText(o, { count: 16, draws: 'common', keep: 'summary' }, 'reached')).toBe('16 replicas a cell (common draws): every replica converged in 2 cells, none in 1, some in 1; mean pConverged 56.3% (converged: reached the threshold once).');
  });
});

describe('a replica view’s data on the page', () => {
  it('is the same in the page’s smaller chunks (RunOptions.chunkNetworks) as in the default ones, a chunk smaller than R included', async () => {
    const s = spec({ x: { param: 'lr', min: 0.5, max: 8, count: 5, scale: 'log' }, activation: 'tanh', steps: 80, init: { distribution: 'normal', scale: 1, seed: 4 }, replicas: { count: 6 } });
    const whole = (await runReference(s, 'float64')).outputs;
    for (const chunkNetworks of [12, 5]) {
      const chunked = (await runReference(s, 'float64', { chunkNetworks })).outputs;
      for (const row of rowsOfSpec(s)) expect(Array.from(outputArray(chunked, row.name as 'pConverged')!), `${row.name}, chunks of ${chunkNetworks}`).toEqual(Array.from(outputArray(whole, row.name as 'pConverged')!));
    }
  });

  it('keeps the replica rows of the cells that arrive and of the finished run, for the map, the hover and the exports', async () => {
    const small = spec({ x: { param: 'lr', min: 0.5, max: 5, count: 4 }, steps: 60, init: { distribution: 'normal', scale: 1, seed: 1 }, replicas: { count: 8 } });
    const truth = (await runReference(small, 'float64')).outputs;
    const worker = {
      cancel: async () => undefined,
      // Two cells arrive as progress (positions 0 and 1 of the order), then the finished run brings every cell.
      run: async (_: SweepSpec, request: { cellOrder: Int32Array }, onProgress: (p: SweepProgress) => void): Promise<SweepRunResult> => {
        onProgress({ cellsDone: 2, cells: 4, networkStepsDone: 2 * 8 * 60, networkSteps: 4 * 8 * 60, elapsedMs: 1, fresh: { first: 0, outputs: outputsAt(truth, 0, 2, request.cellOrder) } });
        return { outputs: truth, status: 'complete', cellsDone: 4, elapsedMs: 2, networkStepsPerSecond: 1, ranOn: { device: 'cpu', threads: 1, arithmetic: 'float64' } };
      },
    };
    const store = new Store(INITIAL_STATE), seen: number[] = [];
    store.dispatch({ type: 'open', view: { spec: small, arithmetic: 'float64' } });
    const runs = new Runs(store, worker as unknown as SweepWorker, Promise.resolve(true));
    store.subscribe((s) => s.run.counters?.networkStepsDone, () => { const c = store.get().run.counters; if (c) seen.push(c.networkStepsDone / c.networkSteps); });
    await runs.show(small, 'float64');
    const view = runs.current!;
    for (const row of rowsOfSpec(small)) expect(Array.from(outputArray(view.outputs, row.name as 'pConverged')!), row.name).toEqual(Array.from(outputArray(truth, row.name as 'pConverged')!));
    expect(store.get().run).toMatchObject({ phase: 'finished', counters: { networkStepsDone: 4 * 8 * 60, networkSteps: 4 * 8 * 60 } }); // R networks a cell
    expect(seen.every((f) => f <= 1)).toBe(true);
    expect(view.result?.outputs).toBe(view.outputs); // what results.json and the CSV are written from
    // Under another rule a plain view is only classified again; a replica view's counts were folded under the rule.
    let runsAsked = 0;
    const counting = { ...worker, run: (...a: Parameters<typeof worker.run>) => { runsAsked++; return worker.run(...a); } };
    const again = new Runs(store, counting as unknown as SweepWorker, Promise.resolve(true));
    await again.show(small, 'float64');
    const reached = { ...small, convergence: 'reached' as const };
    store.dispatch({ type: 'open', view: { spec: reached, arithmetic: 'float64' } });
    await again.show(reached, 'float64');
    expect(runsAsked).toBe(2);
  });
});

describe('the colour bar of a replica view', () => {
  it('labels probabilities 0 … 1 and counts with whole replicas only', () => {
    const labels = (metric: 'pConverged' | 'replicasConverged', max: number) => barTicks({ metric, kind: 'linear', min: 0, max }).map((t) => t.label);
    expect(labels('pConverged', 1)).toEqual(['0', '0.5', '1']);
    expect(labels('replicasConverged', 3)).toEqual(['0', '1', '2', '3']); // not 1.5 replicas
    expect(labels('replicasConverged', 7)).toEqual(['0', '7']);
    expect(barTicks({ metric: 'replicasDiverged', kind: 'linear', min: 0, max: 64 })).toEqual([{ position: 0, label: '0' }, { position: 0.5, label: '32' }, { position: 1, label: '64' }]);
    expect(barTitle(heatmapScale(allocateOutputs(1, true), 'pConverged', replicas))).toBe('pConverged (0 … 1)');
    expect(heatmapScale(allocateOutputs(1, true), 'replicasStalled', replicas)).toMatchObject({ kind: 'linear', min: 0, max: 16 });
  });
});
