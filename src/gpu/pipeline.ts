/**
 * Compiling shaders/train.wgsl into compute pipelines, one per activation (the ACTIVATION override), with WGSL
 * errors reported by line.
 */
import type { Activation } from '../core/network';
import { ACTIVATION_CODES } from './layout';
import { TAIL_LOSSES } from '../core/outputs';

/** A WGSL compilation or pipeline validation failure; the message names the line. */
export class ShaderError extends Error {
  override name = 'ShaderError';
}

/**
 * Compiles `code` and throws a ShaderError listing every error as `file:line:column: message`; `locate` names the file
 * and line of a line of `code` where the text joins several files.
 */
export async function compileShader(device: GPUDevice, code: string, file = 'shaders/train.wgsl', locate: (line: number) => string = (line) => `${file}:${line}`): Promise<GPUShaderModule> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: file, code });
  const [info, scopeError] = await Promise.all([module.getCompilationInfo(), device.popErrorScope()]);
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length) {
    throw new ShaderError(errors.map((m) => `${locate(m.lineNum)}:${m.linePos}: ${m.message}`).join('\n'));
  }
  if (scopeError) throw new ShaderError(`${file}: ${scopeError.message}`);
  return module;
}

/** Variants of the `train` pipeline. */
export interface TrainVariant {
  /** Write every loss[k] to the loss history (small sweeps). */
  recordLoss?: boolean;
  /** false only in benchmarks: skip the loss and its bookkeeping, to measure their cost. */
  trackLoss?: boolean;
  /** Some cell's momentum is not 0 (else the loop without velocities). */
  momentum?: boolean;
}

/** Creates the `train` pipeline for one activation, workgroup size and variant. */
export async function createTrainPipeline(device: GPUDevice, module: GPUShaderModule, activation: Activation, workgroupSize: number, variant: TrainVariant = {}): Promise<GPUComputePipeline> {
  const recordLoss = variant.recordLoss ?? false, trackLoss = variant.trackLoss ?? true, momentum = variant.momentum ?? false;
  try {
    return await device.createComputePipelineAsync({
      label: `train (${activation}, workgroup ${workgroupSize}${recordLoss ? ', recording loss' : ''}${trackLoss ? '' : ', no loss tracking'}${momentum ? ', momentum' : ''})`,
      layout: 'auto',
      compute: {
        module, entryPoint: 'train',
        constants: { WORKGROUP_SIZE: workgroupSize, ACTIVATION: ACTIVATION_CODES[activation], RECORD_LOSS: Number(recordLoss), TRACK_LOSS: Number(trackLoss), MOMENTUM: Number(momentum), TAIL_LOSSES },
      },
    });
  } catch (e) {
    throw new ShaderError(`shaders/train.wgsl: pipeline for ${activation} failed: ${(e as Error).message}`);
  }
}

/** Encodes and submits one compute pass: `pipeline` with `bindGroup` over `groups` workgroups along x. */
export function submitDispatch(device: GPUDevice, pipeline: GPUComputePipeline, bindGroup: GPUBindGroup, groups: number, label: string): void {
  const encoder = device.createCommandEncoder({ label });
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(groups);
  pass.end();
  device.queue.submit([encoder.finish()]);
}
