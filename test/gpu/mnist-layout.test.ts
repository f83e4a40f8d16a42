import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COPY_FIELDS, COPY_FLOAT_FIELDS, LAYER_FIELDS, STEP_FIELDS } from '../../src/gpu/mnist/layout';

Object.assign(globalThis, { GPUShaderStage: { VERTEX: 1, FRAGMENT: 2, COMPUTE: 4 } });
const { makeShaderDataDefinitions } = await import('webgpu-utils');

// The structs of shaders/mnist/common.wgsl (the source of truth) against the TypeScript tables.
const defs = makeShaderDataDefinitions(readFileSync(new URL('../../shaders/mnist/common.wgsl', import.meta.url), 'utf8'));

function fieldsOf(struct: string): [string, number, string][] {
  const def = defs.structs[struct];
  if (!def || !('fields' in def)) throw new Error(`struct ${struct} not found in common.wgsl`);
  return Object.entries(def.fields).map(([name, f]) => [name, f.offset, (f as unknown as { type: { type: string } }).type.type]);
}

describe('MNIST kernel records match shaders/mnist/common.wgsl', () => {
  it('Layer: 16 u32 in LAYER_FIELDS order', () => expect(fieldsOf('Layer')).toEqual(LAYER_FIELDS.map((f, i) => [f, 4 * i, 'u32'])));
  it('Step: 4 u32 in STEP_FIELDS order', () => expect(fieldsOf('Step')).toEqual(STEP_FIELDS.map((f, i) => [f, 4 * i, 'u32'])));
  it('Copy: 4 f32 then 4 u32 in COPY_FIELDS order', () => expect(fieldsOf('Copy')).toEqual(COPY_FIELDS.map((f, i) => [f, 4 * i, i < COPY_FLOAT_FIELDS ? 'f32' : 'u32'])));
});
