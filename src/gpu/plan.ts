/**
 * Work planning for the GPU trainer, pure so it is tested without a GPU: how a sweep splits into tiles (each fits
 * one storage binding and one 1-D dispatch) and how many workgroups a tile needs.
 */
import { CELL_STATE } from './layout';

/** Device limits the plan depends on (a subset of GPUSupportedLimits). */
export interface PlanLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupsPerDimension: number;
}

/** A contiguous range of cells trained together: [first, first + count). */
export interface Tile { first: number; count: number }

/** Largest number of cells per tile: `state` (the largest per-cell buffer) must fit one binding, the cells one dispatch. */
export function maxTileCells(limits: PlanLimits, workgroupSize: number, preferred = 1 << 20): number {
  const byBinding = Math.floor(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) / CELL_STATE.size);
  const byDispatch = limits.maxComputeWorkgroupsPerDimension * workgroupSize;
  return Math.max(1, Math.min(preferred, byBinding, byDispatch));
}

/**
 * Splits `cells` into consecutive tiles of at most `tileCells` cells. With `firstTileCells`, tiles start that small
 * and double up to `tileCells`, so the first results arrive early without slowing the rest.
 */
export function planTiles(cells: number, tileCells: number, firstTileCells = tileCells): Tile[] {
  const tiles: Tile[] = [];
  let size = Math.max(1, Math.min(firstTileCells, tileCells));
  for (let first = 0; first < cells; first += size, size = Math.min(tileCells, size * 2)) {
    tiles.push({ first, count: Math.min(size, cells - first) });
  }
  return tiles;
}

/**
 * Fewest loss evaluations per dispatch (unless fewer remain): each dispatch reads and writes every cell's 48-byte
 * state, which at 1M cells and a handful of steps costs more than the steps themselves.
 */
export const MIN_CHUNK_STEPS = 32;

/** Next dispatch's loss evaluations: scaled to take `targetMs` at the last one's rate, at most 4× longer, ≥ MIN_CHUNK_STEPS. */
export function nextChunkSteps(previous: number, previousMs: number, targetMs: number): number {
  return Math.max(MIN_CHUNK_STEPS, Math.min(previous * 4, Math.round((previous * targetMs) / Math.max(previousMs, 1e-3))));
}

/**
 * Loss evaluations in the first dispatch of a run: about 2^24 network-steps (a few ms on a real GPU, a few hundred
 * on SwiftShader), at least 1, at most the whole run. Later dispatches adapt to the measured rate.
 */
export function firstChunkSteps(tileCells: number, steps: number): number {
  return Math.max(1, Math.min(steps + 1, Math.max(MIN_CHUNK_STEPS, Math.ceil(2 ** 24 / tileCells))));
}

/** Workgroups needed to give each of `cells` cells one invocation. */
export function workgroupCount(cells: number, workgroupSize: number): number {
  return Math.max(1, Math.ceil(cells / workgroupSize));
}
