/** What the worker found (the WebGPU adapter or why none, the CPU threads): the badge, the notice, the arithmetic menu. */
import { cpuEngineName } from '../../core/engine';
import { byId } from '../dom';
import type { Store } from '../store';

export function mountDevice(store: Store): void {
  store.subscribe((s) => s.capabilities, () => {
    const found = store.get().capabilities;
    if (!found) return;
    const { gpu, threads, auto, cpuMissing } = found;
    const badge = byId('backend');
    const cpuAuto = auto.device === 'cpu';
    badge.textContent = cpuAuto ? `Device: ${cpuEngineName('float64', threads)}` : `Device: WebGPU, ${'adapter' in gpu ? gpu.adapter : ''}`;
    badge.classList.toggle('cpu', cpuAuto);
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
