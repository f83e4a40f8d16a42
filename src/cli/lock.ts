/**
 * One writer per set of output files. A command that writes into a folder first creates a lock file there by
 * link(2) from a finished draft (exactly one process can create it, and it appears whole), holding its process id,
 * host, start time and command line, and removes it when the process exits (normal end, `fail()`, or `process.exit`
 * after a signal). A second command that wants the same lock refuses at once and names the holder. A lock whose process
 * is gone (killed with SIGKILL, or a machine that went down) is taken over with a note on stderr.
 *
 * What a lock covers:
 * - DIR/.lock: the whole-sweep files of DIR (results.json, its .npy companions, heatmaps, compare.json), written by
 *   an unsharded `npm run sweep` (fresh or --resume) and by `npm run merge`; and DIR's MNIST files (`npm run mnist`).
 * - DIR/.part-I-of-N.lock: part-I-of-N.json, its companions and compare-part-I-of-N.json, written by `--shard I/N`.
 *   Parts of one sweep run at once into one folder (a cluster's array jobs); only two runs of the same part collide.
 *   `npm run merge` also takes the lock of every part it reads, so no part changes under it.
 *
 * Whether the holder still runs is known only on its own host (`process.kill(pid, 0)`): a lock written on another
 * host (a shared file system) is never taken over; the message says to remove it if that process is gone.
 */
import { command, type CommandName } from './invocation';
import { closeSync, linkSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Shard } from './args';

/** What a lock file holds (JSON). `since`: when the holder took the lock, ISO 8601 UTC. */
interface Holder { pid: number; host: string; since: string; command: string }

/** The lock file guarding the files a command writes into `dir`: the folder's, or one part's. */
export function lockPath(dir: string, part?: Shard): string {
  return join(dir, part ? `.part-${part.index}-of-${part.count}.lock` : '.lock');
}

/** This process's command line as the user typed it, for the holder's description (`npm run <script> -- <arguments>`, or the package's command). */
export function commandLine(script: CommandName): string {
  const args = process.argv.slice(2).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a)));
  return `${command(script)}${args.length ? ` ${args.join(' ')}` : ''}`;
}

/**
 * Creates `path` holding `text` if no file has that name; false if one has. The file appears whole: `text` is written
 * to a draft beside it first and hard-linked into place (link(2) fails if `path` exists), so another process never
 * reads an empty lock. Where the file system has no hard links, it falls back to O_EXCL followed by a write.
 */
function create(path: string, text: string): boolean {
  const draft = `${path}.${process.pid}.draft`;
  writeFileSync(draft, text);
  try {
    linkSync(draft, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw e;
  } finally {
    rmSync(draft, { force: true });
  }
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try { writeSync(fd, text); } finally { closeSync(fd); }
  return true;
}

/** The text of `path`, or undefined if it is gone. */
function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Holder;
    return Number.isSafeInteger(h.pid) && h.pid > 0 && typeof h.host === 'string' && typeof h.since === 'string' && typeof h.command === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the holder is surely gone: it ran on this host, and its process id is free (ESRCH) or is this process's
 * own (which never takes a lock twice: the id was reused, as after a container's restart).
 */
function isGone(h: Holder): boolean {
  if (h.host !== hostname()) return false;
  if (h.pid === process.pid) return true;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: it runs, as another user
  }
}

/**
 * Replaces the stale lock `path` (whose text was `stale`) by `mine`. Two processes may find the same stale lock: a
 * second lock file, `path`.takeover, lets only one replace it. 'again' when the lock changed meanwhile.
 */
function takeOver(path: string, stale: string, mine: string): 'taken' | 'again' | 'busy' {
  const guard = `${path}.takeover`;
  if (!create(guard, mine)) {
    const other = parseHolder(readIfThere(guard) ?? '');
    if (!other || !isGone(other)) return 'busy';
    rmSync(guard, { force: true }); // left by a process killed while taking over
    return 'again';
  }
  try {
    if (readIfThere(path) !== stale) return 'again';
    rmSync(path, { force: true });
    return create(path, mine) ? 'taken' : 'again';
  } finally {
    rmSync(guard, { force: true });
  }
}

function describe(h: Holder): string {
  return `process ${h.pid}${h.host === hostname() ? '' : ` on ${h.host}`} (${h.command}), since ${h.since}`;
}

/**
 * Takes the lock file `path` (see lockPath) for `what` (the files it guards, in words, e.g. "--out out/big") until
 * this process exits. `command` describes this process to a later one (see commandLine). Returns a message if
 * another process holds it (naming it, ending with what to do, to which a caller may add ", or …"); on taking over a
 * stale lock, says so on stderr. The folder must exist.
 */
export function takeLock(path: string, what: string, command: string): { ok: true; release: () => void } | { ok: false; error: string } {
  const mine = `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), command } satisfies Holder)}\n`;
  const release = () => {
    process.off('exit', release);
    try {
      if (readIfThere(path) === mine) rmSync(path, { force: true });
    } catch { /* the folder is gone or unreadable: nothing to release */ }
  };
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (create(path, mine)) {
        process.on('exit', release);
        return { ok: true, release };
      }
      const text = readIfThere(path);
      if (text === undefined) continue; // released meanwhile
      const holder = parseHolder(text);
      if (!holder) return { ok: false, error: `${what}: ${path} exists but names no process (${JSON.stringify(text.slice(0, 80))}); if no run is writing there, remove it` };
      if (!isGone(holder)) {
        const remote = holder.host !== hostname();
        return { ok: false, error: `${what} is being written by ${describe(holder)}: wait for it to end${remote ? ` (if that process is gone, remove ${path})` : `, or stop it (kill ${holder.pid})`}` };
      }
      const taken = takeOver(path, text, mine);
      if (taken === 'busy') return { ok: false, error: `${what}: another process is taking over ${path} at this moment; try again` };
      if (taken === 'taken') {
        process.on('exit', release);
        process.stderr.write(`note: ${path} was left by ${describe(holder)}, which is gone: taken over\n`);
        return { ok: true, release };
      }
    }
    return { ok: false, error: `${what}: ${path} keeps changing (other processes are starting there); try again` };
  } catch (e) {
    return { ok: false, error: `${what}: cannot create the lock file ${path} (${(e as Error).message})` };
  }
}
