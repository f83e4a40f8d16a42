import { describe, expect, it } from 'vitest';
import { parseSpec, type SweepSpec } from '../../src/core/spec';
import { INITIAL_STATE, MAX_PINS, pinLimitNote, reduce, resolveArithmetic, type PageState } from '../../src/ui/state';
import { Store } from '../../src/ui/store';
import { MAX_QUERY_LENGTH, PAGE_MAX_CELLS, readUrl, URL_FIELDS, viewLink, writeUrl } from '../../src/ui/url-table';

function spec(raw: Record<string, unknown>): SweepSpec {
  const r = parseSpec(raw);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec;
}
const grid = spec({ x: { param: 'lr', min: 0.1, max: 10, count: 8, scale: 'log' }, y: { param: 'momentum', min: 0, max: 0.9, count: 4 } });
const counters = (cellsDone: number) => ({ cellsDone, cells: 32, networkStepsDone: cellsDone * 1000, networkSteps: 32000, elapsedMs: 10, pass: 1, passes: 2 });
const opened = reduce(INITIAL_STATE, { type: 'open', view: { spec: grid, arithmetic: 'auto' } });

describe('the run state machine', () => {
  it('goes idle → running → finished, and drops every event of another run', () => {
    let s = reduce(opened, { type: 'run-started', id: 7, arithmetic: 'float32', counters: counters(0) });
    expect(s.run).toMatchObject({ id: 7, phase: 'running', arithmetic: 'float32' });
    expect(reduce(s, { type: 'run-progress', id: 6, counters: counters(5) })).toBe(s); // a superseded run's late report
    s = reduce(s, { type: 'run-progress', id: 7, counters: counters(5) });
    expect(s.run.counters?.cellsDone).toBe(5);
    expect(reduce(s, { type: 'run-ended', id: 6, phase: 'finished' })).toBe(s);
    s = reduce(s, { type: 'run-ended', id: 7, phase: 'cancelled', counters: counters(12) });
    expect(s.run).toMatchObject({ phase: 'cancelled', counters: { cellsDone: 12 } });
    expect(reduce(s, { type: 'run-progress', id: 7, counters: counters(20) })).toBe(s); // after its end: nothing changes
    // Continue: a new run of the same view, from where it stood.
    s = reduce(s, { type: 'run-started', id: 8, arithmetic: 'float32', counters: counters(12) });
    s = reduce(s, { type: 'run-ended', id: 8, phase: 'finished', counters: counters(32) });
    expect(s.run).toMatchObject({ id: 8, phase: 'finished', counters: { cellsDone: 32 } });
  });

  it('clears what belonged to the last view when a new one opens', () => {
    let s = reduce(opened, { type: 'inspect', cell: 3 });
    s = reduce(s, { type: 'outline', on: true });
    s = reduce(s, { type: 'run-started', id: 1, arithmetic: 'float64' });
    s = reduce(s, { type: 'link-notes', notes: ['a note'] });
    s = reduce(s, { type: 'metric', metric: 'peakLoss' });
    const next = reduce(s, { type: 'open', view: { spec: grid, arithmetic: 'float64' } });
    expect(next).toMatchObject({ inspected: undefined, outline: false, run: { id: 0, phase: 'idle' }, linkNotes: [], metric: 'peakLoss' });
  });

  it('a bad link shows nothing under its spec; the form’s errors keep the view', () => {
    const bad = reduce(reduce(opened, { type: 'run-started', id: 1, arithmetic: 'float32' }), { type: 'bad-link', errors: ['x: missing'] });
    expect(bad).toMatchObject({ tab: 'sweep', view: undefined, specErrors: ['x: missing'], run: { phase: 'idle' } });
    expect(reduce(opened, { type: 'spec-errors', errors: ['e'] }).view).toBe(opened.view);
  });

  it('resolves auto from what the worker found', () => {
    const found = (device: 'webgpu' | 'cpu') => ({ gpu: { missing: '' }, threads: 2, auto: { device, reason: '' } });
    expect(resolveArithmetic('auto', found('cpu'))).toBe('float64');
    expect(resolveArithmetic('auto', found('webgpu'))).toBe('float32');
    expect(resolveArithmetic('float32', found('cpu'))).toBe('float32');
    // On a real GPU, auto runs a view whose cells are too few float32 steps apart in float64; a chosen float32 stays.
    const fine = spec({ x: { param: 'lr', min: 1, max: 1 + 63 * 2 ** -23, count: 64 } }); // 1 float32 step per cell
    expect(resolveArithmetic('auto', found('webgpu'), fine)).toBe('float64');
    expect(resolveArithmetic('auto', found('webgpu'), grid)).toBe('float32');
    expect(resolveArithmetic('float32', found('webgpu'), fine)).toBe('float32');
  });

  it('runs an MLP view on auto in float32 on a GPU (the WGSL MLP trainer), in float64 where the CPU engine is faster', () => {
    const found = (device: 'webgpu' | 'cpu') => ({ gpu: { missing: '' }, threads: 2, auto: { device, reason: '' } });
    const mlp = spec({ network: { kind: 'mlp', inputs: 4, width: 4, outputs: 1 }, data: { points: 8, seed: 1 }, x: { param: 'lrHidden', min: 0.1, max: 10, count: 8, scale: 'log' } });
    expect(resolveArithmetic('auto', found('webgpu'), mlp)).toBe('float32');
    expect(resolveArithmetic('auto', found('cpu'), mlp)).toBe('float64');
    expect(resolveArithmetic('float64', found('webgpu'), mlp)).toBe('float64'); // a choice stays a choice
  });
});

