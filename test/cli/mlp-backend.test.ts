/** An MLP sweep never reaches the course's WGSL kernel: --backend webgpu is refused, auto runs on the CPU engine. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'mlp-backend-'));
writeFileSync(join(dir, 'spec.json'), JSON.stringify({ network: { kind: 'mlp' }, data: { points: 8, seed: 1 }, steps: 5, x: { param: 'lr', min: 0.1, max: 1, count: 2 } }));
const sweep = (out: string, ...flags: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', join(dir, 'spec.json'), '--threads', '1', '--out', join(dir, out), ...flags], { encoding: 'utf8' });

describe('the backend of an MLP sweep', () => {
  it('refuses --backend webgpu with the fix, before making a folder', () => {
    const run = sweep('gpu', '--backend', 'webgpu');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/WebGPU trainer does not train MLP networks yet.*use --backend cpu/);
    expect(existsSync(join(dir, 'gpu'))).toBe(false);
  });

  it('runs on the CPU engine when the backend is left out', () => {
    const run = sweep('auto');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'auto', 'results.json'), 'utf8')).backend).toBe('cpu');
  }, 60_000);
});
