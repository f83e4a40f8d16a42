import { describe, expect, it } from 'vitest';
import { bufferUnused, layerRoles } from '../../src/gpu/mnist/fusion';
import { DEFAULT_MODEL, type LayerSpec } from '../../src/mnist/model';

const of = (kinds: LayerSpec['kind'][]) => layerRoles(kinds.map((kind) => ({ spec: { kind, out: 4 } as LayerSpec })));

describe('layerRoles: which layers the WGSL trainer fuses', () => {
  it('fuses every batch norm → ReLU → dropout of the default model (its five blocks)', () => {
    const roles = layerRoles(DEFAULT_MODEL.map((spec) => ({ spec })));
    expect(roles.filter((r) => r === 'fused')).toHaveLength(5);
    roles.forEach((role, i) => {
      if (role === 'fused') expect([DEFAULT_MODEL[i + 1].kind, DEFAULT_MODEL[i + 2].kind, roles[i + 1], roles[i + 2]]).toEqual(['relu', 'dropout', 'inside', 'inside']);
    });
  });
  it('runs layers alone in any other order, and never fuses a layer twice', () => {
    expect(of(['conv3', 'batchnorm', 'relu', 'gap', 'linear'])).toEqual(['alone', 'alone', 'alone', 'alone', 'alone']);
    expect(of(['batchnorm', 'dropout', 'relu'])).toEqual(['alone', 'alone', 'alone']);
    expect(of(['batchnorm', 'relu'])).toEqual(['alone', 'alone']);
    expect(of(['batchnorm', 'batchnorm', 'relu', 'dropout', 'relu', 'dropout'])).toEqual(['alone', 'fused', 'inside', 'inside', 'alone', 'alone']);
  });
  it('leaves unused only what a fused block never touches: batch norm\'s output, the ReLU\'s output and gradient', () => {
    const layers = (['conv3', 'batchnorm', 'relu', 'dropout', 'relu', 'gap'] as LayerSpec['kind'][]).map((kind) => ({ spec: { kind, out: 4 } as LayerSpec }));
    const roles = layerRoles(layers);
    const unused = layers.map((_, i) => [bufferUnused(layers, roles, i, false), bufferUnused(layers, roles, i, true)]);
    expect(unused).toEqual([[false, false], [true, false], [true, true], [false, false], [false, false], [false, false]]);
  });
});
