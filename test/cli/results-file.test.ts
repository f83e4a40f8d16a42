import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeResultsFile } from '../../src/cli/results-file';
import { allocateOutputs } from '../../src/core/outputs';
import { buildResults } from '../../src/core/results';
import { parseSpec } from '../../src/core/spec';

describe('results file on disk', () => {
  it('is exactly the JSON of the document, written in pieces', () => {
    const r = parseSpec({ x: { param: 'lr', min: 0.1, max: 10, count: 300, scale: 'log' }, y: { param: 'initScale', min: 0.5, max: 2, count: 300 } });
    if (!r.ok) throw new Error();
    const outputs = allocateOutputs(90_000);
    outputs.finalLoss.forEach((_, i) => { outputs.finalLoss[i] = i % 7 ? 1 / (i + 1) : NaN; outputs.stepsToThreshold[i] = i % 5; });
    const doc = buildResults(r.spec, 'cpu', 'test', { outputs, status: 'complete', cellsDone: 90_000, elapsedMs: 1, networkStepsPerSecond: 1 });
    const path = join(mkdtempSync(join(tmpdir(), 'results-')), 'results.json');
    writeResultsFile(path, doc);
    expect(readFileSync(path, 'utf8')).toBe(JSON.stringify(doc));
  });
});