describe('trusting float32 statistics', () => {
  it('shows them in float64; in float32 only for a complete view whose spot check agrees', async () => {
    const { statisticsTrust } = await import('../../src/ui/precision');
    expect(statisticsTrust(grid, 'float64', undefined, false)).toEqual({ shown: true });
    expect(statisticsTrust(grid, 'float32', undefined, false)).toMatchObject({ shown: false, pending: false, reason: expect.stringMatching(/once it is complete/) });
    expect(statisticsTrust(grid, 'float32', undefined, true)).toMatchObject({ shown: false, pending: true });
    expect(statisticsTrust(grid, 'float32', { agreement: 0.995, cells: 512 }, true)).toEqual({ shown: true });
    expect(statisticsTrust(grid, 'float32', { agreement: 0.9, cells: 512 }, true)).toMatchObject({ shown: false, reason: expect.stringMatching(/disagree on the class of 10\.0% of 512/) });
    expect(statisticsTrust(grid, 'float32', { agreement: NaN, cells: 0 }, true)).toMatchObject({ shown: false, reason: expect.stringMatching(/could not run/) });
    const fine = spec({ x: { param: 'lr', min: 1, max: 1 + 63 * 2 ** -23, count: 64 } });
    expect(statisticsTrust(fine, 'float32', { agreement: 1, cells: 512 }, true)).toMatchObject({ shown: false, reason: expect.stringMatching(/too few float32 steps apart/) });
  });

  it('keeps a job beside the view running across a new view (the job owns it)', () => {
    const busy = reduce(opened, { type: 'aside', job: 'compare' });
    expect(reduce(busy, { type: 'open', view: { spec: grid, arithmetic: 'auto' } }).aside).toBe('compare');
    expect(reduce(busy, { type: 'bad-link', errors: ['e'] }).aside).toBe('compare');
  });
});

