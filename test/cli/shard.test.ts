import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/core/results';

/** Runs a command-line entry (src/cli/<script>.ts) through tsx, as npm run sweep / merge do; returns stdout. */
function cli(script: 'main' | 'merge', args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const dir = mkdtempSync(join(tmpdir(), 'shards-'));
const specPath = join(dir, 'spec.json');
writeFileSync(specPath, JSON.stringify({ activation: 'tanh', preset: 'eva', steps: 200, x: { param: 'lrHidden', min: 0.1, max: 100, count: 37, scale: 'log' }, y: { param: 'lrOutput', min: 0.1, max: 100, count: 23, scale: 'log' } }));
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as ResultsFile;
// The head's SHA-256 covers its timings, so it differs with them.
const withoutTimings = ({ timings: _, sha256: sums, ...rest }: ResultsFile) => ({ ...rest, outputsSha256: sums?.outputs });

describe('sharded sweeps (--shard I/N, npm run merge)', () => {
  it('three parts merged equal the unsharded run, results.json and heatmaps alike', () => {
    const whole = cli('main', [specPath, '--backend', 'cpu', '--threads', '2', '--out', join(dir, 'whole')]);
    expect(whole).toMatch(/backend {5}cpu \(cpu \/ float64 WebAssembly, 2 threads\)/);
    expect(whole).toMatch(/speed {7}[\d,]+ network-steps\/s/);
    for (const i of [2, 0, 1]) expect(cli('main', [specPath, '--backend', 'cpu', '--shard', `${i}/3`, '--out', join(dir, 'parts')])).toMatch(`part-${i}-of-3.json`);
    const part1 = read(join(dir, 'parts', 'part-1-of-3.json'));
    expect(part1.part).toEqual({ index: 1, count: 3, firstCell: 283, cells: 284 }); // ⌊851/3⌋ … ⌊2·851/3⌋ − 1
    expect(part1.outputs.finalLoss).toHaveLength(284);
    expect(cli('merge', [join(dir, 'parts')])).toMatch(/merged {6}3 parts, 851 cells/);
    expect(withoutTimings(read(join(dir, 'parts', 'results.json')))).toEqual(withoutTimings(read(join(dir, 'whole', 'results.json'))));
    for (const png of ['finalLoss.png', 'class.png', 'minLoss.png']) {
      expect(readFileSync(join(dir, 'parts', png)).equals(readFileSync(join(dir, 'whole', png))), png).toBe(true);
    }
  });

  it('merge names a missing part and how to make it', () => {
    const only = join(dir, 'parts', 'part-0-of-3.json');
    expect(() => cli('merge', [only])).toThrow(/cannot merge: missing parts 1, 2 of 3: run --shard 1\/3/);
  });
});
