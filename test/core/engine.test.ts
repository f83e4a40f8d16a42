import { describe, expect, it } from 'vitest';
import { chooseDevice } from '../../src/core/engine';

describe('the engine choice', () => {
  it('auto takes a real GPU', () => {
    expect(chooseDevice('auto', { adapter: 'nvidia / hopper', isFallback: false }, 16)).toEqual({ device: 'webgpu', reason: 'WebGPU on nvidia / hopper' });
  });

  it('auto takes every CPU core when the adapter is a CPU emulation or missing, and says why', () => {
    const swiftshader = chooseDevice('auto', { adapter: 'google / swiftshader', isFallback: true }, 2);
    expect(swiftshader.device).toBe('cpu');
    expect(swiftshader.reason).toBe('float64 WebAssembly on 2 threads: the WebGPU adapter (google / swiftshader) is a CPU emulation, slower than the CPU engine here and float32 only');
    const none = chooseDevice('auto', { missing: 'No WebGPU adapter found.' }, 1);
    expect(none).toEqual({ device: 'cpu', reason: 'float64 WebAssembly on 1 thread: no WebGPU here (No WebGPU adapter found.)' });
  });

  it('auto takes even an emulated GPU when the CPU engine cannot start', () => {
    expect(chooseDevice('auto', { adapter: 'google / swiftshader', isFallback: true }, 2, 'no WebAssembly SIMD')).toEqual({ device: 'webgpu', reason: 'WebGPU on google / swiftshader: the CPU engine cannot start here (no WebAssembly SIMD)' });
  });

  it('honours an explicit choice where it can', () => {
    expect(chooseDevice('webgpu', { adapter: 'google / swiftshader', isFallback: true }, 2)).toEqual({ device: 'webgpu', reason: 'WebGPU on google / swiftshader (a CPU emulation), as asked' });
    expect(chooseDevice('cpu', { adapter: 'nvidia / hopper', isFallback: false }, 16).device).toBe('cpu');
    expect(chooseDevice('webgpu', { missing: 'none' }, 2).device).toBe('cpu');
  });

  it('names another CPU engine (the MNIST model\'s float32 one) in its reasons, without calling it exact', () => {
    const mnist = { name: 'float32 WebAssembly on 2 threads, a copy per thread', float64: false };
    expect(chooseDevice('auto', { adapter: 'google / swiftshader', isFallback: true }, 2, undefined, mnist).reason)
      .toBe('float32 WebAssembly on 2 threads, a copy per thread: the WebGPU adapter (google / swiftshader) is a CPU emulation, slower than the CPU engine here');
    expect(chooseDevice('cpu', { missing: 'not asked for' }, 2, undefined, mnist).reason).toBe('float32 WebAssembly on 2 threads, a copy per thread, as asked');
  });
});