describe('pinned cells', () => {
  const pin = (s: PageState, ...cells: number[]) => cells.reduce((t, cell) => reduce(t, { type: 'pin', cell }), s);

  it('take the first free colour slot, and keep their slot when another is removed', () => {
    let s = pin(opened, 12, 5, 30);
    expect(s.pins).toEqual([12, 5, 30]);
    s = reduce(s, { type: 'unpin', cell: 5 });
    expect(s.pins).toEqual([12, null, 30]); // 30 keeps the third colour
    expect(pin(s, 7).pins).toEqual([12, 7, 30]); // the freed slot is taken first
    expect(reduce(s, { type: 'unpin', cell: 30 }).pins).toEqual([12]); // no freed slot trails
    expect(reduce(s, { type: 'pins', pins: [] }).pins).toEqual([]); // Clear pins
  });

  it('pin a cell of the view once, at most MAX_PINS, and name the limit and how to free a slot', () => {
    expect(pin(opened, 12, 12).pins).toEqual([12]);
    expect(pin(opened, 32, -1, 1.5).pins).toEqual([]); // the grid has 8 × 4 = 32 cells: 0 … 31
    const full = pin(opened, 0, 1, 2, 3, 4, 5, 6, 7);
    expect(full.pins).toHaveLength(MAX_PINS);
    expect(pin(full, 8)).toBe(full);
    expect(pinLimitNote(full, 8)).toMatch(/8 cells are pinned, the most at once: remove one \(× on its chip\) or Clear pins to pin cell 8/);
    expect(pinLimitNote(full, 3)).toBeUndefined(); // already pinned
    expect(pinLimitNote(pin(opened, 0), 8)).toBeUndefined();
  });

  it('belong to their view: a new view starts with the pins its link names, or none', () => {
    const s = pin(opened, 3, 4);
    expect(reduce(s, { type: 'open', view: { spec: grid, arithmetic: 'float64' } }).pins).toEqual([]);
    expect(reduce(s, { type: 'open', view: { spec: grid, arithmetic: 'auto' }, pins: [9] }).pins).toEqual([9]);
    expect(reduce(s, { type: 'bad-link', errors: ['e'] }).pins).toEqual([]);
  });
});

describe('the store', () => {
  it('tells a subscriber only when its part changed (arrays element by element)', () => {
    const store = new Store(INITIAL_STATE);
    const calls = { metric: 0, pair: 0 };
    store.subscribe((s) => s.metric, () => calls.metric++);
    store.subscribe((s) => [s.tab, s.outline], () => calls.pair++);
    expect(calls).toEqual({ metric: 1, pair: 1 }); // once at subscription
    store.dispatch({ type: 'metric', metric: 'finalLoss' }); // the same value
    store.dispatch({ type: 'trail', index: 1, last: 1 });
    expect(calls).toEqual({ metric: 1, pair: 1 });
    store.dispatch({ type: 'metric', metric: 'class' });
    store.dispatch({ type: 'outline', on: true });
    expect(calls).toEqual({ metric: 2, pair: 2 });
  });
});

