import { describe, expect, it } from 'vitest';
import { parseCliArgs, parseMergeArgs } from '../../src/cli/args';

describe('sweep command-line arguments', () => {
  it('default to the automatic engine choice, every core and out/<spec name>', () => {
    expect(parseCliArgs(['examples/lr-x-initscale.json'])).toEqual({
      ok: true, args: { specPath: 'examples/lr-x-initscale.json', backend: 'auto', threads: undefined, outDir: 'out/lr-x-initscale', compare: false, shard: undefined },
    });
  });

  it('take --backend, --threads, --out, --compare and --shard', () => {
    const r = parseCliArgs(['s.json', '--backend', 'cpu-f32', '--threads', '3', '--out', '/tmp/x', '--compare', '--shard', '2/5']);
    expect(r.ok && r.args).toMatchObject({ backend: 'cpu-f32', threads: 3, outDir: '/tmp/x', compare: true, shard: { index: 2, count: 5 } });
  });

  it('name the problem and show usage for bad arguments', () => {
    const bad = parseCliArgs(['s.json', '--backend', 'cuda']);
    expect(!bad.ok && bad.message).toMatch(/--backend: "cuda" is not one of auto, webgpu, cpu, cpu-f32[\s\S]*usage:/);
    expect(!parseCliArgs([]).ok && (parseCliArgs([]) as { message: string }).message).toMatch(/expected one spec file/);
    expect(parseCliArgs(['s.json', '--colour']).ok).toBe(false);
    for (const threads of ['0', '1.5', 'all']) expect((parseCliArgs(['s.json', '--threads', threads]) as { message: string }).message).toMatch(`--threads: "${threads}" is not a positive whole number`);
    expect((parseCliArgs(['s.json', '--threads', '9'], 2) as { message: string }).message).toMatch(/--threads: 9 is more than 4 per core of this machine's 2 \(8\)/);
    expect(parseCliArgs(['s.json', '--threads', '8'], 2).ok).toBe(true);
    expect((parseCliArgs(['s.json', '--out', '']) as { message: string }).message).toMatch(/--out: an empty path; give a folder/);
    for (const shard of ['3/3', '1', '1/0', 'a/b']) expect((parseCliArgs(['s.json', '--shard', shard]) as { message: string }).message).toMatch(`--shard: "${shard}" is not I/N with 0 ≤ I < N`);
  });

  it('merge takes a directory or part files, and --out', () => {
    expect(parseMergeArgs(['out/a', '--out', 'out/b'])).toEqual({ ok: true, args: { inputs: ['out/a'], outDir: 'out/b' } });
    expect(parseMergeArgs([]).ok).toBe(false);
  });
});
