/**
 * `npm run merge -- <DIR | part files…> [--out DIR]`: joins the part files of a sharded sweep
 * (npm run sweep -- spec.json --shard I/N) into results.json and its heatmaps, as the unsharded run writes them.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mergeResults } from '../core/results';
import { parseMergeArgs } from './args';
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
  if (parts.length === 0) fail(`${input}: no part-I-of-N.json files in it; write them with npm run sweep -- spec.json --shard I/N --out ${input}`);
  return parts;
});
const parts = files.map((name) => {
  const read = readResults(name);
  if (!read.ok) fail(`cannot merge: ${read.error}; run that part's shard again`);
  return read.results;
});
const merged = mergeResults(parts);
if (!merged.ok) fail(`cannot merge: ${merged.error}`);
const outDir = parsed.args.outDir ?? dirname(files[0]);
console.log(`merged      ${parts.length} parts, ${merged.head.cellsDone.toLocaleString('en-US')} cells`);
try {
  console.log(writeSweepFiles(outDir, merged.head, merged.outputs));
} catch (e) {
  fail(`cannot write the merged files into ${outDir} (${(e as Error).message}); give a writable folder with --out`);
}
