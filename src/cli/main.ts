/**
 * `npm run sweep -- <spec.json> [--backend auto|webgpu|cpu|cpu-f32] [--threads N] [--out DIR] [--compare]
 * [--shard I/N] [--resume DIR]`: runs a sweep headless, writes DIR/results.json and one PNG heatmap per output (or, for
 * a shard, DIR/part-I-of-N.json), prints a summary. Ctrl-C or SIGTERM stops at the next chunk and writes what is done
 * (with a stopped GPU tile's state), which --resume continues.
 */
import { command } from './invocation';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { compareOutputs, compareReplicaCounts } from '../core/compare';
import { cpuAdapter, cpuEngineName } from '../core/engine';
import { gridSize } from '../core/grid';
import { allocateOutputs, copyCell, isComputed, OUTPUT_NAMES, outputsAt, type SweepOutputs } from '../core/outputs';
import type { ReplicaRunResult } from '../core/replica-run';
import { partRange, resultsHead } from '../core/results';
import { rate, type Checkpoint, type RunOptions, type RunProgress, type RunResult } from '../core/run';
import { parseSpecText, replicaCount, type SweepSpec } from '../core/spec';
import type { CpuPool } from '../cpu/pool';
import { BACKENDS, parseCliArgs, type BackendFlag, type CliArgs, type Shard } from './args';
import { writeFileAtomic } from './atomic';
import { earlierRunProblem, prepareOutDir, readSpecFile } from './files';
import { commandLine, lockPath, takeLock } from './lock';
import { createNodePool } from './node-cpu';
import { pickEngine, runOnGpu } from './engines';
import { readResults, writeResults } from './results-file';
import { formatAgreement, formatSummary } from './summary';
import { writeSweepFiles } from './write-outputs';
import { printedProgressMs, progressGate } from '../core/progress';

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function progressPrinter(label: string): (p: RunProgress) => void {
  const due = progressGate(printedProgressMs(process.stderr));
  return (p) => {
    if (!due(p.networkStepsDone >= p.networkSteps)) return;
    const pct = ((100 * p.networkStepsDone) / Math.max(1, p.networkSteps)).toFixed(1);
    // Steps advance within a tile before any of its cells finish: both counts, in words.
    process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}${label}: ${pct}% of the network-steps, ${p.cellsDone.toLocaleString('en-US')} of ${p.cells.toLocaleString('en-US')} cells finished, ${(p.elapsedMs / 1000).toFixed(1)} s${process.stderr.isTTY ? '   ' : '\n'}`);
  };
}

/**
 * Stops `abort` at the first SIGINT or SIGTERM. The same Ctrl-C often arrives twice within milliseconds (the terminal
 * signals the whole process group, and npm relays it to its child): only a signal a second or more after the first
 * quits at once, without writing.
 */
function stopOnSignals(abort: AbortController): void {
  let first = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    const now = performance.now();
    if (!first) {
      first = now;
      process.stderr.write(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping at the next chunk; what is done will be written, and --resume continues it (Ctrl-C again to quit at once without writing)\n`);
      abort.abort();
    } else if (now - first > 1000) {
      process.stderr.write(`\n${signal} again: quitting without writing\n`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/**
 * What an earlier, stopped run of this sweep left: its outputs (whole-sweep sized; with keep "all", every replica's,
 * network c·R + r), time, engine and checkpoint.
 */
interface Prior { outputs: SweepOutputs; replicaOutputs?: SweepOutputs; elapsedMs: number; backend: BackendFlag; checkpoint?: Checkpoint }

/** The spec (with --convergence's rule), the stopped run to continue (with --resume) and the backend to use, or a message. */
function loadSweep(args: CliArgs): { spec: SweepSpec; prior?: Prior; backend: BackendFlag } {
  const loaded = loadSpecAndPrior(args);
  // A replica sweep's counts, pConverged and medians are folded under its rule as each cell finishes: resuming one
  // under another rule would leave its finished cells counted under the old one.
  if (loaded.prior && loaded.spec.replicas && args.convergence && args.convergence !== loaded.spec.convergence) {
    fail(`--convergence: the stopped replica sweep in ${args.resume} counted its finished cells' replicas under "${loaded.spec.convergence}"; continue it under that rule (leave --convergence out), or run the spec again with --convergence ${args.convergence} into another --out`);
  }
  return args.convergence ? { ...loaded, spec: { ...loaded.spec, convergence: args.convergence } } : loaded;
}

function loadSpecAndPrior(args: CliArgs): { spec: SweepSpec; prior?: Prior; backend: BackendFlag } {
  let spec: SweepSpec | undefined;
  if (args.specPath !== undefined) {
    const text = readSpecFile(args.specPath);
    if (!text.ok) fail(text.error);
    const result = parseSpecText(text.text);
    if (!result.ok) fail(`${args.specPath}: invalid sweep spec:\n${result.errors.map((e) => `  - ${e}`).join('\n')}`);
    spec = result.spec;
  }
  if (args.resume === undefined) return { spec: spec!, backend: args.backend };
  const file = join(args.resume, args.shard ? `part-${args.shard.index}-of-${args.shard.count}.json` : 'results.json');
  const read = readResults(file);
  if (!read.ok) {
    const parts = args.shard || !existsSync(args.resume) ? [] : readdirSync(args.resume).filter((f) => /^part-\d+-of-\d+\.json$/.test(f));
    fail(`--resume: ${read.error}${parts.length ? `; ${args.resume} holds parts of a sharded sweep (${parts.slice(0, 3).join(', ')}${parts.length > 3 ? ', …' : ''}): add --shard I/N to continue one` : ''}`);
  }
  const { head, outputs, replicaOutputs } = read.results;
  // The rule only classifies a plain sweep's outputs: a spec file may name another one than the stopped run. A replica
  // sweep's summaries were folded under its rule, so there the rule must be the same.
  if (spec && JSON.stringify({ ...spec, convergence: undefined }) !== JSON.stringify({ ...head.spec, convergence: undefined })) fail(`--resume: ${file} is a run of another spec than ${args.specPath}; leave the spec file out to continue that run`);
  if (spec && head.spec.replicas && spec.convergence !== head.spec.convergence) fail(`--resume: ${file} counted its finished cells' replicas under the rule "${head.spec.convergence}", ${args.specPath} names "${spec.convergence}"; leave the spec file out to continue under the file's rule, or run the spec into another --out`);
  if (head.part && (!args.shard || head.part.index !== args.shard.index || head.part.count !== args.shard.count)) fail(`--resume: ${file} is part ${head.part.index} of ${head.part.count}: add --shard ${head.part.index}/${head.part.count}`);
  const fileBackend = head.backend as BackendFlag;
  if (!(BACKENDS as readonly string[]).includes(fileBackend) || fileBackend === 'auto') fail(`--resume: ${file} names an unknown backend "${head.backend}"`);
  if (args.backend !== 'auto' && args.backend !== fileBackend) fail(`--resume: ${file} was computed on ${fileBackend}; continuing on ${args.backend} would mix arithmetics: leave --backend out`);
  const cells = gridSize(head.spec).cells, first = head.part?.firstCell ?? 0, R = replicaCount(head.spec);
  const whole = allocateOutputs(cells, !!head.spec.replicas);
  for (let c = 0; c < outputs.finalLoss.length; c++) copyCell(outputs, c, whole, first + c);
  const wholeReplicas = replicaOutputs && allocateOutputs(cells * R);
  if (wholeReplicas) for (const name of OUTPUT_NAMES) wholeReplicas[name].set(replicaOutputs![name], first * R);
  return { spec: head.spec, backend: fileBackend, prior: { outputs: whole, replicaOutputs: wholeReplicas, elapsedMs: head.timings.elapsedMs, backend: fileBackend, checkpoint: read.checkpoint } };
}

/**
 * Makes the output folder and takes its lock (the folder's, or with --shard the part's: see lock.ts) until the process
 * exits, or fails naming the process that holds it.
 */
function claimOutDir(outDir: string, shard: Shard | undefined): void {
  const outProblem = prepareOutDir(outDir); // before any work: a sweep must never compute for nothing
  if (outProblem) fail(outProblem);
  const locked = takeLock(lockPath(outDir, shard), `--out ${outDir}${shard ? ` (part ${shard.index} of ${shard.count})` : ''}`, commandLine('sweep'));
  if (!locked.ok) fail(`${locked.error}, or give another --out`);
}

async function main(): Promise<void> {
  // A closed pipe (… | head) is not an error of the sweep: its files are still written.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') throw e; });
  const parsed = parseCliArgs(process.argv.slice(2), availableParallelism());
  if (!parsed.ok && parsed.help) { console.log(parsed.message); process.exit(0); }
  if (!parsed.ok) fail(parsed.message, 2);
  const args = parsed.args;
  const { outDir, compare, shard } = args;
  // The lock comes before --resume reads the folder (when it exists: if not, that is the message) and before any other
  // work; a fresh run parses its spec first, so a mistyped spec path makes no folder.
  const lockFirst = args.resume !== undefined && existsSync(outDir);
  if (lockFirst) claimOutDir(outDir, shard);
  const { spec, prior, backend: asked } = loadSweep(args);
  if (!lockFirst) claimOutDir(outDir, shard);
  const { cells } = gridSize(spec);
  if (shard && shard.count > cells) fail(`--shard ${shard.index}/${shard.count}: ${cells.toLocaleString('en-US')} cells cannot be split into more than ${cells.toLocaleString('en-US')} parts`, 2);
  const earlier = !prior || resolve(outDir) !== resolve(args.resume!) ? earlierRunProblem(join(outDir, shard ? `part-${shard.index}-of-${shard.count}.json` : 'results.json'), spec) : undefined;
  if (earlier) fail(earlier);

  const range = shard ? partRange(cells, shard.index, shard.count) : { first: 0, end: cells };
  // The cells to compute: a checkpoint's first (they continue from its state), then every other cell not done.
  const checkpoint = prior?.checkpoint;
  const pending = new Set(checkpoint?.cells);
  const todo: number[] = checkpoint ? Array.from(checkpoint.cells) : [];
  for (let i = range.first; i < range.end; i++) if (!pending.has(i) && !(prior && isComputed(prior.outputs, i))) todo.push(i);
  if (prior && todo.length === 0) { console.log(`nothing to resume: every cell of ${args.resume} is done`); return; }
  const cellOrder = shard || prior ? Int32Array.from(todo) : undefined;

  const abort = new AbortController();
  stopOnSignals(abort);

  const threads = args.threads ?? availableParallelism();
  const { choice, trainer } = await pickEngine(asked, threads);
  let pool: CpuPool | undefined;
  const cpuPool = () => (pool ??= createNodePool(threads));
  const arithmetic = asked === 'cpu-f32' ? 'float32' : 'float64';
  const backend = choice.device === 'webgpu' ? 'webgpu' : arithmetic === 'float32' ? 'cpu-f32' : 'cpu';
  if (prior && backend !== prior.backend) fail(`--resume: the run was computed on ${prior.backend}, which is not available here (${choice.reason})`);
  const adapter = trainer ? trainer.gpu.adapter : cpuAdapter(arithmetic, threads);
  process.stderr.write(`engine      ${trainer ? choice.reason : `${cpuEngineName(arithmetic, threads)}${choice.reason.replace(/^[^,:]*/, '')}`}\n`);
  if (prior) process.stderr.write(`resume      ${todo.length.toLocaleString('en-US')} cells to go${checkpoint ? `, ${checkpoint.cells.length.toLocaleString('en-US')} of them from step ${checkpoint.stepsDone}` : ''}\n`);
  const options: RunOptions = { signal: abort.signal, onProgress: progressPrinter(backend), cellOrder, resume: checkpoint };
  if (!trainer) await cpuPool().ready(); // worker start-up kept out of the timing, like the GPU's compilation
  const { run: fresh, error } = trainer ? await runOnGpu(trainer, spec, options) : { run: await cpuPool().run(spec, arithmetic, options) };
  if (process.stderr.isTTY) process.stderr.write('\n');

  // This run's cells joined to what earlier runs did (a replica sweep's rows and kept replicas too).
  const R = replicaCount(spec), freshReplicas = (fresh as ReplicaRunResult).replicaOutputs;
  const outputs = prior?.outputs ?? fresh.outputs, replicaOutputs = prior?.replicaOutputs ?? freshReplicas;
  if (prior) {
    for (let j = 0; j < fresh.cellsDone; j++) {
      copyCell(fresh.outputs, todo[j], outputs, todo[j]);
      for (let r = 0; r < R && replicaOutputs; r++) copyCell(freshReplicas!, todo[j] * R + r, replicaOutputs, todo[j] * R + r);
    }
  }
  let done = 0;
  for (let i = range.first; i < range.end; i++) if (isComputed(outputs, i)) done++;
  const elapsedMs = (prior?.elapsedMs ?? 0) + fresh.elapsedMs;
  const status = done === range.end - range.first ? 'complete' : fresh.status;
  const run: RunResult = { outputs, status, cellsDone: done, elapsedMs, networkStepsPerSecond: rate(done * R, spec.steps, elapsedMs), checkpoint: fresh.checkpoint };

  console.log(formatSummary(spec, backend, adapter, run, shard ? range : undefined));
  const head = resultsHead(spec, backend, adapter, run, shard);
  if (shard) {
    const partReplicas = replicaOutputs && outputsAt(replicaOutputs, range.first * R, range.end * R);
    const files = writeResults(outDir, `part-${shard.index}-of-${shard.count}`, head, outputsAt(outputs, range.first, range.end), run.checkpoint, partReplicas);
    console.log(`wrote       ${files.join(', ')} (cells ${range.first} … ${range.end - 1}); when every part is there: ${command('merge')} ${outDir}`);
  } else {
    console.log(writeSweepFiles(outDir, head, outputs, run.checkpoint, replicaOutputs));
  }
  if (status !== 'complete') console.log(`stopped     ${done.toLocaleString('en-US')} of ${(range.end - range.first).toLocaleString('en-US')} cells done${run.checkpoint ? `, ${run.checkpoint.cells.length.toLocaleString('en-US')} more partly (their state is saved)` : ''}; continue with: ${command('sweep')} --resume ${outDir}${shard ? ` --shard ${shard.index}/${shard.count}` : ''}`);

  if (compare && abort.signal.aborted) console.log('compare     skipped: the run was stopped');
  if (compare && fresh.cellsDone > 0 && !abort.signal.aborted) {
    const compared = Int32Array.from({ length: range.end - range.first }, (_, i) => range.first + i).filter((i) => isComputed(outputs, i));
    const reference = await cpuPool().run(spec, 'float64', { cellOrder: compared, signal: abort.signal, onProgress: progressPrinter('float64 reference') });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const cellsCompared = compared.subarray(0, reference.cellsDone);
    const agreement = compareOutputs(outputs, reference.outputs, spec.convergence, cellsCompared);
    // A replica sweep also compares each cell's count of converged replicas (replica 0's class is the line above).
    const replicas = spec.replicas ? (({ map: _, ...counts }) => counts)(compareReplicaCounts(outputs, reference.outputs, spec.convergence, cellsCompared)) : undefined;
    // Parts of a sharded sweep share the folder: each keeps its own comparison.
    const compareFile = join(outDir, shard ? `compare-part-${shard.index}-of-${shard.count}.json` : 'compare.json');
    writeFileAtomic(compareFile, JSON.stringify({ reference: cpuAdapter('float64', threads), referenceElapsedMs: reference.elapsedMs, ...agreement, ...(replicas ? { replicas } : {}) }, null, 2));
    console.log(formatAgreement(agreement, replicas));
    console.log(`  float64 reference ran at ${Math.round(reference.networkStepsPerSecond).toLocaleString('en-US')} network-steps/s on ${cpuEngineName('float64', threads)}`);
  }
  pool?.close();
  if (error) fail(`error: ${error}`);
  if (status !== 'complete') process.exit(130);
}

main().catch((e: Error) => fail(`${e.name === 'Error' ? 'error' : e.name}: ${e.message}`));
