/**
 * The two words every layer uses for how a run computes: its arithmetic (float32 | float64) and its device
 * (webgpu | cpu). The GPU computes float32 only; the CPU engine either (float32 rounding like the GPU, or float64, the
 * oracle's bits).
 */

/** float32: the WGSL kernel, or the CPU engine rounding every result like it; float64: the CPU engine, the oracle. */
export type Arithmetic = 'float32' | 'float64';

/** An arithmetic asked for, or 'auto': what this machine runs best (the GPU's float32 unless it is an emulation). */
export type ArithmeticChoice = Arithmetic | 'auto';

/** Where a run computes. */
export type Device = 'webgpu' | 'cpu';
