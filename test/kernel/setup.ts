/**
 * Shared set-up of the kernel tests: one Dawn device per test file (through the same path as the command line), and
 * random specs from a seed printed at the start so any failure can be replayed with SWEEP_TEST_SEED=<seed>.
 */
import { acquireNodeGpu, readFoldShader, readMlpShader, readTrainShader } from '../../src/cli/node-gpu';
import { uniform01 } from '../../src/core/random';
import { parseSpec, type SweepSpec } from '../../src/core/spec';
import { GpuTrainer } from '../../src/gpu/trainer';

/** A trainer on a real WebGPU adapter. No adapter is an error, never a skip: these tests must run in CI. */
export async function createTestTrainer(): Promise<GpuTrainer> {
  return GpuTrainer.create(await acquireNodeGpu(), readTrainShader(), readMlpShader(), readFoldShader());
}

export const TEST_SEED = Number(process.env.SWEEP_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`kernel tests: random specs from SWEEP_TEST_SEED=${TEST_SEED}`);

/** Random specs: draw n of a stream keyed by the test seed and a label, so each test's specs are independent. */
export function randomSpec(label: string, fixed: Record<string, unknown>, count = 16): SweepSpec {
  let n = 0;
  const key = [...label].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
  const u = () => uniform01(TEST_SEED, key, n++);
  const pick = <T>(items: readonly T[]) => items[Math.floor(u() * items.length)];
  const logUniform = (lo: number, hi: number) => lo * (hi / lo) ** u();
  const lrMin = logUniform(0.003, 0.3); // η up to 30
  const y = pick([
    { param: 'initScale', min: logUniform(0.1, 1), max: logUniform(1.5, 4), count, scale: 'log' },
    { param: 'seed', count },
    { param: 'w5', min: -u() * 3, max: u() * 3 + 0.01, count, scale: 'linear' },
  ]);
  const r = parseSpec({
    preset: pick(['era-v1', 'eva', 'mazur']),
    threshold: logUniform(1e-5, 1e-2),
    x: { param: pick(['lr', 'lrHidden', 'lrOutput']), min: lrMin, max: lrMin * logUniform(10, 100), count, scale: 'log' },
    y,
    init: { distribution: pick(['uniform', 'normal']), scale: logUniform(0.3, 2), seed: Math.floor(u() * 1e6) },
    // Inputs of either sign up to 2 make the hidden units differ, so a mistake in any of w1..w4 moves the loss.
    inputs: [4 * u() - 2, 4 * u() - 2],
    targets: [0.05 + 0.9 * u(), 0.05 + 0.9 * u()],
    ...fixed,
  });
  if (!r.ok) throw new Error(`random spec invalid (seed ${TEST_SEED}): ${r.errors.join('; ')}`);
  return r.spec;
}