describe('the URL table', () => {
  const sweep = (over: Partial<PageState>): PageState => ({ ...opened, ...over });

  it('round-trips every field it holds', () => {
    const state = sweep({ view: { spec: grid, arithmetic: 'float64' }, metric: 'peakLoss', outline: true, inspected: 17, pins: [12, null, 30] });
    const url = writeUrl(state);
    expect(new URLSearchParams(url.slice(1)).get('arithmetic')).toBe('float64');
    const back = readUrl(url);
    expect(new URLSearchParams(url.slice(1)).get('pins')).toBe('12,,30');
    expect(back).toMatchObject({ tab: 'sweep', view: { spec: grid, arithmetic: 'float64' }, metric: 'peakLoss', outline: true, inspected: 17, pins: [12, null, 30], specErrors: [], linkNotes: [] });
    const course = readUrl(writeUrl({ ...INITIAL_STATE, coursePreset: 'eva' }));
    expect(course).toMatchObject({ tab: 'course', coursePreset: 'eva' });
    expect(course.view).toBeUndefined();
    expect(writeUrl(INITIAL_STATE)).toBe('?');
  });

  it('keeps a locked colour scale in the link, for its metric only', () => {
    const locked = sweep({ metric: 'peakLoss', lockedScale: { metric: 'peakLoss', kind: 'log', min: 0.01, max: 0.2 } });
    expect(readUrl(writeUrl(locked)).lockedScale).toEqual(locked.lockedScale);
    expect(reduce(locked, { type: 'metric', metric: 'finalLoss' }).lockedScale).toBeUndefined();
    expect(reduce(locked, { type: 'open', view: { spec: grid, arithmetic: 'auto' } }).lockedScale).toEqual(locked.lockedScale); // a zoom keeps it
    expect(readUrl(`${viewLink(grid)}&metric=finalLoss&scale=0~1`).linkNotes[0]).toMatch(/scale: "0~1" is not min~max with min < max and min > 0 for finalLoss/);
  });

  it('leaves defaults out, so a plain view’s link is just its spec', () => {
    const url = writeUrl(sweep({}));
    expect([...new URLSearchParams(url.slice(1)).keys()]).toEqual(['spec']);
    expect(url).toBe(viewLink(grid));
  });

  it('names every bad value and keeps its default', () => {
    const base = viewLink(grid);
    const r = readUrl(`${base}&arithmetic=float16&metric=speed&cell=99&outline=yes`);
    expect(r.view?.arithmetic).toBe('auto');
    expect(r.metric).toBe('finalLoss');
    expect(r.inspected).toBeUndefined();
    expect(r.outline).toBe(false);
    expect(r.linkNotes.join('\n')).toMatch(/arithmetic: "float16" is not one; use float32 .* or float64/);
    expect(r.linkNotes.join('\n')).toMatch(/metric: "speed" is not one of finalLoss, minLoss, peakLoss/);
    expect(r.linkNotes.join('\n')).toMatch(/cell: "99" is not a cell of this sweep \(0 … 31\)/);
    expect(readUrl('?preset=nope').linkNotes[0]).toMatch(/preset: "nope" is not one of/);
  });

  it('names bad pins and keeps the good ones in their slots', () => {
    const r = readUrl(`${viewLink(grid)}&pins=3,32,x,3,,9`);
    expect(r.pins).toEqual([3, null, null, null, null, 9]);
    expect(r.linkNotes).toEqual(['pins: "32" is not a cell of this sweep (0 … 31); left unpinned; "x" is not a cell of this sweep (0 … 31); left unpinned; cell 3 is named twice; pinned once.']);
    const many = readUrl(`${viewLink(grid)}&pins=${Array.from({ length: 10 }, (_, i) => i).join(',')}`);
    expect(many.pins).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(many.linkNotes[0]).toMatch(/pins: 10 entries are more than the 8 pins there are; the first 8 are kept/);
    expect(readUrl(`${viewLink(grid)}&pins=,,`)).toMatchObject({ pins: [], linkNotes: [] });
  });

  it('reports a broken spec, and one too large for the page, with the spec for the form', () => {
    const broken = readUrl(`?spec=${encodeURIComponent('{"x": {"param": "lr", "count": -2}}')}`);
    expect(broken.tab).toBe('sweep');
    expect(broken.view).toBeUndefined();
    expect(broken.specErrors.join('\n')).toMatch(/x\.count: must be a positive integer/);
    expect(readUrl('?spec=%7B%22x%22').specErrors[0]).toMatch(/not valid JSON/);
    const huge = readUrl(viewLink({ x: { param: 'lr', min: 0.1, max: 1, count: 4096 }, y: { param: 'initScale', min: 0.1, max: 1, count: 2048 } }));
    expect(huge.view).toBeUndefined();
    expect(huge.specErrors[0]).toMatch(new RegExp(`more than this page holds \\(${PAGE_MAX_CELLS.toLocaleString()}.*npm run sweep`));
    expect(huge.rejected && 'spec' in huge.rejected && huge.rejected.spec.x).toMatchObject({ count: 4096 });
    expect(broken.rejected).toEqual({ raw: { x: { param: 'lr', count: -2 } } });
  });

  it('puts a link too long for a request line in the fragment, and reads it back', () => {
    const long = spec({ x: { param: 'lr', values: Array.from({ length: 1000 }, (_, i) => 0.001 * (i + 1)) } });
    const url = writeUrl(sweep({ view: { spec: long, arithmetic: 'float32' }, inspected: 5 }));
    expect(url.startsWith('?#spec=')).toBe(true);
    expect(url.length).toBeGreaterThan(MAX_QUERY_LENGTH);
    expect(new URL(url, 'http://localhost/?spec=old').search).toBe(''); // the old query goes
    expect(readUrl('', url.slice(1))).toMatchObject({ view: { spec: long, arithmetic: 'float32' }, inspected: 5 });
  });

  it('has one row per key, spec first (the rows after it read the view it sets)', () => {
    const keys = URL_FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[0]).toBe('spec');
  });
});
