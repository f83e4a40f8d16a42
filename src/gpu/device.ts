/**
 * Acquiring a WebGPU device and watching it: no adapter, a lost device and uncaptured errors all become errors that
 * say what happened and what to do. Works with `navigator.gpu` and with the `webgpu` package's GPU in Node.
 */

/** What to do about a missing adapter in a browser (the command line has its own: src/cli/node-gpu.ts). */
export const BROWSER_NO_ADAPTER_FIX = 'Use a recent Chrome or Edge (113 or newer) on https or localhost with hardware acceleration on (chrome://gpu says why WebGPU is off).';

/** No WebGPU adapter: the message says how to get one. */
export class NoAdapterError extends Error {
  override name = 'NoAdapterError';
}

/** The device was lost mid-run (driver reset, GPU removed, out of memory, …). */
export class DeviceLostError extends Error {
  override name = 'DeviceLostError';
}

/** A device ready to train on, with a description of its adapter and its loss state. */
export interface GpuContext {
  device: GPUDevice;
  /** "vendor / architecture" (e.g. "google / swiftshader"), or the adapter's description. */
  adapter: string;
  /** The adapter is a fallback (a CPU emulation such as SwiftShader), as the adapter itself reports. */
  isFallback: boolean;
  /** Resolves when the device is lost; never rejects. */
  lost: Promise<GPUDeviceLostInfo>;
  /** The first uncaptured validation or out-of-memory error, if any (a bug or an exhausted device). */
  uncapturedError(): GPUError | undefined;
}

/** Limits the trainer asks for: as large as the adapter allows, so big tiles fit one binding. */
const WANTED_LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupsPerDimension'] as const;

/**
 * Requests a high-performance adapter and a device with the adapter's largest buffer limits.
 * @param gpu `navigator.gpu` or the Node `webgpu` package's GPU; undefined means WebGPU is missing.
 * @param howToFix appended to the no-adapter message (differs between the page and the command line).
 */
export async function acquireGpu(gpu: GPU | undefined, howToFix: string): Promise<GpuContext> {
  const adapter = gpu ? await gpu.requestAdapter({ powerPreference: 'high-performance' }) : null;
  if (!adapter) {
    throw new NoAdapterError(`No WebGPU adapter found${gpu ? '' : ' (this environment has no WebGPU at all)'}. ${howToFix}`);
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ requiredLimits });
  let firstError: GPUError | undefined;
  device.addEventListener('uncapturederror', (event) => {
    firstError ??= (event as GPUUncapturedErrorEvent).error;
  });
  return { device, ...describeAdapter(adapter), lost: device.lost, uncapturedError: () => firstError };
}

/** An adapter's name ("vendor / architecture", or its description) and whether it is a fallback (a CPU emulation). */
export function describeAdapter(adapter: GPUAdapter): { adapter: string; isFallback: boolean } {
  const info = adapter.info;
  const name = [info.vendor, info.architecture].filter(Boolean).join(' / ') || info.description || 'unknown adapter';
  // Newer browsers report isFallbackAdapter in adapter.info; older ones (and the types) on the adapter.
  const isFallback = Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter);
  return { adapter: name, isFallback };
}

/** Message for a lost device, naming the reason and what to do. */
export function describeLoss(info: GPUDeviceLostInfo): string {
  const why = info.reason === 'destroyed' ? 'the device was destroyed' : `the GPU device was lost (${info.message || 'no reason given'})`;
  return `${why}. Results of tiles finished before the loss are kept: continue to compute only the rest (the page's Continue, or npm run sweep -- --resume DIR) on a new device; if it repeats, try a smaller sweep or free the GPU of other work.`;
}
