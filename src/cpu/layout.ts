/**
 * The WebAssembly kernel's memory layout (wasm/train.ts is its truth; the layout test in test/cpu/kernel.test.ts holds
 * this mirror to it).
 * Set-up records are CELL_SETUP_LENGTH f64 each, fields in CELL_SETUP_FIELDS order; outputs are four arrays one after
 * another; trace rows are [k, loss[k], w1 … w8].
 */
import { CELL_SETUP_LENGTH } from '../core/network';

/** f64 per trace row: k, loss[k], then w1 … w8 after k updates. */
export const TRACE_ROW_LENGTH = 10;

/** Byte offsets of the four output arrays for a block of `count` cells, and their total size. */
export function outputLayout(count: number): { finalLoss: number; minLoss: number; stepsToThreshold: number; divergedAt: number; bytes: number } {
  return { finalLoss: 0, minLoss: 8 * count, stepsToThreshold: 16 * count, divergedAt: 20 * count, bytes: 24 * count };
}

/** Bytes of `count` set-up records. */
export const setupBytes = (count: number) => 8 * CELL_SETUP_LENGTH * count;
