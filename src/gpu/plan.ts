/**
 * Work planning for the GPU trainer, pure so it is tested without a GPU: how a sweep splits into tiles (each fits
 * one storage binding and one dispatch) and how a tile's workgroups lay out in a 2-D dispatch.
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

/** Largest number of cells per tile: the `state` buffer (the largest per-cell buffer) must fit one binding. */
export function maxTileCells(limits: PlanLimits, workgroupSize: number, preferred = 1 << 20): number {
  const byBinding = Math.floor(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) / CELL_STATE.size);
  const byDispatch = limits.maxComputeWorkgroupsPerDimension ** 2 * workgroupSize;
  return Math.max(1, Math.min(preferred, byBinding, byDispatch));
}

/** Splits `cells` into consecutive tiles of at most `tileCells` cells. */
export function planTiles(cells: number, tileCells: number): Tile[] {
  const tiles: Tile[] = [];
  for (let first = 0; first < cells; first += tileCells) tiles.push({ first, count: Math.min(tileCells, cells - first) });
  return tiles;
}

/** Workgroup counts (x, y) covering `cells` invocations with x ≤ maxPerDimension. */
export function dispatchSize(cells: number, workgroupSize: number, maxPerDimension: number): { groupsX: number; groupsY: number } {
  const groups = Math.ceil(cells / workgroupSize);
  if (groups <= maxPerDimension) return { groupsX: Math.max(1, groups), groupsY: 1 };
  const groupsY = Math.ceil(groups / maxPerDimension);
  return { groupsX: Math.ceil(groups / groupsY), groupsY };
}
