import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args';

describe('sweep command-line arguments', () => {
  it('default to webgpu and out/<spec name>', () => {
    expect(parseCliArgs(['examples/lr-x-initscale.json'])).toEqual({
      ok: true, args: { specPath: 'examples/lr-x-initscale.json', backend: 'webgpu', outDir: 'out/lr-x-initscale', compare: false },
    });
  });

  it('take --backend, --out and --compare', () => {
    const r = parseCliArgs(['s.json', '--backend', 'cpu-f32', '--out', '/tmp/x', '--compare']);
    expect(r.ok && r.args).toMatchObject({ backend: 'cpu-f32', outDir: '/tmp/x', compare: true });
  });

  it('name the problem and show usage for bad arguments', () => {
    const bad = parseCliArgs(['s.json', '--backend', 'cuda']);
    expect(!bad.ok && bad.message).toMatch(/--backend: "cuda" is not one of webgpu, cpu, cpu-f32[\s\S]*usage:/);
    expect(!parseCliArgs([]).ok && (parseCliArgs([]) as { message: string }).message).toMatch(/expected one spec file/);
    expect(parseCliArgs(['s.json', '--colour']).ok).toBe(false);
  });
});
