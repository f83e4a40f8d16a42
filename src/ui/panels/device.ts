/**
 * What the worker found (the WebGPU adapter or why none, the CPU threads): the notice, the arithmetic menu; and the
 * header's badge, which says what the sweep view on screen runs on.
 */
import { cpuEngineName } from '../../core/engine';
import { byId } from '../dom';
import { resolveArithmetic, type PageState } from '../state';
import type { Store } from '../store';

/**
 * The header's badge: on the sweep tab, the engine of the view on screen (its run's arithmetic, or the one it will run
 * in: float32 runs WebGPU where there is an adapter); elsewhere, the engine auto chooses for sweeps. `cpu`: not WebGPU.
 * Example: "Device: float64 WebAssembly on 2 threads". Undefined until the worker has reported.
 */
export function deviceBadge(state: PageState): { text: string; cpu: boolean } | undefined {
  const found = state.capabilities;
  if (!found) return undefined;
  const { gpu, threads, auto } = found, view = state.tab === 'sweep' ? state.view : undefined;
  const arithmetic = view ? (state.run.arithmetic ?? resolveArithmetic(view.arithmetic, found, view.spec)) : auto.device === 'cpu' ? 'float64' : 'float32';
  if (arithmetic === 'float32' && 'adapter' in gpu) return { text: `Device: WebGPU, ${gpu.adapter}`, cpu: false };
  return { text: `Device: ${cpuEngineName(arithmetic, threads)}`, cpu: true };
}

export function mountDevice(store: Store): void {
  store.subscribe((s) => [s.capabilities, s.tab, s.view, s.run.arithmetic], () => {
    const badge = deviceBadge(store.get());
    if (!badge) return;
    byId('backend').textContent = badge.text;
    byId('backend').classList.toggle('cpu', badge.cpu);
  });
  store.subscribe((s) => s.capabilities, () => {
    const found = store.get().capabilities;
    if (!found) return;
    const { gpu, threads, auto, cpuMissing } = found;
    const cpuAuto = auto.device === 'cpu';
    const options = byId('arithmetic', HTMLSelectElement).options;
    options[0].textContent = `Auto: ${cpuAuto ? 'float64 on the CPU' : 'float32 on the GPU'}`;
    options[1].textContent = 'adapter' in gpu ? `float32 on the GPU (${gpu.adapter}${gpu.isFallback ? ', a CPU emulation' : ''})` : 'float32 (no WebGPU: float32-faithful WebAssembly)';
    options[2].textContent = cpuMissing ? 'float64 on the CPU (cannot start here)' : `float64 on the CPU (${threads} thread${threads === 1 ? '' : 's'}, exact)`;
    byId('course-device').textContent = 'missing' in gpu ? "(no WebGPU here: the CPU engine rounding like the GPU's float32 kernel)"
      : gpu.isFallback ? `(${gpu.adapter}, a CPU emulation running the GPU's float32 kernel)` : `(${gpu.adapter}: the GPU's float32 kernel)`;
    const notice = byId('no-webgpu');
    notice.hidden = !cpuAuto && !cpuMissing;
    if (cpuMissing) notice.textContent = `The CPU engine cannot start in this browser (${cpuMissing}): sweeps run on ${auto.reason.replace(/:.*/, '')}, and float64 views are not available.`;
    else if (cpuAuto) {
      notice.textContent = 'missing' in gpu
        ? `WebGPU is not available here: ${gpu.missing} Sweeps run on the CPU engine instead: ${cpuEngineName('float64', threads)}, the float64 reference's exact bits.`
        : `This browser's WebGPU adapter (${gpu.adapter}) is a CPU emulation, slower here than the CPU engine: sweeps run as ${cpuEngineName('float64', threads)} (exact). Choose float32 under Arithmetic to run WebGPU anyway.`;
    }
  });
}
