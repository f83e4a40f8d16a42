/** Engines and runs in words, for status lines and tables. Pure. */
import type { Arithmetic } from '../core/arithmetic';
import { cpuEngineName } from '../core/engine';
import type { Capabilities, RanOn } from '../worker/sweep.worker';

/**
 * What ran a finished run: "WebGPU (nvidia / hopper, float32)", "float64 WebAssembly on 2 threads", or for
 * float32-faithful MLP cells "float32-faithful TypeScript oracle on 2 threads".
 */
export const ranOnText = (ranOn: RanOn) => (ranOn.device === 'webgpu' ? `WebGPU (${ranOn.adapter}, float32)`
  : ranOn.oracle ? `${ranOn.arithmetic}-faithful TypeScript oracle on ${ranOn.threads} thread${ranOn.threads === 1 ? '' : 's'}` : cpuEngineName(ranOn.arithmetic, ranOn.threads));

/** Who will compute `arithmetic` here, from the worker's findings (before a run). */
export function plannedText(arithmetic: Arithmetic, capabilities: Capabilities | undefined): string {
  const threads = capabilities?.threads ?? 1, gpu = capabilities?.gpu;
  if (arithmetic === 'float64') return cpuEngineName('float64', threads);
  return gpu && 'adapter' in gpu ? `WebGPU (${gpu.adapter}, float32)` : `${cpuEngineName('float32', threads)} (no WebGPU)`;
}

/** A count for people: 1,234,567. */
export const count = (n: number) => n.toLocaleString('en-US');

/** A speed in network-steps per second: "41.0 M network-steps/s", or below 1 M in full ("24,870 network-steps/s": an MLP step costs ~1000 course steps). */
export const rateText = (perSecond: number) => (perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(1)} M` : count(Math.round(perSecond))) + ' network-steps/s';
