/**
 * `npm run sweep -- <spec.json> [--backend auto|webgpu|cpu|cpu-f32] [--threads N] [--out DIR] [--compare]
 * [--shard I/N]`: runs a sweep headless, writes DIR/results.json and one PNG heatmap per output (or, for a shard,
 * DIR/part-I-of-N.json), prints a summary. Ctrl-C stops at the next chunk and still writes what is complete.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { compareOutputs } from '../core/compare';
import { chooseEngine, cpuAdapter, cpuEngineName, type EngineChoice, type GpuAvailability } from '../core/engine';
import { gridSize } from '../core/grid';
import { buildResults, partRange } from '../core/results';
import type { RunOptions, RunProgress, RunResult } from '../core/run';
import { parseSpecText, type SweepSpec } from '../core/spec';
import type { CpuPool } from '../cpu/pool';
import { NoAdapterError } from '../gpu/device';
import { SweepInterruptedError, type GpuTrainer } from '../gpu/trainer';
import { parseCliArgs, type CliArgs } from './args';
import { writeFileAtomic } from './atomic';
import { createNodePool } from './node-cpu';
import { createNodeTrainer } from './node-gpu';
import { writeResultsFile } from './results-file';
import { formatAgreement, formatSummary } from './summary';
import { writeSweepFiles } from './write-outputs';

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function progressPrinter(label: string): (p: RunProgress) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < 500 && p.networkStepsDone < p.networkSteps) return;
    last = now;
    const pct = ((100 * p.networkStepsDone) / Math.max(1, p.networkSteps)).toFixed(1);
    process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}${label}: ${pct}% (${p.cellsDone}/${p.cells} cells done, ${(p.elapsedMs / 1000).toFixed(1)} s)${process.stderr.isTTY ? '' : '\n'}`);
  };
}

/** The engine for the arguments: a GPU trainer (kept for the run) or the CPU pool, and why. */
async function pickEngine(args: CliArgs, threads: number): Promise<{ choice: EngineChoice; trainer?: GpuTrainer }> {
  if (args.backend === 'cpu' || args.backend === 'cpu-f32') return { choice: chooseEngine('cpu', { missing: 'not asked for' }, threads) };
  let trainer: GpuTrainer | undefined, gpu: GpuAvailability;
  try {
    trainer = await createNodeTrainer();
    gpu = { adapter: trainer.gpu.adapter, isFallback: trainer.gpu.isFallback };
  } catch (e) {
    // auto falls back to the CPU on any GPU start-up failure (no adapter, no Dawn or Vulkan on this node), and says why.
    if (args.backend === 'webgpu') throw e;
    gpu = { missing: e instanceof NoAdapterError ? e.message : `WebGPU failed to start: ${(e as Error).message}` };
  }
  const choice = chooseEngine(args.backend === 'auto' ? 'auto' : 'webgpu', gpu, threads);
  if (choice.device === 'webgpu') return { choice, trainer };
  trainer?.gpu.device.destroy();
  return { choice };
}

async function runOnGpu(trainer: GpuTrainer, spec: SweepSpec, options: RunOptions): Promise<{ run: RunResult; error?: string }> {
  try {
    await trainer.pipeline(spec.activation); // compile before the clock starts
    return { run: await trainer.run(spec, { ...options, sleepWhileWaiting: true }) };
  } catch (e) {
    if (e instanceof SweepInterruptedError) return { run: e.partial, error: e.message };
    throw e;
  } finally {
    trainer.gpu.device.destroy();
  }
}

async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (!parsed.ok && parsed.help) { console.log(parsed.message); process.exit(0); }
  if (!parsed.ok) fail(parsed.message, 2);
  const args = parsed.args;
  const { specPath, outDir, compare, shard } = args;

  let text: string;
  try {
    text = readFileSync(specPath === '-' ? 0 : specPath, 'utf8');
  } catch (e) {
    fail(`${specPath}: cannot read the spec file (${(e as Error).message}); give the path of a JSON sweep spec, e.g. examples/lr-x-initscale.json`);
  }
  const result = parseSpecText(text);
  if (!result.ok) fail(`${specPath}: invalid sweep spec:\n${result.errors.map((e) => `  - ${e}`).join('\n')}`);
  const spec = result.spec;
  const { cells } = gridSize(spec);
  const range = shard ? partRange(cells, shard.index, shard.count) : undefined;
  const cellOrder = range ? Int32Array.from({ length: range.end - range.first }, (_, i) => range.first + i) : undefined;

  const abort = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nstopping at the next chunk; finished cells will be written (Ctrl-C again to quit now)\n');
    abort.abort();
    process.once('SIGINT', () => process.exit(130));
  });

  const threads = args.threads ?? availableParallelism();
  const { choice, trainer } = await pickEngine(args, threads);
  let pool: CpuPool | undefined;
  const cpuPool = () => (pool ??= createNodePool(threads));
  const precision = args.backend === 'cpu-f32' ? 'f32' : 'f64';
  const backend = choice.device === 'webgpu' ? 'webgpu' : precision === 'f32' ? 'cpu-f32' : 'cpu';
  const adapter = trainer ? trainer.gpu.adapter : cpuAdapter(precision, threads);
  process.stderr.write(`engine      ${trainer ? choice.reason : `${cpuEngineName(precision, threads)}${choice.reason.replace(/^[^,:]*/, '')}`}\n`);
  const options: RunOptions = { signal: abort.signal, onProgress: progressPrinter(backend), cellOrder };
  if (!trainer) await cpuPool().ready(); // worker start-up kept out of the timing, like the GPU's compilation
  const { run, error } = trainer ? await runOnGpu(trainer, spec, options) : { run: await cpuPool().run(spec, precision, options) };
  if (process.stderr.isTTY) process.stderr.write('\n');

  console.log(formatSummary(spec, backend, adapter, run, range));
  if (shard) {
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, `part-${shard.index}-of-${shard.count}.json`);
    writeResultsFile(file, buildResults(spec, backend, adapter, run, shard));
    console.log(`wrote       ${file} (cells ${range!.first} … ${range!.end - 1}); when every part is there: npm run merge -- ${outDir}`);
  } else {
    console.log(writeSweepFiles(outDir, buildResults(spec, backend, adapter, run), run.outputs));
  }

  if (compare && abort.signal.aborted) console.log('compare     skipped: the run was stopped');
  if (compare && run.cellsDone > 0 && !abort.signal.aborted) {
    const done = Int32Array.from({ length: run.cellsDone }, (_, i) => (cellOrder ? cellOrder[i] : i));
    const reference = await cpuPool().run(spec, 'f64', { cellOrder: done, signal: abort.signal, onProgress: progressPrinter('float64 reference') });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const agreement = compareOutputs(run.outputs, reference.outputs, done.subarray(0, reference.cellsDone));
    // Parts of a sharded sweep share the folder: each keeps its own comparison.
    const compareFile = join(outDir, shard ? `compare-part-${shard.index}-of-${shard.count}.json` : 'compare.json');
    writeFileAtomic(compareFile, JSON.stringify({ reference: cpuAdapter('f64', threads), referenceElapsedMs: reference.elapsedMs, ...agreement }, null, 2));
    console.log(formatAgreement(agreement));
    console.log(`  float64 reference ran at ${Math.round(reference.networkStepsPerSecond).toLocaleString('en-US')} network-steps/s on ${cpuEngineName('f64', threads)}`);
  }
  pool?.close();
  if (error) fail(`error: ${error}`);
  if (run.status !== 'complete') process.exit(130);
}

main().catch((e: Error) => fail(`${e.name === 'Error' ? 'error' : e.name}: ${e.message}`));
