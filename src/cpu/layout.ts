/**
 * The WebAssembly kernel's memory layout (wasm/train.ts is its truth; the layout test in test/cpu/kernel.test.ts holds
 * this mirror to it). Set-up records are CELL_SETUP_LENGTH f64 each, fields in CELL_SETUP_FIELDS order; the outputs
 * are the OUTPUTS rows' arrays one after another (f64 rows 8 bytes a cell, i32 rows 4); trace rows are
 * [k, loss[k], w1 … w8].
 */
import { CELL_SETUP_LENGTH } from '../core/network';
import { OUTPUTS, type OutputName } from '../core/outputs';

/** f64 per trace row: k, loss[k], then w1 … w8 after k updates. */
export const TRACE_ROW_LENGTH = 10;

/** Per output, its array's byte offset as a multiple of the block's cell count; and the bytes per cell in all. */
export const OUTPUT_OFFSETS = {} as Record<OutputName, number>;
export let OUTPUT_BYTES = 0;
for (const row of OUTPUTS) {
  OUTPUT_OFFSETS[row.name] = OUTPUT_BYTES;
  OUTPUT_BYTES += row.type === 'f64' ? 8 : 4;
}

/**
 * Byte offsets of the output arrays for a block of `count` cells, and their total size, rounded up to 8 bytes so that
 * whatever follows them (a trace's f64 rows) stays aligned.
 */
export function outputLayout(count: number): { offsets: Record<OutputName, number>; bytes: number } {
  return { offsets: Object.fromEntries(OUTPUTS.map((o) => [o.name, OUTPUT_OFFSETS[o.name] * count])) as Record<OutputName, number>, bytes: Math.ceil((OUTPUT_BYTES * count) / 8) * 8 };
}

/** Bytes of `count` set-up records. */
export const setupBytes = (count: number) => 8 * CELL_SETUP_LENGTH * count;
