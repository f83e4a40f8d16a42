/** Command-line arguments of `npm run sweep`. */
import { parseArgs } from 'node:util';

export const BACKENDS = ['webgpu', 'cpu', 'cpu-f32'] as const;
export type Backend = (typeof BACKENDS)[number];

export const USAGE = `usage: npm run sweep -- <spec.json> [--backend webgpu|cpu|cpu-f32] [--out DIR] [--compare]

  <spec.json>   a sweep spec (see examples/ and README); "-" reads it from standard input
  --backend     webgpu (default): the WGSL trainer through Dawn; cpu: the float64 reference;
                cpu-f32: the float32-faithful reference
  --out DIR     where results.json and the heatmap PNGs go (default: out/<spec file name>)
  --compare     also run the float64 reference on every cell and print the agreement`;

export interface CliArgs {
  specPath: string;
  backend: Backend;
  outDir: string;
  compare: boolean;
}

/** Parses argv (without node and script); returns the arguments or a message for the user. */
export function parseCliArgs(argv: string[]): { ok: true; args: CliArgs } | { ok: false; message: string; help?: true } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        backend: { type: 'string', default: 'webgpu' },
        out: { type: 'string' },
        compare: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    return { ok: false, message: `${(e as Error).message}\n\n${USAGE}` };
  }
  const { values, positionals } = parsed;
  if (values.help) return { ok: false, message: USAGE, help: true };
  if (positionals.length !== 1) return { ok: false, message: `expected one spec file, got ${positionals.length}\n\n${USAGE}` };
  if (!(BACKENDS as readonly string[]).includes(values.backend)) {
    return { ok: false, message: `--backend: "${values.backend}" is not one of ${BACKENDS.join(', ')}\n\n${USAGE}` };
  }
  const specPath = positionals[0];
  const name = specPath === '-' ? 'stdin' : specPath.replace(/^.*[\\/]/, '').replace(/\.json$/i, '');
  return { ok: true, args: { specPath, backend: values.backend as Backend, outDir: values.out ?? `out/${name}`, compare: values.compare } };
}
