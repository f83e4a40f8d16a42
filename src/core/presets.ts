/**
 * The course networks. Every preset shares the inputs and initial weights of the sheets; they differ in targets and
 * in the fixed (never-updated) biases. Sources: the seed README (ERA V1 session 6) and Matt Mazur's worked example.
 */
export interface Preset {
  /** Inputs [i1, i2]. */
  inputs: [number, number];
  /** Targets [t1, t2]. */
  targets: [number, number];
  /** Initial weights [w1 … w8]. */
  weights: [number, number, number, number, number, number, number, number];
  /** Fixed biases [hidden, output], added to h1, h2 and to o1, o2 respectively; never trained. */
  biases: [number, number];
  /** One line for people. */
  description: string;
}

const courseInputs: [number, number] = [0.05, 0.1];
const courseWeights: Preset['weights'] = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55];

export const PRESETS = {
  'era-v1': {
    inputs: courseInputs,
    targets: [0.5, 0.5],
    weights: courseWeights,
    biases: [0, 0],
    description: 'ERA V1 session 6 sheet: t1 = t2 = 0.5, no biases',
  },
  eva: {
    inputs: courseInputs,
    targets: [0.01, 0.99],
    weights: courseWeights,
    biases: [0, 0],
    description: 'earlier course sheets: t1 = 0.01, t2 = 0.99, no biases',
  },
  mazur: {
    inputs: courseInputs,
    targets: [0.01, 0.99],
    weights: courseWeights,
    biases: [0.35, 0.6],
    description: "Matt Mazur's example: t1 = 0.01, t2 = 0.99, fixed biases 0.35 (hidden) and 0.60 (output)",
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
