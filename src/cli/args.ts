/** Command-line arguments of `npm run sweep` and `npm run merge`. */
import { command } from './invocation';
import { parseArgs } from 'node:util';
import { CONVERGENCE_RULES, CONVERGENCE_RULE_NAMES, type ConvergenceRule } from '../core/outputs';

export const BACKENDS = ['auto', 'webgpu', 'cpu', 'cpu-f32'] as const;
export type BackendFlag = (typeof BACKENDS)[number];

const SWEEP = command('sweep');
export const USAGE = `usage: ${SWEEP} <spec.json> [--backend auto|webgpu|cpu|cpu-f32] [--threads N] [--out DIR]
       ${' '.repeat(SWEEP.length)} ${' '.repeat(11)} [--compare] [--shard I/N] [--convergence RULE]
       ${SWEEP} --resume DIR [--shard I/N] [--threads N] [--compare] [--convergence RULE]

  <spec.json>   a sweep spec (see examples/ and README); "-" reads it from standard input
  --backend     auto (default): WebGPU, unless its adapter is missing or a CPU emulation (SwiftShader), then cpu;
                webgpu: the float32 WGSL trainer through Dawn; cpu: float64 WebAssembly on every core, the same
                bits as the float64 reference; cpu-f32: the same engine rounding like the GPU kernel (float32)
  --threads N   worker threads of the CPU engine (default: every core, os.availableParallelism())
  --out DIR     where results.json and the heatmap PNGs go (default: out/<spec file name>)
  --compare     also run the float64 CPU engine on every cell and print the agreement
  --convergence when a cell that did not diverge counts as converged, for its class, counts and figures (overrides
                the spec's "convergence"; a plain sweep's outputs do not depend on it, a replica
                sweep's counts and medians do, so --resume keeps its rule):
${CONVERGENCE_RULES.map((r) => `                  ${r.name.padEnd(11)} ${r.detail}${r.name === 'ends-below' ? ' (default)' : ''}`).join('\n')}
  --shard I/N   compute only part I of N (0 ≤ I < N: cells ⌊I·cells/N⌋ … ⌊(I+1)·cells/N⌋ − 1) and write
                DIR/part-I-of-N.json; ${command('merge')} DIR joins the parts into DIR/results.json
  --resume DIR  continue the stopped sweep in DIR (its results.json, or part-I-of-N.json with --shard): compute
                only the cells not done, on the same engine, to the same bits as one uninterrupted run

  Ctrl-C (or SIGTERM) stops at the next chunk and writes what is finished, to continue with --resume; a second
  Ctrl-C a second or more later quits at once without writing.`;

export const MERGE_USAGE = `usage: ${command('merge')} <DIR | part files…> [--out DIR]

  Joins the part files of a sharded sweep (${SWEEP} spec.json --shard I/N) into one results.json and its
  heatmaps, equal to the unsharded run's. Given a directory, takes every part-*-of-*.json in it.
  --out DIR     where results.json and the heatmaps go (default: the parts' directory)`;

/** Part I of N of a sweep. */
export interface Shard { index: number; count: number }

export interface CliArgs {
  /** The spec file; absent with --resume (the results file holds the spec). */
  specPath?: string;
  /** Continue the stopped sweep in this folder. */
  resume?: string;
  backend: BackendFlag;
  /** Worker threads of the CPU engine; undefined = every core. */
  threads?: number;
  outDir: string;
  compare: boolean;
  shard?: Shard;
  /** Overrides the spec's convergence rule. */
  convergence?: ConvergenceRule;
}

type Parsed<T> = { ok: true; args: T } | { ok: false; message: string; help?: true };

function positiveInteger(text: string): number | undefined {
  return /^\d+$/.test(text) && Number(text) >= 1 ? Number(text) : undefined;
}

/**
 * Most CPU worker threads per core: each is a worker with its own WebAssembly memory (about 25 MB, and about 0.6 s
 * to start); past a few per core they only cost (500 threads took 12 GB and stopped answering signals).
 */
export const THREADS_PER_CORE = 4;

/** Parses argv (without node and script) for a machine of `cores` cores; returns the arguments or a message for the user. */
export function parseCliArgs(argv: string[], cores = 1): Parsed<CliArgs> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        backend: { type: 'string', default: 'auto' },
        threads: { type: 'string' },
        out: { type: 'string' },
        compare: { type: 'boolean', default: false },
        shard: { type: 'string' },
        resume: { type: 'string' },
        convergence: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    return { ok: false, message: `${(e as Error).message}\n\n${USAGE}` };
  }
  const { values, positionals } = parsed;
  if (values.help) return { ok: false, message: USAGE, help: true };
  if (values.resume !== undefined && positionals.length > 1) return { ok: false, message: `--resume takes the folder of the stopped sweep; give no spec file, or just the one it ran\n\n${USAGE}` };
  if (values.resume === undefined && positionals.length !== 1) return { ok: false, message: `expected one spec file, got ${positionals.length}\n\n${USAGE}` };
  if (!(BACKENDS as readonly string[]).includes(values.backend)) {
    return { ok: false, message: `--backend: "${values.backend}" is not one of ${BACKENDS.join(', ')}\n\n${USAGE}` };
  }
  const threads = values.threads === undefined ? undefined : positiveInteger(values.threads);
  if (values.threads !== undefined && threads === undefined) return { ok: false, message: `--threads: "${values.threads}" is not a positive whole number\n\n${USAGE}` };
  const maxThreads = THREADS_PER_CORE * cores;
  if (threads !== undefined && threads > maxThreads) return { ok: false, message: `--threads: ${threads} is more than ${THREADS_PER_CORE} per core of this machine's ${cores} (${maxThreads}); each thread is a worker with its own memory, so more only cost: leave --threads out for one per core` };
  if (values.out === '' || values.resume === '') return { ok: false, message: `--${values.out === '' ? 'out' : 'resume'}: an empty path; give a folder\n\n${USAGE}` };
  if (values.convergence !== undefined && !(CONVERGENCE_RULE_NAMES as readonly string[]).includes(values.convergence)) {
    return { ok: false, message: `--convergence: "${values.convergence}" is not one of ${CONVERGENCE_RULE_NAMES.join(', ')}\n\n${USAGE}` };
  }
  let shard: Shard | undefined;
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
    if (!(count >= 1 && index < count)) {
      return { ok: false, message: `--shard: "${values.shard}" is not I/N with 0 ≤ I < N (e.g. --shard 0/4 … --shard 3/4)\n\n${USAGE}` };
    }
    shard = { index, count };
  }
  const specPath = positionals[0] as string | undefined;
  const name = specPath === undefined ? '' : specPath === '-' ? 'stdin' : specPath.replace(/^.*[\\/]/, '').replace(/\.json$/i, '');
  const outDir = values.out ?? values.resume ?? `out/${name}`;
  return { ok: true, args: { specPath, resume: values.resume, backend: values.backend as BackendFlag, threads, outDir, compare: values.compare, shard, convergence: values.convergence as ConvergenceRule | undefined } };
}

/** Parses `npm run merge` arguments. */
export function parseMergeArgs(argv: string[]): Parsed<{ inputs: string[]; outDir?: string }> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (e) {
    return { ok: false, message: `${(e as Error).message}\n\n${MERGE_USAGE}` };
  }
  if (parsed.values.help) return { ok: false, message: MERGE_USAGE, help: true };
  if (parsed.positionals.length === 0) return { ok: false, message: `expected a directory of part files, or the part files\n\n${MERGE_USAGE}` };
  return { ok: true, args: { inputs: parsed.positionals, outDir: parsed.values.out } };
}
