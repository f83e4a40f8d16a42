/**
 * `npx tsx bench/kernel-ab.ts OLD.wasm NEW.wasm`: the float64 WebAssembly sweep kernel of two builds on the same cells,
 * one thread, runs alternating (best of 9), for a kernel change: sigmoid (the course's lr × initScale view) and tanh
 * (the fractal view), 128² cells × 1000 steps each. Prints network-steps per second and NEW ÷ OLD. Build OLD from a
 * worktree of the earlier commit (npm run wasm there). Both builds must export train() and heapBase() with the
 * arguments of wasm/train.ts; their output layouts may differ (outputs are not read).
 */
import { readFileSync } from 'node:fs';
import { cellSetupWriter, gridSize } from '../src/core/grid';
import { ACTIVATIONS, CELL_SETUP_LENGTH } from '../src/core/network';
import { parseSpec } from '../src/core/spec';

interface KernelExports { memory: WebAssembly.Memory; heapBase(): number; train(...args: number[]): void }
/** Room for any build's outputs per cell, in bytes (today's are 44). */
const OUTPUT_ROOM = 64;

const files = process.argv.slice(2, 4);
if (files.length !== 2) { console.error('usage: npx tsx bench/kernel-ab.ts OLD.wasm NEW.wasm'); process.exit(2); }
const views = [
  { preset: 'era-v1', steps: 1000, x: { param: 'lr', min: 0.01, max: 100, count: 128, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 10, count: 128, scale: 'log' } },
  { preset: 'eva', activation: 'tanh', steps: 1000, x: { param: 'lrHidden', min: 0.1, max: 100, count: 128, scale: 'log' }, y: { param: 'lrOutput', min: 0.1, max: 100, count: 128, scale: 'log' } },
];
for (const view of views) {
  const parsed = parseSpec(view);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const spec = parsed.spec, { cells } = gridSize(spec);
  const runs = await Promise.all(files.map(async (file) => {
    const { instance } = await WebAssembly.instantiate(readFileSync(file), { env: { abort: () => { throw new Error(`${file} aborted`); } } });
    const k = instance.exports as unknown as KernelExports;
    const base = (k.heapBase() + 15) & ~15, end = base + cells * (8 * CELL_SETUP_LENGTH + OUTPUT_ROOM);
    if (end > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((end - k.memory.buffer.byteLength) / 65536));
    const setups = new Float64Array(k.memory.buffer, base, cells * CELL_SETUP_LENGTH), write = cellSetupWriter(spec);
    for (let i = 0; i < cells; i++) write(i, setups, i * CELL_SETUP_LENGTH);
    return () => k.train(base, cells, base + cells * 8 * CELL_SETUP_LENGTH, spec.steps, spec.threshold, spec.biases[0], spec.biases[1], ACTIVATIONS.indexOf(spec.activation), 0, 0);
  }));
  const best = files.map(() => Infinity);
  for (let round = 0; round < 9; round++) runs.forEach((run, j) => { const t = performance.now(); run(); best[j] = Math.min(best[j], performance.now() - t); });
  const rate = (ms: number) => `${((cells * spec.steps) / ms / 1e3).toFixed(1)} M network-steps/s`;
  console.log(`${spec.activation.padEnd(8)} ${cells} cells × ${spec.steps}: old ${rate(best[0])}, new ${rate(best[1])}, new ÷ old ${(best[0] / best[1]).toFixed(3)}`);
}
