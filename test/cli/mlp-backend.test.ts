/** The backends of an MLP sweep: --backend webgpu runs the MLP's WGSL trainer (never the course kernel), auto and cpu the CPU engine. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'mlp-backend-'));
writeFileSync(join(dir, 'spec.json'), JSON.stringify({ network: { kind: 'mlp' }, data: { points: 8, seed: 1 }, steps: 5, x: { param: 'lr', min: 0.1, max: 1, count: 2 } }));
const sweep = (out: string, ...flags: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', join(dir, 'spec.json'), '--threads', '1', '--out', join(dir, out), ...flags], { encoding: 'utf8' });
const results = (out: string) => JSON.parse(readFileSync(join(dir, out, 'results.json'), 'utf8'));

describe('the backend of an MLP sweep', () => {
  it('runs on the CPU engine when asked, and on WebGPU when asked, with the same losses to float32 accuracy', () => {
    const cpu = sweep('cpu', '--backend', 'cpu');
    expect(cpu.status, cpu.stderr).toBe(0);
    const gpu = sweep('gpu', '--backend', 'webgpu');
    expect(gpu.status, gpu.stderr).toBe(0);
    const [c, g] = [results('cpu'), results('gpu')];
    expect([c.backend, g.backend]).toEqual(['cpu', 'webgpu']);
    // An MLP on the course kernel would give other losses entirely; five steps of float32 stay within 1e-5 relative.
    const lossesOf = (r: { outputs: Record<string, unknown> }) => r.outputs.finalLoss as number[];
    lossesOf(g).forEach((v, i) => expect(Math.abs(v - lossesOf(c)[i]) / lossesOf(c)[i]).toBeLessThan(1e-5));
  }, 90_000);
});
