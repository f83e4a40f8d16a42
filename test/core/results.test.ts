import { describe, expect, it } from 'vitest';
import { allocateOutputs } from '../../src/core/outputs';
import { outputsAt } from '../../src/core/outputs';
import { buildResults, mergeResults, outputsFromResults, partRange, resultsHead, type ReadResults } from '../../src/core/results';
import { parseSpec, type SweepSpec } from '../../src/core/spec';

function spec(input: Record<string, unknown>): SweepSpec {
  const r = parseSpec(input);
  if (!r.ok) throw new Error(r.errors.join());
  return r.spec;
}

const sweep = spec({ x: { param: 'lr', min: 0.1, max: 10, count: 7, scale: 'log' }, y: { param: 'initScale', values: [0.5, 1] } });

/** The whole sweep's outputs with recognisable values: finalLoss = cell index + 1, one diverged cell at k = 0. */
function wholeOutputs() {
  const o = allocateOutputs(14);
  for (let i = 0; i < 14; i++) { o.finalLoss[i] = i + 1; o.minLoss[i] = i + 0.5; o.peakLoss[i] = i + 2; o.stepsToThreshold[i] = i; }
  o.finalLoss[3] = NaN; o.minLoss[3] = Infinity; o.peakLoss[3] = -Infinity; o.divergedAt[3] = 0; o.stepsToThreshold[3] = -1;
  return o;
}
const run = (cellsDone: number) => ({ outputs: wholeOutputs(), status: 'complete' as const, cellsDone, elapsedMs: 10, networkStepsPerSecond: 1 });
const part = (index: number, count: number, status: 'complete' | 'cancelled' = 'complete'): ReadResults => {
  const { first, end } = partRange(14, index, count);
  return { name: `part-${index}-of-${count}.json`, head: resultsHead(sweep, 'cpu', 'test', { ...run(end - first), status }, { index, count }), outputs: outputsAt(wholeOutputs(), first, end) };
};

describe('sharded results', () => {
  it('split the cells into contiguous, disjoint parts covering the sweep', () => {
    expect([0, 1, 2].map((i) => partRange(14, i, 3))).toEqual([{ first: 0, end: 4 }, { first: 4, end: 9 }, { first: 9, end: 14 }]);
    expect(buildResults(sweep, 'cpu', 'test', run(5), { index: 1, count: 3 }).outputs.finalLoss).toEqual([5, 6, 7, 8, 9]);
  });

  it('merge back into the whole sweep\'s document (timings summed)', () => {
    const merged = mergeResults([part(2, 3), part(0, 3), part(1, 3)]);
    expect(merged.ok && { ...merged.head, timings: undefined }).toEqual({ ...resultsHead(sweep, 'cpu', 'test', run(14)), timings: undefined });
    expect(merged.ok && merged.outputs).toEqual(wholeOutputs());
    expect(merged.ok && merged.head.timings.elapsedMs).toBe(30);
  });

  it('refuse what is not one complete set of parts of one spec, naming the fix', () => {
    const error = (parts: ReadResults[]) => { const r = mergeResults(parts); return r.ok ? '' : r.error; };
    expect(error([part(0, 3), part(2, 3)])).toBe('missing part 1 of 3: run --shard 1/3');
    expect(error([part(0, 2), part(0, 2)])).toMatch(/part 0 is also in part-0-of-2\.json/);
    expect(error([part(0, 2), part(1, 3)])).toMatch(/part of 3, but part-0-of-2\.json is part of 2/);
    expect(error([part(0, 2), part(1, 2, 'cancelled')])).toMatch(/part 1 is cancelled .*finish it with --resume, or run --shard 1\/2 again/);
    const other = { ...part(1, 2) }; other.head = { ...other.head, spec: { ...sweep, steps: 7 } };
    expect(error([part(0, 2), other])).toMatch(/a different spec/);
    const whole = { name: 'results.json', head: resultsHead(sweep, 'cpu', 'test', run(14)), outputs: wholeOutputs() };
    expect(error([whole])).toMatch(/not a part file/);
    for (const name of ['finalLoss', 'minLoss', 'stepsToThreshold', 'divergedAt'] as const) {
      const cut = part(1, 2); cut.outputs[name] = cut.outputs[name].subarray(1) as never;
      expect(error([part(0, 2), cut]), name).toMatch(/damaged or edited/);
    }
    const gpu = part(1, 2); gpu.head.backend = 'webgpu';
    expect(error([part(0, 2), gpu])).toMatch(/computed on webgpu, but part-0-of-2\.json on cpu; .*same --backend/);
    const edited = part(1, 2); edited.head.part!.index = 5;
    expect(error([part(0, 2), edited])).toMatch(/says part 5 of 2/);
  });

  it('read back +Infinity for the minLoss of a cell diverged at k = 0 (JSON wrote null)', () => {
    const o = outputsFromResults(JSON.parse(JSON.stringify(buildResults(sweep, 'cpu', 'test', run(14)))).outputs);
    expect(o.minLoss[3]).toBe(Infinity);
    expect(o.finalLoss[3]).toBeNaN();
    expect(o.finalLoss[4]).toBe(5);
  });
});
