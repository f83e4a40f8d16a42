/**
 * GPU measurements, the same in Node (Dawn) and in Chromium: the trainer over repeated runs, the cost of chunking and
 * of loss tracking, and the device's peak multiply-add and exp rates from shaders/peak.wgsl.
 */
import { cellSetupWriter, gridSize } from '../src/core/grid';
import { CELL_SETUP_LENGTH, SETUP } from '../src/core/network';
import { compileShader } from '../src/gpu/pipeline';
import type { GpuTrainer, GpuRunOptions } from '../src/gpu/trainer';
import { benchSpec, MLP_BENCH, mlpBenchSpec, stats, type Measurement } from './workloads';
import type { MlpSweepSpec } from '../src/core/spec';

/** Runs the trainer `runs` times (after one warm-up) on `cells` networks × `steps`. */
export async function measureTrainer(trainer: GpuTrainer, backend: string, cells: number, steps: number, runs: number, options: GpuRunOptions = {}, note?: string): Promise<Measurement> {
  const spec = benchSpec(cells, steps);
  await trainer.pipeline(spec.activation, { trackLoss: options.trackLoss });
  await trainer.run(benchSpec(Math.min(cells, 4096), Math.min(steps, 50)), options); // warm-up: buffers, JIT
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) rates.push((await trainer.run(spec, options)).networkStepsPerSecond);
  return { backend, cells, steps, networkStepsPerSecond: stats(rates), note };
}

/** The WGSL MLP trainer on the MLP bench's workload (after a two-step warm-up that compiles its pipeline), `runs` times. */
export async function measureMlpTrainer(trainer: GpuTrainer, backend: string, runs: number, options: GpuRunOptions = {}): Promise<Measurement> {
  const spec = mlpBenchSpec() as MlpSweepSpec;
  await trainer.run({ ...spec, steps: 2 }, options);
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) rates.push((await trainer.run(spec, options)).networkStepsPerSecond);
  return { backend, cells: MLP_BENCH.side ** 2, steps: MLP_BENCH.steps, networkStepsPerSecond: stats(rates), note: `16-16-1 tanh, P = ${MLP_BENCH.points}, float32` };
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

/** The note of the bare loop's rows. */
export const BARE_NOTE = 'bare loop: no outputs, one dispatch (shaders/bare.wgsl)';

/**
 * The bare loop (shaders/bare.wgsl) on the trainer's workload (benchSpec: the same weights and learning rates per
 * network), one dispatch of every step, timed from submit to done; `runs` times after one warm-up.
 */
export async function measureBare(device: GPUDevice, code: string, backend: string, cells: number, steps: number, runs: number): Promise<Measurement> {
  const spec = benchSpec(cells, steps), write = cellSetupWriter(spec), setup = new Float64Array(CELL_SETUP_LENGTH);
  const data = new Float32Array(gridSize(spec).cells * 10);
  for (let c = 0; c < cells; c++) {
    write(c, setup);
    for (let j = 0; j < 8; j++) data[c * 10 + j] = setup[SETUP.w1 + j];
    data[c * 10 + 8] = setup[SETUP.lrHidden];
    data[c * 10 + 9] = setup[SETUP.lrOutput];
  }
  const input = device.createBuffer({ size: data.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(input, 0, data);
  const sink = device.createBuffer({ size: cells * 4, usage: GPUBufferUsage.STORAGE });
  const module = await compileShader(device, code, 'shaders/bare.wgsl');
  const [i1, i2, t1, t2] = [spec.inputs[0], spec.inputs[1], spec.targets[0], spec.targets[1]];
  const pipelineFor = (n: number) => device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'bare', constants: { WORKGROUP_SIZE: 64, STEPS: n, I1: i1, I2: i2, T1: t1, T2: t2 } } });
  const once = async (pipeline: GPUComputePipeline) => {
    const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: input } }, { binding: 1, resource: { buffer: sink } }] });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline); pass.setBindGroup(0, bindGroup); pass.dispatchWorkgroups(Math.ceil(cells / 64)); pass.end();
    const start = performance.now();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    return performance.now() - start;
  };
  await once(await pipelineFor(Math.min(steps, 50))); // warm-up
  const pipeline = await pipelineFor(steps), rates: number[] = [];
  for (let i = 0; i < runs; i++) rates.push((cells * steps) / ((await once(pipeline)) / 1000));
  input.destroy();
  sink.destroy();
  return { backend, cells, steps, networkStepsPerSecond: stats(rates), note: BARE_NOTE };
}
