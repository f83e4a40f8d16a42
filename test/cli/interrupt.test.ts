/**
 * The command line as a person uses it in a terminal: Ctrl-C through `npm run sweep` in a real pseudo-terminal
 * (util-linux `script`), SIGTERM, SIGKILL in the middle of writing, and output folders that cannot be written.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults } from '../../src/cli/results-file';
import { OUTPUT_NAMES } from '../../src/core/outputs';

const dir = mkdtempSync(join(tmpdir(), 'interrupt-'));
const specFile = (name: string, spec: object) => { const path = join(dir, `${name}.json`); writeFileSync(path, JSON.stringify(spec)); return path; };
/** 256² × 3000 steps: about 3 s on SwiftShader, so a Ctrl-C lands mid-tile (the whole sweep is one tile). */
const big = specFile('big', { steps: 3000, x: { param: 'lr', min: 0.01, max: 100, count: 256, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 10, count: 256, scale: 'log' } });

/** Resolves with the process's exit code and its output once it ends. */
function finished(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stdout?.on('data', (d) => { output += d; });
  child.stderr?.on('data', (d) => { output += d; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

const read = (path: string) => {
  const r = readResults(path);
  if (!r.ok) throw new Error(r.error);
  return r;
};

describe('stopping the command line', () => {
  it('Ctrl-C in a terminal under npm run sweep writes the finished cells and the stopped tile; --resume completes them to the uninterrupted bits', async () => {
    const out = join(dir, 'ctrl-c');
    // `script` gives the command a real terminal; a ^C typed into it reaches npm, sh and node as the terminal's SIGINT.
    const child = spawn('script', ['-qfec', `npm run -s sweep -- ${big} --backend webgpu --out ${out}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let sent = false;
    child.stdout!.on('data', (d: Buffer) => { if (!sent && /webgpu: \d/.test(d.toString())) { sent = true; child.stdin!.write('\x03'); } });
    const { output } = await finished(child);
    expect(sent).toBe(true);
    expect(output).toMatch(/Ctrl-C: stopping at the next chunk/);
    expect(output).not.toMatch(/quitting without writing/);
    const stopped = read(join(out, 'results.json'));
    expect(stopped.results.head.status).toBe('cancelled');
    expect(stopped.checkpoint?.cells.length).toBe(65536); // the one tile, as far as it got
    expect(output).toMatch(`continue with: npm run sweep -- --resume ${out}`);

    const resumed = await finished(spawn('npm', ['run', '-s', 'sweep', '--', '--resume', out], { stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toMatch(/resume {6}65,536 cells to go, 65,536 of them from step \d+/);
    const whole = join(dir, 'whole');
    execFileSync('npm', ['run', '-s', 'sweep', '--', big, '--backend', 'webgpu', '--out', whole], { stdio: 'pipe' });
    const a = read(join(out, 'results.json')).results, b = read(join(whole, 'results.json')).results;
    expect(a.head.status).toBe('complete');
    for (const name of OUTPUT_NAMES) expect(Buffer.from(a.outputs[name].buffer).equals(Buffer.from(b.outputs[name].buffer)), name).toBe(true);
    expect(readdirSync(out).filter((f) => f.includes('checkpoint'))).toEqual([]); // the checkpoint is gone once used
  }, 180_000);

  it('SIGTERM stops like Ctrl-C, on the CPU engine too: a cancelled file with the finished cells', async () => {
    const out = join(dir, 'sigterm');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', big, '--backend', 'cpu', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => { if (/cpu: \d/.test(d.toString())) child.kill('SIGTERM'); });
    const { code, output } = await finished(child);
    expect(code).toBe(130);
    expect(output).toMatch(/SIGTERM: stopping/);
    const { results } = read(join(out, 'results.json'));
    expect(results.head.status).toBe('cancelled');
    expect(results.head.cellsDone).toBeGreaterThan(0);
    // The same command again would start over: it refuses, before any work, and says how to continue instead.
    const kept = readFileSync(join(out, 'results.json'));
    const again = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', big, '--backend', 'cpu', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    const refused = await finished(again);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(`--out ${out} holds a stopped run (cancelled, ${results.head.cellsDone.toLocaleString('en-US')} cells done) that this run would overwrite: continue it with npm run sweep -- --resume ${out}`);
    expect(readFileSync(join(out, 'results.json')).equals(kept)).toBe(true);
  }, 120_000);

  it('a closed output pipe (… | head) is no error: the files are written and the exit code is 0', async () => {
    const out = join(dir, 'pipe');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', specFile('piped', { steps: 10, x: { param: 'lr', min: 0.1, max: 10, count: 64, scale: 'log' } }), '--backend', 'cpu', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.destroy(); // the reader went away before the first line
    const { code, output } = await finished(child);
    expect(output).not.toMatch(/EPIPE/);
    expect(code).toBe(0);
    expect(read(join(out, 'results.json')).results.head.status).toBe('complete');
  }, 120_000);

  it('SIGKILL while results are being written leaves a complete results file, never a cut one', async () => {
    const out = join(dir, 'sigkill');
    // 1,200 × 1,000 cells × 1 step: computed in a moment, then some 50 MB of files to write. Run once, then again (a
    // complete run of the same spec may be replaced) and killed while it writes.
    const large = specFile('large', { steps: 1, x: { param: 'lr', min: 0.1, max: 10, count: 1200, scale: 'log' }, y: { param: 'initScale', min: 0.5, max: 2, count: 1000 } });
    execFileSync('npm', ['run', '-s', 'sweep', '--', large, '--backend', 'cpu', '--out', out], { stdio: 'pipe' });
    const before = readFileSync(join(out, 'results.json'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', large, '--backend', 'cpu', '--out', out], { stdio: 'ignore' });
    const killed = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (readdirSync(out).some((f) => f.endsWith('.tmp'))) { child.kill('SIGKILL'); clearInterval(poll); resolve(); }
      }, 2);
      child.on('close', () => { clearInterval(poll); resolve(); });
    });
    await killed;
    await finished(child);
    const after = read(join(out, 'results.json')).results;
    // Killed mid-write: the previous file, whole, with companions it names; had it finished first, the new one, whole.
    const previous = readFileSync(join(out, 'results.json')).equals(before);
    console.log(`SIGKILL landed ${previous ? 'mid-write: the previous results.json is intact' : 'after the write: the new results.json is whole'}`);
    expect(after.head.status).toBe('complete');
    expect(after.outputs.finalLoss).toHaveLength(1_200_000);
  }, 120_000);

  it('refuses an output folder it cannot write before computing anything', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const run = (out: string) => {
      const started = performance.now();
      try {
        execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', big, '--backend', 'cpu', '--out', out], { stdio: 'pipe', timeout: 30_000 });
      } catch (e) {
        return { message: String((e as { stderr: Buffer }).stderr), ms: performance.now() - started };
      }
      throw new Error(`--out ${out} was accepted`);
    };
    const onFile = run(file);
    expect(onFile.message).toMatch(`--out ${file}: ${file} is a file, not a folder`);
    const inProc = run('/proc/x');
    expect(inProc.message).toMatch(/--out \/proc\/x: cannot create \/proc\/x/);
    expect(existsSync(join(dir, 'big'))).toBe(false);
    expect(Math.max(onFile.ms, inProc.ms)).toBeLessThan(15_000); // no sweep ran (it takes seconds) and nothing hung
  });
});
