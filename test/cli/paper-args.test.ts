import { describe, expect, it } from 'vitest';
import { parsePaperArgs, QUICK_SIZE } from '../../src/cli/paper-args';

const message = (argv: string[]) => { const r = parsePaperArgs(argv, 2); return r.ok ? '' : r.message.split('\n')[0]; };

describe('npm run paper\'s arguments', () => {
  it('default to every condition in the paper\'s order, paper-out, auto, each example\'s own size', () => {
    const r = parsePaperArgs([], 2);
    expect(r.ok && r.args).toEqual({ outDir: 'paper-out', backend: 'auto', threads: undefined, size: undefined, only: ['tanh', 'relu', 'identity', 'minibatch', 'single-point', 'offset'] });
  });

  it('take --quick, --size, --only (kept in the paper\'s order), --backend and --threads', () => {
    const r = parsePaperArgs(['--quick', '--only', 'offset, tanh', '--backend', 'cpu-f32', '--threads', '3', '--out', 'x'], 2);
    expect(r.ok && r.args).toEqual({ outDir: 'x', backend: 'cpu-f32', threads: 3, size: QUICK_SIZE, only: ['tanh', 'offset'] });
    const s = parsePaperArgs(['--size', '96'], 2);
    expect(s.ok && s.args.size).toBe(96);
  });

  it('say clearly what is wrong', () => {
    expect(message(['--only', 'tanh,sigmoid'])).toBe('--only: "sigmoid" is not the paper\'s conditions (tanh, relu, identity, minibatch, single-point, offset)');
    expect(message(['--only', ','])).toMatch(/^--only: name at least one of/);
    expect(message(['--size', '3'])).toBe('--size: "3" is not a whole number from 8 to 4096');
    expect(message(['--size', '64', '--quick'])).toBe('--quick and --size both set the cells a side: give one');
    expect(message(['--backend', 'gpu'])).toBe('--backend: "gpu" is not one of auto, webgpu, cpu, cpu-f32');
    expect(message(['--threads', '0'])).toBe('--threads: "0" is not a positive whole number');
    expect(message(['--threads', '9'])).toMatch(/^--threads: 9 is more than 4 per core/);
    expect(message(['--out', ''])).toBe('--out: an empty path; give a folder');
    expect(message(['spec.json'])).toMatch(/Unexpected argument 'spec\.json'/);
    const help = parsePaperArgs(['--help'], 2);
    expect(!help.ok && help.help && help.message).toMatch(/^usage: npm run paper/);
  });
});
