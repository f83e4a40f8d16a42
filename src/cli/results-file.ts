/**
 * Writes a results document to disk piece by piece. One JSON.stringify of a 4096² sweep's outputs would be about
 * 800 M characters, beyond V8's longest string, and the run would be lost after it finished.
 */
import { writeFileSync } from 'node:fs';
import type { ResultsFile } from '../core/results';
import { writeAtomically } from './atomic';

/** Writes `results` as JSON to `path`, atomically; output arrays go out 65,536 values at a time. */
export function writeResultsFile(path: string, results: ResultsFile): void {
  const { outputs, ...head } = results;
  writeAtomically(path, (fd) => {
    writeFileSync(fd, `${JSON.stringify(head).slice(0, -1)},"outputs":{`);
    Object.entries(outputs).forEach(([name, values], i) => {
      writeFileSync(fd, `${i ? ',' : ''}${JSON.stringify(name)}:[`);
      for (let start = 0; start < values.length; start += 65536) {
        writeFileSync(fd, `${start ? ',' : ''}${JSON.stringify(values.slice(start, start + 65536)).slice(1, -1)}`);
      }
      writeFileSync(fd, ']');
    });
    writeFileSync(fd, '}}');
  });
}
