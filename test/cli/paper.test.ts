/** npm run paper end to end on the CPU engine: --quick on two conditions, and a stop keeping what is finished. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { readResults } from '../../src/cli/results-file';
import { fractionOf, type RangeAxis } from '../../src/core/zoom';

const dir = mkdtempSync(join(tmpdir(), 'paper-'));
const ARGS = ['--import', 'tsx', 'src/cli/paper.ts', '--threads', '1'];
const paper = (...flags: string[]) => spawnSync(process.execPath, [...ARGS, ...flags], { encoding: 'utf8' });

describe('npm run paper', () => {
  it('--quick: sweeps the conditions asked for and their zooms, writes the figure, the table and every view\'s results', () => {
    const out = join(dir, 'quick'), run = paper('--quick', '--only', 'single-point,identity', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    const table = JSON.parse(readFileSync(join(out, 'paper.json'), 'utf8'));
    expect(table.status).toBe('complete');
    expect(table.rows.map((r: { condition: string }) => r.condition)).toEqual(['identity', 'single-point']);
    for (const row of table.rows) {
      expect(row.resolution).toEqual([24, 24]);
      expect(row.steps).toBe(100);
      expect(row.full.dimension).toBeNull();
      expect(row.full.why).toBe('24 × 24 cells: box counting needs 64 a side');
      expect(row.zoom.seconds).toBeGreaterThan(0);
      expect(row.paper).toMatch(/^1\.17–1\.98/);
      // The zoom: read back with its draws, a quarter of the full view wide, centred on the recorded boundary point.
      const full = readResults(join(out, row.condition, 'full', 'results.json')), zoom = readResults(join(out, row.condition, 'zoom', 'results.json'));
      if (!full.ok || !zoom.ok) throw new Error(full.ok ? (zoom as { error: string }).error : full.error);
      expect(Object.keys(full.results.head.draws!)).toEqual(['x', 'y', 'w0', 'w1']);
      const fx = full.results.head.spec.x as RangeAxis, zx = zoom.results.head.spec.x as RangeAxis;
      expect(fractionOf(fx, zx.max) - fractionOf(fx, zx.min)).toBeCloseTo(0.25 * (23 / 24), 9);
      expect(fractionOf(fx, Math.sqrt(zx.min * zx.max))).toBeCloseTo(fractionOf(fx, row.zoom.centre.x), 9);
    }
    const md = readFileSync(join(out, 'paper.md'), 'utf8');
    expect(md).toMatch(/\| identity \| 24 × 24 \| 100 \| – \(24 × 24 cells: box counting needs 64 a side\) \|/);
    const svg = readFileSync(join(out, 'paper.svg'), 'utf8');
    expect(svg.match(/<image /g)).toHaveLength(4);
    expect(svg).toContain('a) identity (linear), full batch');
    expect(svg).toContain('log₁₀ lrOutput');
    const png = PNG.sync.read(readFileSync(join(out, 'paper.png')));
    expect(png.width).toBeGreaterThan(2000);
    expect(run.stdout).toContain('| single-point | 24 × 24 |');
  }, 60_000);

  it('refuses bad arguments with the usage, before making a folder', () => {
    const out = join(dir, 'bad'), run = paper('--only', 'sigmoid', '--out', out);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^--only: "sigmoid" is not the paper's conditions[^]*usage: npm run paper/);
    expect(existsSync(out)).toBe(false);
  });

  it('measures a dimension at 64 cells a side, and Ctrl-C keeps the finished condition in the figure and table', async () => {
    const out = join(dir, 'stopped');
    const child = spawn(process.execPath, [...ARGS, '--size', '64', '--only', 'single-point,offset', '--out', out]);
    let stderr = '', stdout = '', sent = false;
    child.stdout.on('data', (d) => { stdout += d; });
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (!sent && /offset full 64×64/.test(stderr)) { sent = true; child.kill('SIGINT'); } // single-point is done by now
      });
      child.on('exit', resolve);
    });
    expect(code, stderr).toBe(130);
    expect(stdout).toMatch(/stopped +1 of 2 conditions done/);
    const table = JSON.parse(readFileSync(join(out, 'paper.json'), 'utf8'));
    expect(table.status).toBe('stopped');
    expect(table.rows).toHaveLength(1);
    const [row] = table.rows;
    for (const view of [row.full, row.zoom]) {
      expect(view.dimension).toBeGreaterThan(0.5);
      expect(view.dimension).toBeLessThan(2.1);
      expect(view.dimensionError).toBeGreaterThanOrEqual(0);
      expect(view.boxSizes).toEqual([2, 4, 8]);
    }
    expect(readFileSync(join(out, 'paper.svg'), 'utf8')).toContain('not computed');
    expect(existsSync(join(out, 'offset', 'full', 'results.json'))).toBe(false);
  }, 60_000);
});
