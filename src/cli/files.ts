/** File-system steps of the command line that must fail fast, with a message, rather than hang or fail late. */
import { command } from './invocation';
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { SweepSpec } from '../core/spec';
import { writeFileAtomic } from './atomic';
import { readResults } from './results-file';

/** Largest spec file read: a spec is a small JSON object (a 4,096-value axis list is about 100 KB). */
export const MAX_SPEC_BYTES = 16 * 1024 * 1024;

/** Reads a spec file (or standard input for "-"), refusing more than MAX_SPEC_BYTES; returns its text or a message. */
export function readSpecFile(path: string): { ok: true; text: string } | { ok: false; error: string } {
  let fd: number;
  try {
    fd = path === '-' ? 0 : openSync(path, 'r');
  } catch (e) {
    return { ok: false, error: `${path}: cannot read the spec file (${(e as Error).message}); give the path of a JSON sweep spec, e.g. examples/lr-x-initscale.json` };
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(1 << 20);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue; // a non-blocking standard input: try again
        if ((e as NodeJS.ErrnoException).code === 'EOF') break;
        return { ok: false, error: `${path}: cannot read the spec file (${(e as Error).message})` };
      }
      if (n === 0) break;
      total += n;
      if (total > MAX_SPEC_BYTES) return { ok: false, error: `${path}: more than ${MAX_SPEC_BYTES / 1024 / 1024} MiB, far more than any sweep spec (a spec is a small JSON object); is it the right file?` };
      chunks.push(chunk.subarray(0, n));
    }
    return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/**
 * Creates `dir` (and its parents) if need be and checks that files can be written in it, before any work: an error
 * message naming the problem, or undefined. Parents are made one at a time: Node's recursive mkdir never returns on
 * some paths (/proc/x).
 */
export function prepareOutDir(dir: string): string | undefined {
  const absolute = resolve(dir);
  const parts = absolute.split(sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const path = sep + parts.slice(0, i).join(sep);
    let isDirectory: boolean | undefined;
    try { isDirectory = statSync(path).isDirectory(); } catch { /* does not exist yet */ }
    if (isDirectory === false) return `--out ${dir}: ${path} is a file, not a folder; give a folder for the results`;
    if (isDirectory) continue;
    try {
      mkdirSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return `--out ${dir}: cannot create ${path} (${(e as Error).message}); give a folder you can write to`;
    }
  }
  const probe = join(absolute, '.write-test');
  try {
    writeFileAtomic(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    return `--out ${dir}: cannot write files there (${(e as Error).message}); give a folder you can write to`;
  }
  return undefined;
}

/**
 * What writing a run of `spec` into `file` (DIR/results.json, or DIR/part-I-of-N.json) would destroy, as a message, or
 * undefined: a stopped run (continue it with --resume), a run of another spec, or a file that cannot be read. A
 * complete run of the same spec may be replaced: the new one computes the same cells. Used by the sweep and the merge.
 */
export function earlierRunProblem(file: string, spec: SweepSpec): string | undefined {
  if (!existsSync(file)) return undefined;
  const dir = dirname(file), read = readResults(file);
  if (!read.ok) return `--out ${dir} holds ${basename(file)}, which cannot be read (${read.error}); move it away or give another --out`;
  const { head } = read.results;
  if (head.status !== 'complete') {
    return `--out ${dir} holds a stopped run (${head.status}, ${head.cellsDone.toLocaleString('en-US')} cells done) that this run would overwrite: continue it with ${command('sweep')} --resume ${dir}${head.part ? ` --shard ${head.part.index}/${head.part.count}` : ''}, or give another --out`;
  }
  if (JSON.stringify(head.spec) !== JSON.stringify(spec)) return `--out ${dir} holds a complete run of another spec (${basename(file)}) that this run would overwrite: give another --out, or move it away`;
  return undefined;
}
