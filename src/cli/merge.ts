/**
 * `npm run merge -- <DIR | part files…> [--out DIR]`: joins the part files of a sharded sweep
 * (npm run sweep -- spec.json --shard I/N) into results.json and its heatmaps, as the unsharded run writes them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mergeResults, outputsFromResults, type ResultsFile } from '../core/results';
import { parseMergeArgs } from './args';
import { writeSweepFiles } from './write-outputs';

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

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
  let text: string;
  try {
    text = readFileSync(name, 'utf8');
  } catch (e) {
    fail(`${name}: cannot read it (${(e as Error).message})`);
  }
  try {
    return { name, file: JSON.parse(text) as ResultsFile };
  } catch (e) {
    fail(`${name}: not valid JSON (${(e as Error).message}): the part was cut short or edited; run its shard again`);
  }
});
const merged = mergeResults(parts);
if (!merged.ok) fail(`cannot merge: ${merged.error}`);
const outDir = parsed.args.outDir ?? dirname(files[0]);
console.log(`merged      ${parts.length} parts, ${merged.results.cellsDone.toLocaleString('en-US')} cells`);
try {
  console.log(writeSweepFiles(outDir, merged.results, outputsFromResults(merged.results.outputs)));
} catch (e) {
  fail(`cannot write the merged files into ${outDir} (${(e as Error).message}); give a writable folder with --out`);
}
