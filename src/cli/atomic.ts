/**
 * Files written whole or not at all: the data goes to a temporary file beside the target, is flushed to disk, and
 * then renamed over the target (a rename within one folder is atomic on POSIX file systems). A process killed
 * mid-write leaves the previous file, and at most a temporary file, never a truncated target. A write that fails
 * on the file system (a full disk, a folder made read-only) throws an error naming the target, with the system's
 * `code` kept (ENOSPC, EACCES, …).
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Test-only: SWEEPER_TEST_FULL_DISK=<file name>[,<file name>…] makes every write of a file of that name fail as on a
 * full disk (ENOSPC, after its temporary file is opened), so tests can check what a full disk leaves without one (a
 * read-only folder does not stop root, who runs the tests here and in CI).
 */
const FULL_DISK_FOR_TEST = new Set((process.env.SWEEPER_TEST_FULL_DISK ?? '').split(',').filter(Boolean));

/** An error of the file system while writing `path`, as one naming it; any other error (a bug) as it is. */
function cannotWrite(path: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code !== 'string') return e;
  return Object.assign(new Error(`cannot write ${path} (${(e as Error).message})${code === 'ENOSPC' ? ': the disk is full' : ''}`), { code });
}

/** Writes through `write(fd)` into a temporary file, then renames it to `path`. */
export function writeAtomically(path: string, write: (fd: number) => void): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(temporary, 'w');
  } catch (e) {
    throw cannotWrite(path, e);
  }
  try {
    if (FULL_DISK_FOR_TEST.has(basename(path))) throw Object.assign(new Error('ENOSPC: no space left on device, write (SWEEPER_TEST_FULL_DISK)'), { code: 'ENOSPC' });
    write(fd);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw cannotWrite(path, e);
  }
  closeSync(fd);
  try {
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw cannotWrite(path, e);
  }
}

/** Writes `data` to `path` atomically. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  writeAtomically(path, (fd) => writeFileSync(fd, data)); // writeFileSync on a descriptor writes it all
}
