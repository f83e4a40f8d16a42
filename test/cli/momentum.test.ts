/**
 * The two features added through the parameter and output tables, end to end on the command line: an lr × momentum
 * sweep whose results.json matches the float64 reference cell for cell, and the peakLoss heatmap beside the others.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReference } from '../../src/core/cpu-runner';
import { outputsFromResults, type ResultsFile } from '../../src/core/results';
import { parseSpec } from '../../src/core/spec';

const dir = mkdtempSync(join(tmpdir(), 'momentum-'));
const raw = { preset: 'era-v1', steps: 300, threshold: 1e-4, x: { param: 'lr', min: 0.1, max: 60, count: 24, scale: 'log' }, y: { param: 'momentum', min: 0, max: 0.95, count: 9 } };

describe('an lr × momentum sweep on the command line', () => {
  it('matches the float64 reference bit for bit, keeps β = 0 the sheet, and writes the peakLoss map', async () => {
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(raw));
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', join(dir, 'spec.json'), '--backend', 'cpu', '--out', join(dir, 'out')], { encoding: 'utf8' });
    expect(out).toMatch(/peakLoss\.png/);
    expect(existsSync(join(dir, 'out', 'peakLoss.png'))).toBe(true);
    const file = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as ResultsFile;
    expect(file.spec.momentum).toBe(0);
    const spec = parseSpec(raw);
    if (!spec.ok) throw new Error(spec.errors.join());
    const reference = (await runReference(spec.spec, 'float64')).outputs;
    const outputs = outputsFromResults(file.outputs);
    expect(outputs).toEqual(reference);
    // Row 0 is β = 0: the sheet's plain gradient descent, the same bits as a sweep without momentum.
    const plain = parseSpec({ ...raw, y: undefined });
    if (!plain.ok) throw new Error(plain.errors.join());
    expect(outputs.finalLoss.subarray(0, 24)).toEqual((await runReference(plain.spec, 'float64')).outputs.finalLoss);
    // The catapult: somewhere the loss rose above its start (E(0) = 0.0141813779…) before training settled.
    expect(outputs.peakLoss.some((peak, i) => peak > 1.2 * 0.014181377937891659 && outputs.stepsToThreshold[i] >= 0)).toBe(true);
  });
});
