/**
 * The fractal paper's MLP family's part of the spec (Sohl-Dickstein 2024, arXiv 2402.06184): its sizes and limits,
 * the schema of `network`, `data` and `minibatch`, their normalization, and which fields belong to which network kind.
 */
import { z } from 'zod';
import { appliesTo, PARAMETERS, type NetworkKind } from './parameters';
import { PRESETS } from './presets';
import { seedSchema, size } from './spec-fields';
import type { MlpSweepSpec, RawSpec } from './spec';

/** Sizes of the MLP family a spec may ask for: inputs and width ≤ 64, outputs ≤ 64, data points ≤ 4096. */
export const MLP_LIMITS = { inputs: 64, width: 64, outputs: 64, points: 4096, minibatch: 4096, batchDraws: 2 ** 24 } as const;
/** The MLP's hidden activations, with the paper's gains: tanh(√2·z), √2·relu(z), z. */
export const MLP_ACTIVATIONS = ['tanh', 'relu', 'identity'] as const;
export type MlpActivation = (typeof MLP_ACTIVATIONS)[number];
/** mean-field: z = X·W0/√d, output = h·W1/n (the paper); standard: output = h·W1/√n. */
export const MLP_SCALINGS = ['mean-field', 'standard'] as const;

export const networkSchema = z.strictObject({
  kind: z.enum(['course', 'mlp'], { error: 'must be "course" (the sheet\'s 2-2-2 network) or "mlp" (the fractal paper\'s mean-field MLP)' }),
  inputs: size(MLP_LIMITS.inputs, 'inputs d of the MLP').optional(),
  width: size(MLP_LIMITS.width, 'hidden width n of the MLP').optional(),
  outputs: size(MLP_LIMITS.outputs, 'outputs o of the MLP').optional(),
  activation: z.enum(MLP_ACTIVATIONS, { error: `must be one of ${MLP_ACTIVATIONS.join(', ')} (the MLP's hidden activation)` }).optional(),
  scaling: z.enum(MLP_SCALINGS, { error: `must be one of ${MLP_SCALINGS.join(', ')}` }).optional(),
}, { error: 'must be an object such as {"kind": "mlp", "inputs": 16, "width": 16, "outputs": 1, "activation": "tanh", "scaling": "mean-field"}' });

export const dataSchema = z.strictObject({
  points: size(MLP_LIMITS.points, 'data points P, drawn from N(0, 1)').optional(),
  seed: seedSchema.optional(),
}, { error: 'must be an object such as {"points": 272, "seed": 1}' });

export const minibatchSchema = z.strictObject({
  size: size(MLP_LIMITS.minibatch, 'points per step, drawn with replacement'),
  seed: seedSchema.optional(),
}, { error: 'must be an object such as {"size": 16, "seed": 3}, or null for full-batch training' });

/** The fractal paper's network family (arXiv 2402.06184): d inputs, width n, o outputs, no biases. */
export interface MlpNetwork {
  kind: 'mlp';
  inputs: number;
  width: number;
  outputs: number;
  activation: MlpActivation;
  scaling: (typeof MLP_SCALINGS)[number];
}

/** The paper's defaults: d = n = 16, o = 1, tanh, mean-field; P = the parameter count (272); data seed 1, weights seed 2. */
export const MLP_DEFAULTS = { inputs: 16, width: 16, outputs: 1, activation: 'tanh', scaling: 'mean-field', dataSeed: 1, initSeed: 2, minibatchSeed: 3 } as const;

/** The course fields an MLP spec must not set (they describe the 2-2-2 network). */
export const COURSE_ONLY = ['preset', 'activation', 'inputs', 'targets', 'biases', 'weights', 'momentum'] as const;
/** The fields only an MLP spec may set. */
export const MLP_ONLY = ['data', 'minibatch', 'initOffsetEveryStep'] as const;

/** The network, data and minibatch of an MLP spec with every default filled in. */
export function normalizeMlp(raw: RawSpec): Pick<MlpSweepSpec, 'network' | 'data' | 'minibatch' | 'initOffsetEveryStep'> {
  const n = raw.network!;
  const network: MlpNetwork = {
    kind: 'mlp', inputs: n.inputs ?? MLP_DEFAULTS.inputs, width: n.width ?? MLP_DEFAULTS.width, outputs: n.outputs ?? MLP_DEFAULTS.outputs,
    activation: n.activation ?? MLP_DEFAULTS.activation, scaling: n.scaling ?? MLP_DEFAULTS.scaling,
  };
  return {
    network,
    data: { points: raw.data?.points ?? mlpParameterCount(network), seed: raw.data?.seed ?? MLP_DEFAULTS.dataSeed },
    minibatch: raw.minibatch ? { size: raw.minibatch.size, seed: raw.minibatch.seed ?? MLP_DEFAULTS.minibatchSeed } : null,
    initOffsetEveryStep: raw.initOffsetEveryStep ?? false,
  };
}

/** The MLP's trainable parameters: d·n + n·o (272 for the paper's 16-16-1). */
export function mlpParameterCount(network: Pick<MlpNetwork, 'inputs' | 'width' | 'outputs'>): number {
  return network.inputs * network.width + network.width * network.outputs;
}

/** Fields that do not belong to the spec's network kind, axis parameters that do not apply to it, and MLP sizes. */
export function kindErrors(raw: RawSpec): string[] {
  const kind: NetworkKind = raw.network?.kind ?? 'course';
  const errors: string[] = [];
  const applying = PARAMETERS.filter((p) => appliesTo(p.name, kind)).map((p) => p.name).join(', ');
  for (const [name, axis] of [['x', raw.x], ['y', raw.y]] as const) {
    if (axis && !appliesTo(axis.param, kind)) errors.push(`${name}.param: "${axis.param}" does not apply to the ${kind} network; its axis parameters are ${applying}`);
  }
  if (kind === 'mlp') {
    // A normalized MLP spec carries the course fields at their defaults (so it parses again); any other value is refused.
    const defaults = { preset: 'era-v1', activation: 'sigmoid', momentum: 0, ...PRESETS['era-v1'] } as Record<string, unknown>;
    for (const field of COURSE_ONLY) {
      if (raw[field] !== undefined && JSON.stringify(raw[field]) !== JSON.stringify(defaults[field])) errors.push(`${field}: describes the course's 2-2-2 network, not the mlp (${field === 'momentum' ? 'the mlp trains by plain gradient descent, as the paper does' : 'set the MLP through "network", "data" and "init"'}); remove it`);
    }
    const steps = raw.steps, m = raw.minibatch?.size;
    if (m !== undefined && steps * m > MLP_LIMITS.batchDraws) {
      errors.push(`minibatch.size: ${steps.toLocaleString('en-US')} steps × ${m} points = ${(steps * m).toLocaleString('en-US')} batch indices; at most ${MLP_LIMITS.batchDraws.toLocaleString('en-US')} are kept: lower steps or the minibatch size`);
    }
  } else {
    for (const field of MLP_ONLY) if (raw[field] !== undefined) errors.push(`${field}: belongs to the mlp network; add "network": {"kind": "mlp"} or remove it`);
    for (const field of ['inputs', 'width', 'outputs', 'activation', 'scaling'] as const) {
      if (raw.network?.[field] !== undefined) errors.push(`network.${field}: belongs to the mlp network ("kind": "mlp"); the course network is the sheet's 2-2-2`);
    }
  }
  return errors;
}
