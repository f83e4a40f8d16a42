/** Command-line arguments of `npm run paper`. */
import { parseArgs } from 'node:util';
import { PAPER_CONDITIONS } from '../core/paper';
import { BACKENDS, THREADS_PER_CORE, type BackendFlag } from './args';

export const PAPER_USAGE = `usage: npm run paper -- [--out DIR] [--backend auto|webgpu|cpu|cpu-f32] [--threads N] [--size N | --quick]
                                   [--only NAME,NAME…]

  Sweeps the fractal paper's six conditions (examples/paper-*.json: ${PAPER_CONDITIONS.map((c) => c.name).join(', ')}), each
  over its full view and over a zoom a quarter as wide (in log space) centred on the boundary cell nearest the view's
  centre, at the same resolution; writes DIR/paper.svg and .png (one figure of the six), DIR/paper.md and .json (each
  view's box-counting dimension with its fit error, the paper's range, wall times) and DIR/<condition>/{full,zoom}/
  results.json (each with its draws).

  --out DIR     where it all goes (default: paper-out)
  --backend     as npm run sweep's; auto (default) runs MLP sweeps on the CPU engine (float64 WebAssembly, every core)
  --threads N   worker threads of the CPU engine (default: every core)
  --size N      cells a side of every view (default: each example's own, at least 64, which box counting needs)
  --quick       24 × 24 cells a side (a smoke test: too coarse for a dimension)
  --only LIST   only these conditions, comma-separated

  Ctrl-C (or SIGTERM) stops at the next chunk; the figure and table keep every view finished before it.`;

/** Parsed arguments. */
export interface PaperArgs {
  outDir: string;
  backend: BackendFlag;
  threads?: number;
  /** Cells a side of every view; undefined: each example's own count, at least DIMENSION_MIN_SIDE. */
  size?: number;
  /** The conditions to run, by name, in the paper's order. */
  only: string[];
}

/** The smallest and largest --size. */
export const PAPER_SIZE_RANGE = { min: 8, max: 4096 } as const;
/** --quick's cells a side. */
export const QUICK_SIZE = 24;

type Parsed = { ok: true; args: PaperArgs } | { ok: false; message: string; help?: true };

/** Parses argv (without node and script) for a machine of `cores` cores. */
export function parsePaperArgs(argv: string[], cores = 1): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        out: { type: 'string', default: 'paper-out' },
        backend: { type: 'string', default: 'auto' },
        threads: { type: 'string' },
        size: { type: 'string' },
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    return { ok: false, message: `${(e as Error).message}\n\n${PAPER_USAGE}` };
  }
  const v = parsed.values;
  if (v.help) return { ok: false, message: PAPER_USAGE, help: true };
  const bad = (message: string): Parsed => ({ ok: false, message: `${message}\n\n${PAPER_USAGE}` });
  if (v.out === '') return bad('--out: an empty path; give a folder');
  if (!(BACKENDS as readonly string[]).includes(v.backend)) return bad(`--backend: "${v.backend}" is not one of ${BACKENDS.join(', ')}`);
  let threads: number | undefined;
  if (v.threads !== undefined) {
    threads = /^\d+$/.test(v.threads) ? Number(v.threads) : NaN;
    if (!(threads >= 1)) return bad(`--threads: "${v.threads}" is not a positive whole number`);
    if (threads > THREADS_PER_CORE * cores) return bad(`--threads: ${threads} is more than ${THREADS_PER_CORE} per core of this machine's ${cores}; leave --threads out for one per core`);
  }
  if (v.quick && v.size !== undefined) return bad('--quick and --size both set the cells a side: give one');
  let size = v.quick ? QUICK_SIZE : undefined;
  if (v.size !== undefined) {
    size = /^\d+$/.test(v.size) ? Number(v.size) : NaN;
    if (!(size >= PAPER_SIZE_RANGE.min && size <= PAPER_SIZE_RANGE.max)) return bad(`--size: "${v.size}" is not a whole number from ${PAPER_SIZE_RANGE.min} to ${PAPER_SIZE_RANGE.max}`);
  }
  const names = PAPER_CONDITIONS.map((c) => c.name);
  let only = names;
  if (v.only !== undefined) {
    const asked = v.only.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = asked.filter((a) => !names.includes(a));
    if (unknown.length || asked.length === 0) return bad(`--only: ${unknown.length ? `"${unknown.join('", "')}" ${unknown.length > 1 ? 'are' : 'is'} not` : 'name at least one of'} the paper's conditions (${names.join(', ')})`);
    only = names.filter((n) => asked.includes(n));
  }
  return { ok: true, args: { outDir: v.out, backend: v.backend as BackendFlag, threads, size, only } };
}
