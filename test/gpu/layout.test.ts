import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CELL_PARAMS, CELL_STATE, CHUNK } from '../../src/gpu/layout';

// webgpu-utils reads the WebGPU constant GPUShaderStage at load; its values are fixed by the WebGPU spec, and no GPU
// is needed to reflect a shader.
Object.assign(globalThis, { GPUShaderStage: { VERTEX: 1, FRAGMENT: 2, COMPUTE: 4 } });
const { makeShaderDataDefinitions } = await import('webgpu-utils');

// Reflect the WGSL structs (the source of truth) with webgpu-utils and compare with the TypeScript mirror.
const defs = makeShaderDataDefinitions(readFileSync(new URL('../../shaders/train.wgsl', import.meta.url), 'utf8'));

function fieldsOf(struct: string): { size: number; offsets: Record<string, number> } {
  const def = defs.structs[struct];
  if (!def || !('fields' in def)) throw new Error(`struct ${struct} not found in train.wgsl`);
  return { size: def.size, offsets: Object.fromEntries(Object.entries(def.fields).map(([name, f]) => [name, f.offset])) };
}

describe('buffer layouts match shaders/train.wgsl', () => {
  it('Chunk', () => expect(fieldsOf('Chunk')).toEqual(CHUNK));
  it('CellParams', () => expect(fieldsOf('CellParams')).toEqual(CELL_PARAMS));
  it('CellState', () => expect(fieldsOf('CellState')).toEqual(CELL_STATE));
  it('binds chunk, params and state at 0, 1, 2', () => {
    expect(defs.uniforms.chunk.binding).toBe(0);
    expect(defs.storages.params.binding).toBe(1);
    expect(defs.storages.state.binding).toBe(2);
    expect(defs.storages.lossHistory.binding).toBe(3);
  });
});
