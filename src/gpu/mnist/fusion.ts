/**
 * Which layers the WGSL trainer runs fused: a batch norm followed by ReLU then dropout (the course's block) runs as
 * one forward kernel (block.wgsl normalize, FUSED: one pass where three would read and write every activation) and
 * one backward kernel ahead of batch norm's own (block.wgsl dropout_relu_backward: dropout's and ReLU's gradients in
 * one pass, gated by the dropout's output). Pure: the layer table in, a role per layer out.
 */
import type { LayerSpec } from '../../mnist/model';

/** 'alone': the layer's own kernels; 'fused': a batch norm that runs its ReLU and dropout too; 'inside': that ReLU
 *  or dropout (no kernels of its own; the ReLU's buffers are never read). */
export type LayerRole = 'alone' | 'fused' | 'inside';

/** The role of every layer of `layers` (in order). */
export function layerRoles(layers: readonly { spec: LayerSpec }[]): LayerRole[] {
  const roles: LayerRole[] = layers.map(() => 'alone');
  for (let i = 0; i + 2 < layers.length; i++) {
    if (layers[i].spec.kind === 'batchnorm' && layers[i + 1].spec.kind === 'relu' && layers[i + 2].spec.kind === 'dropout') {
      roles[i] = 'fused';
      roles[i + 1] = roles[i + 2] = 'inside';
      i += 2;
    }
  }
  return roles;
}

/**
 * Whether the WGSL trainer never writes or reads layer i's output (`gradient` false) or the gradient of its output
 * (true), given the layers' roles: a fused batch norm's output (its kernel writes the dropout's), and its ReLU's
 * output and gradient. Those get 16-byte stand-ins instead of activation buffers.
 */
export function bufferUnused(layers: readonly { spec: LayerSpec }[], roles: readonly LayerRole[], i: number, gradient: boolean): boolean {
  if (roles[i] === 'fused') return !gradient;
  return roles[i] === 'inside' && layers[i].spec.kind === 'relu';
}
