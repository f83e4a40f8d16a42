// One thread, one MLP problem (16-16-1 tanh, P = 272, 100 steps, 64 cells): network steps per second of the TypeScript
// oracle (trainMlpCell) and of the WebAssembly MLP kernel (wasm/mlp.ts). Run: npm run -s wasm && npx tsx bench/mlp-kernel-rate.ts
import { loadKernelModule } from '../src/cli/node-cpu';
import { WasmKernel } from '../src/cpu/kernel';
import { mlpBlockTrainer } from '../src/cpu/mlp-block';
import { referenceCellTrainer } from '../src/core/cpu-runner';
import { parseSpec, type MlpSweepSpec } from '../src/core/spec';

const parsed = parseSpec({ network: { kind: 'mlp', inputs: 16, width: 16, outputs: 1, activation: 'tanh' }, data: { points: 272, seed: 1 }, steps: 100,
  x: { param: 'lrHidden', min: 0.01, max: 10, count: 8, scale: 'log' }, y: { param: 'lrOutput', min: 0.01, max: 10, count: 8, scale: 'log' } });
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const spec = parsed.spec as MlpSweepSpec, cells = 64, steps = cells * spec.steps;
const kernel = await WasmKernel.create(loadKernelModule());
const rate = (label: string, run: () => void) => {
  run(); // warm-up
  const t = performance.now(); run(); const ms = performance.now() - t;
  console.log(`${label}: ${(steps / (ms / 1000)).toFixed(0)} network-steps/s (${ms.toFixed(0)} ms for ${cells} cells × ${spec.steps} steps)`);
  return steps / (ms / 1000);
};
const oracle = rate('TS oracle   ', () => { const train = referenceCellTrainer(spec, 'float64'); for (let c = 0; c < cells; c++) train(c); });
const wasm = rate('wasm kernel ', () => { mlpBlockTrainer(spec)(kernel, cells, (j) => j); });
console.log(`wasm / oracle: ${(wasm / oracle).toFixed(2)}`);
