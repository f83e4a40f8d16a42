/**
 * `npm run mnist -- [--lr list] [--seeds n] [--dropout list] [--epochs n] [--backend auto|webgpu|cpu|cpu-f64]
 * [--out DIR] …`: trains a sweep of MNIST models (one copy per combination of the lists), prints each epoch as it finishes and a
 * table at the end, and writes DIR/mnist.json (settings and per-epoch metrics of every copy), DIR/metrics.csv,
 * DIR/mnist.svg and .png (curves and the accuracy heatmap) and DIR/weights-<copy>.json (the weights after the copy's
 * last finished epoch). `--figure DIR` draws the figure of an earlier run's mnist.json again. Every file is written
 * atomically: a copy's weights after each of its epochs; mnist.json, metrics.csv and the figure (whose cost grows
 * with the copies) as often as keeps their writing under a tenth of the run's time (./progress-writer.ts), and
 * at once on Ctrl-C, so Ctrl-C keeps every finished epoch.
 */
import { command } from './invocation';
import { existsSync, readFileSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { availableParallelism, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { moduleWorker } from './module-worker';
import { DEFAULT_MODEL, describeLayer, placeModel } from '../mnist/model';
import { checkMnistResults, formatTable, maxCopies, metricsCsv, mnistJsonCharsPerCopy, newResults, recordCopyEvent, weightsFile, type CopyEvent, type MnistResults } from '../mnist/sweep';
import { DEFAULT_COPY, DEFAULT_RUN } from '../mnist/training';
import { backendEngine, copiesOfSettings, MNIST_SETTINGS, parseMnistSettings, runOf } from '../mnist/settings';
import { NoAdapterError, type GpuContext } from '../gpu/device';
import { chooseDevice } from '../core/engine';
import { MnistGpuTrainer } from '../gpu/mnist/trainer';
import { gpuSweep } from '../gpu/mnist/run';
import { acquireNodeGpu } from './node-gpu';
import { readMnist, readMnistShaders } from './mnist-data';
import { MNIST_CREDIT } from '../mnist/idx';
import { writeFileAtomic } from './atomic';
import { writeMnistFigure } from './figures';
import { prepareOutDir } from './files';
import { commandLine, lockPath, takeLock } from './lock';
import { ProgressWriter } from './progress-writer';
import { copyJobs, type CopyJob } from '../mnist/copy-run';
import { runCopies, type SpawnCopy } from '../mnist/copy-pool';

const MNIST = command('mnist'), INDENT = ' '.repeat(6 + MNIST.length);
export const MNIST_USAGE = `usage: ${MNIST} [--lr list] [--seeds n] [--dropout list] [--epochs n] [--backend auto|webgpu|cpu|cpu-f64]
${INDENT}[--out DIR] [--threads n] [--batch n] [--schedule onecycle|step] [--momentum m]
${INDENT}[--weight-decay d] [--rotation degrees] [--train-limit n] [--test-limit n]

  Trains one copy of the MNIST model (${placeModel(DEFAULT_MODEL).paramCount.toLocaleString('en-US')} parameters) per combination of --lr × --dropout × seeds 1…n, all on the same mini-batches.
  --lr list         peak (one-cycle) or starting (step) learning rates, comma-separated (default ${DEFAULT_COPY.lr})
  --seeds n         seeds 1…n of the initial weights and dropout masks (default 1)
  --dropout list    dropout rates (default ${DEFAULT_COPY.dropout})
  --epochs n        epochs (default ${DEFAULT_RUN.epochs})
  --backend         the words of npm run sweep: auto (default): webgpu, unless its adapter is missing or a CPU
                    emulation (SwiftShader), then cpu; webgpu: the WGSL kernels, every copy at once; cpu: float32
                    WebAssembly, one copy per thread (npm run sweep's cpu-f32, also taken); cpu-f64: the float64
                    reference (slow; for checking; the arithmetic of npm run sweep's cpu). Before, the default was cpu: give it for the
                    recorded CPU run
  --out DIR         where mnist.json, metrics.csv and weights-<copy>.json go (default out/mnist)
  --threads n       copies trained at once on the CPU (default: every core)
  --batch n         mini-batch size (default ${DEFAULT_RUN.batch})
  --schedule        onecycle (default) or step (×0.1 every --step-every epochs, default ${DEFAULT_RUN.stepEvery})
  --momentum m      SGD momentum (default ${DEFAULT_COPY.momentum});  --weight-decay d  L2 decay (default 0)
  --rotation deg    random rotation of training images, ±deg (default ${DEFAULT_RUN.rotation})
  --train-limit n, --test-limit n   use only the first n images (default: all 60,000 and 10,000)
  --data-seed n     seed of the batch order and rotations (default ${DEFAULT_RUN.dataSeed})
  --figure DIR      only draw DIR/mnist.svg and mnist.png again from DIR/mnist.json

  Data: ${MNIST_CREDIT}.
  Ctrl-C stops; every finished epoch is already in DIR.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** The command line's own flags, beside the sweep's settings (src/mnist/settings.ts): where, and how many threads. */
const STRING_FLAGS = [...MNIST_SETTINGS.map((r) => r.flag), 'out', 'threads'];

function parse() {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: {
        ...Object.fromEntries(STRING_FLAGS.map((k) => [k, { type: 'string' as const }])),
        help: { type: 'boolean' as const },
      },
    });
  } catch (e) {
    fail(`${(e as Error).message}\n\n${MNIST_USAGE}`);
  }
  const v = parsed.values as Record<string, string | undefined> & { help?: boolean };
  if (v.help) { process.stdout.write(`${MNIST_USAGE}\n`); process.exit(0); }
  const read = parseMnistSettings(v);
  if (!read.ok) fail(read.errors.join('\n'));
  const settings = read.settings;
  if (v.out === '') fail(`--out: an empty path; give a folder (default ${join('out', 'mnist')})`);
  checkCopyCount(settings.lr.length, settings.dropout.length, settings.seeds, settings.epochs);
  const copies = copiesOfSettings(settings);
  const cores = availableParallelism(), most = 4 * cores;
  const threads = v.threads === undefined ? Math.min(cores, copies.length) : Number(v.threads);
  if (v.threads !== undefined && !(/^\d+$/.test(v.threads) && threads >= 1 && threads <= most)) fail(`--threads ${v.threads}: expected a whole number from 1 to ${most}`);
  return { run: runOf(settings), copies, backend: settings.backend, threads, outDir: resolve(v.out ?? join('out', 'mnist')) };
}

/**
 * Refuses, before any copy is built, more copies than this machine can hold (src/mnist/sweep.ts maxCopies): the
 * longest string of this Node, and the smaller of the machine's memory and the heap Node may use.
 */
function checkCopyCount(lrs: number, dropouts: number, seeds: number, epochs: number): void {
  const heap = getHeapStatistics().heap_size_limit, memoryBytes = Math.min(totalmem(), heap);
  const most = maxCopies(epochs, { maxStringLength: bufferConstants.MAX_STRING_LENGTH, memoryBytes });
  const count = lrs * dropouts * seeds;
  if (count <= most) return;
  const n = (x: number) => x.toLocaleString('en-US'), gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
  fail(`--lr × --dropout × --seeds: ${n(lrs)} × ${n(dropouts)} × ${n(seeds)} = ${n(count)} copies; this machine takes at most ${n(most)} copies of ${epochs} epochs: `
    + `mnist.json needs about ${n(mnistJsonCharsPerCopy(epochs))} characters a copy in one string (at most ${n(bufferConstants.MAX_STRING_LENGTH)} in this Node), `
    + `and the run may use ${gib(memoryBytes)} of memory (${memoryBytes === heap ? `Node's heap limit; the machine has ${gib(totalmem())}` : 'the machine\'s'}). Give fewer learning rates, dropout rates or seeds, or fewer --epochs`);
}

/** `--figure DIR`: draws DIR/mnist.svg and .png again from DIR/mnist.json, once it is checked. */
function redrawFigure(text: string | undefined): void {
  if (text === '') fail('--figure: an empty path; give the folder of an earlier run (it holds mnist.json)');
  const dir = resolve(text ?? '.'), file = join(dir, 'mnist.json');
  let results: MnistResults;
  try {
    results = checkMnistResults(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    const why = e instanceof SyntaxError ? `not valid JSON (${e.message})` : (e as Error).message;
    fail(`--figure ${dir}: ${existsSync(file) ? `${file}: ${why}; is it the mnist.json of npm run mnist?` : `${why}; give the folder of an earlier run (it holds mnist.json)`}`);
  }
  try {
    writeMnistFigure(dir, results);
  } catch (e) {
    fail(`--figure ${dir}: ${(e as Error).message}`);
  }
  process.stdout.write(`written: ${dir}/mnist.svg, mnist.png\n`);
}

async function main(): Promise<void> {
  const figureOf = process.argv.findIndex((a) => a === '--figure' || a.startsWith('--figure='));
  if (figureOf >= 0) {
    const flag = process.argv[figureOf];
    redrawFigure(flag.includes('=') ? flag.slice('--figure='.length) : process.argv[figureOf + 1]);
    return;
  }
  const { run, copies, backend, threads, outDir } = parse();
  const problem = prepareOutDir(outDir);
  if (problem) fail(problem);
  const locked = takeLock(lockPath(outDir), `--out ${outDir}`, commandLine('mnist')); // one writer per folder: see lock.ts
  if (!locked.ok) fail(`${locked.error}, or give another --out`);
  // Never overwrite what an earlier run computed.
  if (existsSync(join(outDir, 'mnist.json'))) fail(`--out ${outDir} holds an earlier MNIST run (mnist.json) that this run would overwrite: give another --out, or move it away`);
  const model = placeModel(DEFAULT_MODEL);
  // The engine through the sweep's words (src/mnist/settings.ts) and its choice (chooseDevice): auto takes the GPU
  // unless it is missing or a CPU emulation, then the float32 CPU engine; webgpu insists.
  const asked = backendEngine(backend);
  let gpuTrainer: MnistGpuTrainer | undefined, why = '';
  if (asked.device !== 'cpu') {
    let gpu: GpuContext | undefined;
    try {
      gpu = await acquireNodeGpu();
    } catch (e) {
      if (asked.device === 'webgpu') fail((e as Error).message);
      why = `; auto: ${e instanceof NoAdapterError ? 'no WebGPU adapter' : `WebGPU failed to start (${(e as Error).message})`}`;
    }
    if (gpu && chooseDevice(asked.device, { adapter: gpu.adapter, isFallback: gpu.isFallback }, threads).device === 'webgpu') {
      try {
        gpuTrainer = await MnistGpuTrainer.create(gpu, readMnistShaders(), model, copies, run.batch, run.testLimit || 10000);
      } catch (e) {
        fail(`${(e as Error).message} (the copies may not fit the device: try fewer copies or a smaller --batch${asked.device === 'auto' ? ', or --backend cpu' : ''})`);
      }
    } else if (gpu) {
      why = `; auto: the WebGPU adapter (${gpu.adapter}) is a CPU emulation, slower than the CPU engine`;
      gpu.device.destroy();
    }
  }
  const engine = gpuTrainer ? `webgpu (${gpuTrainer.gpu.adapter}${gpuTrainer.gpu.isFallback ? ', a CPU emulation: slow' : ''}, ${copies.length} copies at once)`
    : asked.arithmetic === 'float64' ? `cpu (float64 reference, ${threads} threads)` : `cpu (float32 WebAssembly, ${threads} threads${why})`;
  const results: MnistResults = newResults(run, copies, engine);
  process.stdout.write(`model: ${model.paramCount.toLocaleString('en-US')} parameters, ${(model.forwardMacs / 1e6).toFixed(2)} M multiply-adds per image forward\n`);
  for (const layer of model.layers) process.stdout.write(`  ${describeLayer(layer)}\n`);
  process.stdout.write(`data: ${MNIST_CREDIT}\nengine: ${engine}\n${copies.length} copies, ${run.epochs} epochs, batch ${run.batch}, ${run.schedule} schedule, rotation ±${run.rotation}°\n`);

  const writeJson = () => writeFileAtomic(join(outDir, 'mnist.json'), `${JSON.stringify(results, null, 1)}\n`);
  const progress = new ProgressWriter(() => {
    writeJson();
    writeFileAtomic(join(outDir, 'metrics.csv'), metricsCsv(results));
    if (results.copies.some((c) => c.epochs.length)) writeMnistFigure(outDir, results);
  });
  // Stops the CPU pool's workers (src/mnist/copy-pool.ts) or, through keepGoing, the GPU loop.
  const stopCopies = new AbortController();
  let stopping = false;
  // A write the file system refuses (a full disk): stop every copy, mark the unfinished ones stopped in mnist.json
  // (small, so it may still fit), and exit with the message naming the file (src/cli/atomic.ts), not a stack trace.
  const writeFailed = (e: Error): never => {
    stopping = true;
    stopCopies.abort();
    gpuTrainer?.gpu.device.destroy();
    for (const c of results.copies) if (c.state === 'running' || c.state === 'waiting') c.state = 'stopped';
    let kept = `every epoch written before it is in ${outDir}; mnist.json marks the unfinished copies stopped`;
    try { writeJson(); } catch { kept = `${join(outDir, 'mnist.json')} could not be rewritten either, so it may still call copies running; each weights-<copy>.json holds its copy's last written epoch`; }
    process.stderr.write(`${e.message}\nstopped: ${kept}. Free some space, or give another --out, and run again.\n`);
    process.exit(1);
  };
  const guarded = (writeFiles: () => void) => {
    try { writeFiles(); } catch (e) { if (typeof (e as NodeJS.ErrnoException).code !== 'string') throw e; writeFailed(e as Error); }
  };
  /** Writes mnist.json, metrics.csv and the figure now; `writeSoon` when their last writing was long enough ago. */
  const write = () => guarded(() => progress.now());
  const writeSoon = () => guarded(() => progress.soon());
  write();
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stopCopies.abort();
    gpuTrainer?.gpu.device.destroy();
    for (const c of results.copies) if (c.state === 'running' || c.state === 'waiting') c.state = 'stopped';
    write();
    process.stderr.write(`\n${signal}: stopped; every finished epoch is in ${outDir}\n${formatTable(results)}\n`);
    process.exit(130);
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  /** Every copy's events, from either engine: folded into results, an epoch's weights written and its line printed. */
  const onEvent = (event: CopyEvent) => {
    recordCopyEvent(results, event.copy, event);
    if (event.type === 'progress') return;
    if (event.type === 'epoch') {
      const { copy, metrics: e } = event, s = results.copies[copy].settings;
      guarded(() => writeFileAtomic(join(outDir, `weights-${copy}.json`), JSON.stringify(weightsFile(results.model.layers, s, e.epoch, event.params, event.stats))));
      process.stdout.write(`copy ${copy} (lr ${s.lr}, dropout ${s.dropout}, seed ${s.seed}) epoch ${e.epoch}/${run.epochs}: train loss ${e.trainLoss.toFixed(4)}, train ${(100 * e.trainAccuracy).toFixed(2)}%, test loss ${e.testLoss.toFixed(4)}, test ${(100 * e.testAccuracy).toFixed(2)}%, lr ${e.lr.toPrecision(3)}, ${e.seconds.toFixed(0)} s\n`);
    } else if (event.type === 'copy-failed') {
      process.stderr.write(`copy ${event.copy} failed: ${event.message}\n`);
    }
    // The GPU's epochs are written together after each epoch (afterEpoch), the CPU copies' as they come.
    if (!gpuTrainer) writeSoon();
  };

  if (gpuTrainer) {
    const { train, test } = readMnist();
    try {
      const end = await gpuSweep(gpuTrainer, run, train, test, { onEvent, afterEpoch: write, keepGoing: () => !stopping });
      if (end === 'stopped') return;
    } catch (e) {
      if (stopping) return;
      results.copies.forEach((_, copy) => recordCopyEvent(results, copy, { type: 'copy-failed', message: (e as Error).message }));
      write();
      fail(`the GPU run failed: ${(e as Error).message}\nEvery finished epoch is in ${outDir}.`);
    }
  } else {
    // CPU: one worker thread per copy, `threads` at a time (src/mnist/copy-pool.ts), each running ./mnist-worker.ts.
    const spawn: SpawnCopy<CopyJob> = (job, onReport, onError) => {
      const worker = moduleWorker('mnist-worker', import.meta.url, { workerData: { job } });
      worker.on('message', onReport);
      worker.on('error', onError);
      worker.on('exit', () => onError(new Error('its worker exited')));
      return { terminate: () => void worker.terminate() };
    };
    const end = await runCopies(copyJobs(results.model.layers, run, copies, asked.arithmetic === 'float64'), { spawn, threads, onEvent, signal: stopCopies.signal });
    if (end === 'stopped') return;
  }
  write();
  process.stdout.write(`\n${formatTable(results)}\nwritten: ${outDir}/mnist.json, metrics.csv, mnist.svg, mnist.png, weights-*.json\n`);
  if (results.copies.some((c) => c.state === 'failed')) process.exit(1);
}

await main();
