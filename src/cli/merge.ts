/**
 * `npm run merge -- <DIR | part files…> [--out DIR]`: joins the part files of a sharded sweep
 * (npm run sweep -- spec.json --shard I/N) into results.json and its heatmaps, as the unsharded run writes them.
 */
import { command } from './invocation';
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { mergeResults } from '../core/results';
import { parseMergeArgs } from './args';
import { earlierRunProblem, prepareOutDir } from './files';
import { commandLine, lockPath, takeLock } from './lock';
import { readResults } from './results-file';
import { writeSweepFiles } from './write-outputs';

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

// A closed pipe (… | head) is not an error of the merge: its files are still written.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') throw e; });

const parsed = parseMergeArgs(process.argv.slice(2));
if (!parsed.ok && parsed.help) { console.log(parsed.message); process.exit(0); }
if (!parsed.ok) fail(parsed.message, 2);
const { inputs } = parsed.args;

const files = inputs.flatMap((input) => {
  let isDirectory = false;
  try { isDirectory = statSync(input).isDirectory(); } catch (e) { fail(`${input}: cannot read it (${(e as Error).message})`); }
  if (!isDirectory) return [input];
  const parts = readdirSync(input).filter((f) => /^part-\d+-of-\d+\.json$/.test(f)).sort().map((f) => join(input, f));
  if (parts.length === 0) fail(`${input}: no part-I-of-N.json files in it; write them with ${command('sweep')} spec.json --shard I/N --out ${input}`);
  return parts;
});
const outDir = parsed.args.outDir ?? dirname(files[0]);
// Before any work: the folder written and every part read are this process's alone until it exits (see lock.ts).
const outProblem = prepareOutDir(outDir);
if (outProblem) fail(outProblem);
const holder = commandLine('merge');
const outLock = takeLock(lockPath(outDir), `--out ${outDir}`, holder);
if (!outLock.ok) fail(`${outLock.error}, or give another --out`);
const partLocks = new Map<string, string>(); // lock file → the part it guards (a part named twice is locked once)
for (const file of files) {
  const m = /^part-(\d+)-of-(\d+)\.json$/.exec(basename(file));
  if (m) partLocks.set(lockPath(dirname(file), { index: Number(m[1]), count: Number(m[2]) }), file);
}
for (const [path, file] of partLocks) {
  const partLock = takeLock(path, file, holder);
  if (!partLock.ok) fail(`cannot merge: ${partLock.error}, then merge`);
}
const parts = files.map((name) => {
  const read = readResults(name);
  if (!read.ok) fail(`cannot merge: ${read.error}; run that part's shard again`);
  return read.results;
});
const merged = mergeResults(parts);
if (!merged.ok) fail(`cannot merge: ${merged.error}`);
const earlier = earlierRunProblem(join(outDir, 'results.json'), merged.head.spec);
if (earlier) fail(`cannot merge: ${earlier}`);
console.log(`merged      ${parts.length} parts, ${merged.head.cellsDone.toLocaleString('en-US')} cells`);
try {
  console.log(writeSweepFiles(outDir, merged.head, merged.outputs, undefined, merged.replicaOutputs));
} catch (e) {
  fail(`cannot write the merged files into ${outDir} (${(e as Error).message}); give a writable folder with --out`);
}
