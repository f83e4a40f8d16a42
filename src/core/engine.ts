/**
 * Which engine runs a sweep: the float32 WGSL kernel on a WebGPU device, or the WebAssembly kernel on every CPU core
 * (float64, the oracle's bits). Pure: the page's worker and the command line both ask it, and say its reason.
 */
import type { Arithmetic } from './arithmetic';

/** What is known of the WebGPU side: an adapter (and whether it is a CPU emulation), or why there is none. */
export type GpuAvailability = { adapter: string; isFallback: boolean } | { missing: string };

export interface DeviceChoice {
  device: 'webgpu' | 'cpu';
  /** One sentence for people: why this engine. */
  reason: string;
}

const threadsText = (threads: number) => `${threads} thread${threads === 1 ? '' : 's'}`;
const arithmeticWord = (arithmetic: Arithmetic) => (arithmetic === 'float64' ? 'float64' : 'float32-faithful');

/** The CPU engine in words: "float64 WebAssembly on 2 threads". */
export const cpuEngineName = (arithmetic: Arithmetic, threads: number) => `${arithmeticWord(arithmetic)} WebAssembly on ${threadsText(threads)}`;

/** The CPU engine as a results file's `adapter`: "cpu / float64 WebAssembly, 2 threads". */
export const cpuAdapter = (arithmetic: Arithmetic, threads: number) => `cpu / ${arithmeticWord(arithmetic)} WebAssembly, ${threadsText(threads)}`;

/**
 * The engine for `requested`: 'auto' takes the GPU unless it is missing or a fallback adapter (SwiftShader and the
 * like emulate a GPU on the CPU, where float64 WebAssembly on every core is faster and exact: npm run bench measures
 * both) or the CPU engine cannot start (`cpuMissing`); an explicit device is honoured when it exists. `cpuEngine` names
 * the CPU engine in the reasons (default: the sweep's float64 WebAssembly; the MNIST model's is float32).
 */
export function chooseDevice(requested: 'auto' | 'webgpu' | 'cpu', gpu: GpuAvailability, threads: number, cpuMissing?: string, cpuEngine: { name: string; float64: boolean } = { name: cpuEngineName('float64', threads), float64: true }): DeviceChoice {
  const cpu = cpuEngine.name;
  if (requested === 'cpu') return { device: 'cpu', reason: `${cpu}, as asked` };
  if ('missing' in gpu) return { device: 'cpu', reason: `${cpu}: no WebGPU here (${gpu.missing})` };
  if (requested === 'webgpu') return { device: 'webgpu', reason: `WebGPU on ${gpu.adapter}${gpu.isFallback ? ' (a CPU emulation), as asked' : ''}` };
  if (cpuMissing) return { device: 'webgpu', reason: `WebGPU on ${gpu.adapter}: the CPU engine cannot start here (${cpuMissing})` };
  return gpu.isFallback
    ? { device: 'cpu', reason: `${cpu}: the WebGPU adapter (${gpu.adapter}) is a CPU emulation, slower than the CPU engine here${cpuEngine.float64 ? ' and float32 only' : ''}` }
    : { device: 'webgpu', reason: `WebGPU on ${gpu.adapter}` };
}
