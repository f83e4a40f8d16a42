/**
 * The PyTorch CPU twin of the MNIST CPU engine (bench/mnist-torch.py: same model, batch, optimizer, one thread per
 * process), run beside the engine in rounds — engine on one thread, PyTorch in one process, engine on `threads`
 * threads, PyTorch in `threads` processes — so that every ratio compares numbers taken seconds apart on a shared
 * machine. Skipped, with a note, where /usr/bin/python3 cannot import torch.
 */
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stats, type Measurement } from './workloads';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./mnist-torch.py', import.meta.url));

/** Whether /usr/bin/python3 can import torch. */
export function torchAvailable(): boolean {
  try { execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }); return true; } catch { return false; }
}

/** `processes` one-thread PyTorch processes at once: the sum of their images/s (each the median of its runs). */
export async function torchRate(processes: number, batches: number, runs: number): Promise<number> {
  const one = () => new Promise<number>((resolve, reject) => execFile(PYTHON, [SCRIPT, String(batches), String(runs)], { env: { ...process.env, OMP_NUM_THREADS: '1' } }, (error, stdout) => {
    if (error) reject(new Error(`bench/mnist-torch.py failed: ${error.message}`));
    else resolve(stats((JSON.parse(stdout) as { imagesPerSecond: number[] }).imagesPerSecond).median);
  }));
  const rates = await Promise.all(Array.from({ length: processes }, one));
  return rates.reduce((a, b) => a + b, 0);
}

/** One round's four numbers (images/s). */
export interface Round { engine1: number; torch1: number; engineK: number; torchK: number }

/** The engine ÷ PyTorch ratios of `rounds`, each a median over rounds of the round's own ratio, and the rows. */
export function torchRows(rounds: Round[], threads: number, batch: number): { rows: Measurement[]; ratios: Record<string, number> } {
  const row = (backend: string, cells: number, values: number[], note: string): Measurement => ({ backend, cells, steps: batch, networkStepsPerSecond: stats(values), note });
  const rows = [
    row('mnist-torch-cpu', 1, rounds.map((r) => r.torch1), 'images/s, PyTorch CPU twin, one process, one thread, interleaved with mnist-cpu-node'),
    row('mnist-torch-cpu', threads, rounds.map((r) => r.torchK), `images/s of ${threads} one-thread PyTorch processes together, interleaved`),
  ];
  const ratio = (f: (r: Round) => number) => stats(rounds.map(f));
  const one = ratio((r) => r.engine1 / r.torch1), all = ratio((r) => r.engineK / r.torchK);
  return {
    rows,
    ratios: { mnistCpuOneThreadVsTorch: one.median, mnistCpuOneThreadVsTorchSpread: one.spread, mnistCpuThreadsVsTorchProcesses: all.median, mnistCpuThreadsVsTorchProcessesSpread: all.spread },
  };
}
