/**
 * The benchmark's Node (Dawn) half as one self-contained script for a machine with a real GPU and no Node project:
 * bundled with its shaders by bench/gpu-machine/prepare.sh, run there with a carried Node binary. Prints the
 * table and writes $BENCH_OUT (default ./gpu-bench.json).
 */
import { writeFileSync } from 'node:fs';
import { create, globals } from 'webgpu';
import bareShader from '../../shaders/bare.wgsl?raw';
import peakShader from '../../shaders/peak.wgsl?raw';
import trainShader from '../../shaders/train.wgsl?raw';
import mlpShader from '../../shaders/mlp.wgsl?raw';
import foldShader from '../../shaders/replicas.wgsl?raw';
import { acquireGpu } from '../../src/gpu/device';
import { MNIST_SHADERS } from '../../src/gpu/mnist/shaders';
import { benchNode } from '../node';
import { formatWgslProfile, measureMnistGpu, MNIST_TRAIN_FLOP_PER_IMAGE, profileMnistGpu, type MnistWgslProfile } from '../mnist-bench';
import { EXP_PER_STEP, FLOP_PER_STEP, MLP_FLOP_PER_STEP, SIZES, STEPS, type Measurement } from '../workloads';

Object.assign(globalThis, globals);
const gpuApi = create([]); // must outlive every device made from it
const quick = process.argv.includes('--quick');
const measurements: Measurement[] = [];
const record = (m: Measurement) => {
  measurements.push(m);
  console.log(`${m.backend.padEnd(14)} ${String(m.cells).padStart(8)} × ${m.steps}: ${(m.networkStepsPerSecond.median / 1e6).toFixed(1).padStart(9)} M network-steps/s, spread ${m.networkStepsPerSecond.spread.toFixed(2)}${m.note ? `  (${m.note})` : ''}`);
};
// Real GPUs are 100–1000× SwiftShader: more steps keep each run long enough to time.
const steps = quick ? STEPS : 10 * STEPS;
const howToFix = 'Bring the Vulkan loader (libvulkan1) and point VK_DRIVER_FILES at the NVIDIA ICD (bench/gpu-machine/README.md).';
const result = await benchNode({
  gpu: () => acquireGpu(gpuApi, howToFix),
  trainShader, mlpShader, foldShader, peakShader, bareShader, sizes: quick ? SIZES.slice(1) : [...SIZES, 4 * SIZES[SIZES.length - 1]], steps, runs: quick ? 2 : 3, record,
});
// MNIST: the WGSL trainer at the training batch, one copy and many copies sharing each dispatch, and one step by kernel.
const mnistGpu = await acquireGpu(gpuApi, howToFix);
const mnistRows: Measurement[] = [];
for (const copies of quick ? [1, 8] : [1, 8, 32]) {
  const m = await measureMnistGpu(mnistGpu, MNIST_SHADERS, 'mnist-webgpu-node', copies, 128, quick ? 4 : 20, quick ? 1 : 3);
  mnistRows.push(m);
  measurements.push(m);
  console.log(`mnist-webgpu   ${String(copies).padStart(8)} copies: ${m.networkStepsPerSecond.median.toFixed(0).padStart(9)} images/s, spread ${m.networkStepsPerSecond.spread.toFixed(2)}`);
}
const mnistBest = Math.max(...mnistRows.map((m) => m.networkStepsPerSecond.median));
const mnist: MnistWgslProfile = {
  adapter: mnistGpu.adapter, batch: 128, gflopPerSecond: (mnistRows[0].networkStepsPerSecond.median * MNIST_TRAIN_FLOP_PER_IMAGE) / 1e9,
  peakGflopPerSecond: result.peak.flopPerSecond / 1e9, kernels: await profileMnistGpu(mnistGpu, MNIST_SHADERS, 128),
};
mnistGpu.device.destroy();
console.log(formatWgslProfile(mnist));
const best = Math.max(...measurements.filter((m) => !m.note && m.backend === 'webgpu-node').map((m) => m.networkStepsPerSecond.median));
const mlp = measurements.find((m) => m.backend === 'mlp-webgpu-node')?.networkStepsPerSecond.median ?? NaN;
const summary = {
  adapter: result.adapter, node: process.version, peak: result.peak, bestNetworkStepsPerSecond: best,
  fractionOfFlopPeak: (best * FLOP_PER_STEP) / result.peak.flopPerSecond,
  fractionOfExpPeak: (best * EXP_PER_STEP) / result.peak.expPerSecond,
  mnist: { ...mnist, bestImagesPerSecond: mnistBest, bestFractionOfFlopPeak: (mnistBest * MNIST_TRAIN_FLOP_PER_IMAGE) / result.peak.flopPerSecond },
  mlpNetworkStepsPerSecond: mlp, mlpFractionOfFlopPeak: (mlp * MLP_FLOP_PER_STEP) / result.peak.flopPerSecond,
  measurements,
};
console.log(`adapter ${result.adapter}; peak ${(result.peak.flopPerSecond / 1e12).toFixed(2)} TFLOP/s, ${(result.peak.expPerSecond / 1e9).toFixed(1)} G exp/s`);
console.log(`best ${(best / 1e9).toFixed(2)} G network-steps/s = ${(100 * summary.fractionOfFlopPeak).toFixed(1)}% of the multiply-add peak, ${(100 * summary.fractionOfExpPeak).toFixed(1)}% of the exp peak`);
console.log(`MLP (16-16-1 tanh, P = 272): ${mlp.toFixed(0)} network-steps/s = ${(100 * summary.mlpFractionOfFlopPeak).toFixed(1)}% of the multiply-add peak`);
writeFileSync(process.env.BENCH_OUT ?? 'gpu-bench.json', `${JSON.stringify(summary, null, 2)}\n`);
process.exit(0);
