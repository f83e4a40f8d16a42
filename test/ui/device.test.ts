import { describe, expect, it } from 'vitest';
import { chooseDevice } from '../../src/core/engine';
import { parseSpec, type SweepSpec } from '../../src/core/spec';
import { deviceBadge } from '../../src/ui/panels/device';
import { INITIAL_STATE, reduce, type PageState } from '../../src/ui/state';
import type { Capabilities } from '../../src/worker/sweep.worker';

const r = parseSpec({ steps: 200, x: { param: 'lr', min: 0.1, max: 10, count: 32, scale: 'log' } });
if (!r.ok) throw new Error(r.errors.join('; '));
const spec: SweepSpec = r.spec;

/** SwiftShader, as in CI: an adapter that is a CPU emulation, so auto runs float64 on the CPU engine. */
const swiftshader: Capabilities = { gpu: { adapter: 'google / swiftshader', isFallback: true }, threads: 2, auto: chooseDevice('auto', { adapter: 'google / swiftshader', isFallback: true }, 2) };
const noGpu: Capabilities = { gpu: { missing: 'no adapter' }, threads: 2, auto: chooseDevice('auto', { missing: 'no adapter' }, 2) };

const viewIn = (capabilities: Capabilities, arithmetic: 'auto' | 'float32' | 'float64'): PageState =>
  reduce(reduce(INITIAL_STATE, { type: 'capabilities', capabilities }), { type: 'open', view: { spec, arithmetic } });

describe('the header badge', () => {
  it('says what the view on screen runs on: float32 chosen under Arithmetic runs WebGPU although auto would not', () => {
    expect(deviceBadge(viewIn(swiftshader, 'auto'))).toEqual({ text: 'Device: float64 WebAssembly on 2 threads', cpu: true });
    expect(deviceBadge(viewIn(swiftshader, 'float32'))).toEqual({ text: 'Device: WebGPU, google / swiftshader', cpu: false });
    // Once running, the run's own arithmetic.
    const running = reduce(viewIn(swiftshader, 'float32'), { type: 'run-started', id: 1, arithmetic: 'float32' });
    expect(deviceBadge(running)?.text).toBe('Device: WebGPU, google / swiftshader');
  });

  it('without WebGPU, float32 is the float32-faithful CPU engine', () => {
    expect(deviceBadge(viewIn(noGpu, 'float32'))).toEqual({ text: 'Device: float32-faithful WebAssembly on 2 threads', cpu: true });
  });

  it('off the sweep tab, and before the worker reports, speaks of what auto chooses (or nothing)', () => {
    expect(deviceBadge(INITIAL_STATE)).toBeUndefined();
    const course = reduce(viewIn(swiftshader, 'float32'), { type: 'course', preset: 'eva' });
    expect(deviceBadge(course)?.text).toBe('Device: float64 WebAssembly on 2 threads');
  });
});
