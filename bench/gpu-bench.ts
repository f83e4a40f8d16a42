/**
 * GPU measurements, the same in Node (Dawn) and in Chromium: the trainer over repeated runs, the cost of chunking and
 * of loss tracking, and the device's peak multiply-add and exp rates from shaders/peak.wgsl.
 */
import { compileShader } from '../src/gpu/pipeline';
import type { GpuTrainer, GpuRunOptions } from '../src/gpu/trainer';
import { benchSpec, stats, type Measurement } from './workloads';

/** Runs the trainer `runs` times (after one warm-up) on `cells` networks × `steps`. */
export async function measureTrainer(trainer: GpuTrainer, backend: string, cells: number, steps: number, runs: number, options: GpuRunOptions = {}, note?: string): Promise<Measurement> {
  const spec = benchSpec(cells, steps);
  await trainer.pipeline(spec.activation, { trackLoss: options.trackLoss });
  await trainer.run(benchSpec(Math.min(cells, 4096), Math.min(steps, 50)), options); // warm-up: buffers, JIT
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) rates.push((await trainer.run(spec, options)).networkStepsPerSecond);
  return { backend, cells, steps, networkStepsPerSecond: stats(rates), note };
}

/** Peak rates: multiply-add FLOP/s and exp/s, medians of `runs` timed dispatches of 65,536 invocations. */
export async function measurePeak(device: GPUDevice, code: string, runs = 5): Promise<{ flopPerSecond: number; expPerSecond: number }> {
  const invocations = 65536, iterations = 2048, workgroupSize = 64;
  const sink = device.createBuffer({ size: invocations * 4, usage: GPUBufferUsage.STORAGE });
  const module = await compileShader(device, code, 'shaders/peak.wgsl');
  const time = async (entryPoint: string) => {
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint, constants: { WORKGROUP_SIZE: workgroupSize, ITERATIONS: iterations } } });
    const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: sink } }] });
    const once = async () => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline); pass.setBindGroup(0, bindGroup); pass.dispatchWorkgroups(invocations / workgroupSize); pass.end();
      const start = performance.now();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      return (performance.now() - start) / 1000;
    };
    await once();
    const seconds: number[] = [];
    for (let i = 0; i < runs; i++) seconds.push(await once());
    return stats(seconds).median;
  };
  const fmaSeconds = await time('fmaPeak'), expSeconds = await time('expPeak');
  sink.destroy();
  return { flopPerSecond: (invocations * iterations * 32) / fmaSeconds, expPerSecond: (invocations * iterations * 8) / expSeconds };
}
