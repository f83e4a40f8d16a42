/**
 * WebGPU in Node through the `webgpu` package (Dawn, the engine inside Chrome), and the shader read from disk.
 * Vulkan driver choice happens when Dawn loads: VK_ICD_FILENAMES must be set in the main process before start
 * (the npm scripts do it), pointing at SwiftShader on machines without a GPU.
 */
import { readFileSync } from 'node:fs';
import { acquireGpu, type GpuContext } from '../gpu/device';
import { GpuTrainer } from '../gpu/trainer';

export const NODE_NO_ADAPTER_FIX =
  'On Linux without a GPU, install Debian\'s chromium and libvulkan1 (apt-get install -y chromium libvulkan1) and run through ' +
  'npm (it sets VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json for SwiftShader); with a GPU, make sure its ' +
  'Vulkan driver is installed. Or run on the CPU engine with --backend cpu.';

// The GPU object must outlive every device made from it: a collected one crashes later calls.
let nodeGpu: GPU | undefined;

/** A device from Dawn in Node; throws NoAdapterError with how to fix it. */
export async function acquireNodeGpu(): Promise<GpuContext> {
  if (!nodeGpu) {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    nodeGpu = create([]);
  }
  return acquireGpu(nodeGpu, NODE_NO_ADAPTER_FIX);
}

/** The text of shaders/train.wgsl. */
export function readTrainShader(): string {
  return readFileSync(new URL('../../shaders/train.wgsl', import.meta.url), 'utf8');
}

/** The text of shaders/mlp.wgsl. */
export function readMlpShader(): string {
  return readFileSync(new URL('../../shaders/mlp.wgsl', import.meta.url), 'utf8');
}

/** The text of shaders/replicas.wgsl (folding replica sweeps on the device). */
export function readFoldShader(): string {
  return readFileSync(new URL('../../shaders/replicas.wgsl', import.meta.url), 'utf8');
}

/** A trainer on a fresh Node device. */
export async function createNodeTrainer(): Promise<GpuTrainer> {
  return GpuTrainer.create(await acquireNodeGpu(), readTrainShader(), readMlpShader(), readFoldShader());
}
