/**
 * Files written whole or not at all: the data goes to a temporary file beside the target, is flushed to disk, and
 * then renamed over the target (a rename within one folder is atomic on POSIX file systems). A process killed
 * mid-write leaves the previous file, and at most a temporary file, never a truncated target.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes through `write(fd)` into a temporary file, then renames it to `path`. */
export function writeAtomically(path: string, write: (fd: number) => void): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temporary, 'w');
  try {
    write(fd);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(temporary, path);
}

/** Writes `data` to `path` atomically. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  writeAtomically(path, (fd) => writeFileSync(fd, data)); // writeFileSync on a descriptor writes it all
}
