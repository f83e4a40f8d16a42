/**
 * The 2-2-2 network of the course sheet, one training step at a time, in float64 or float32-faithful arithmetic.
 *
 * The operation order here is the kernel's (shaders/train.wgsl): with `round = Math.fround` every intermediate is
 * rounded to float32 exactly where the GPU rounds it, so the two differ only by the GPU's exp/tanh error and any
 * multiply-add fusion its compiler does. With `round = identity` it is plain float64, the oracle. exp is the portable
 * one (src/core/portable-math.ts), and so is the float64 tanh, so the reference gives the same bits in the page, in Node
 * and in the WebAssembly engine.
 */
import type { Arithmetic } from './arithmetic';
import { exp, tanh } from './portable-math';

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'identity'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Rounds one intermediate result. */
export type Round = (x: number) => number;
/** How each arithmetic rounds an intermediate result: `Math.fround` for float32, the identity for float64. */
export const ROUND: Record<Arithmetic, Round> = { float64: (x) => x, float32: Math.fround };

/**
 * Layout of one cell's training set-up, a record of 15 numbers (the same order as CELL_SETUP_FIELDS):
 * [w1 … w8, lrHidden, lrOutput, i1, i2, t1, t2, momentum]. The kernels mirror it (wasm/train.ts SETUP_*, the WGSL
 * CellParams and CellState), with tests.
 */
export const CELL_SETUP_FIELDS = [
  'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'lrHidden', 'lrOutput', 'i1', 'i2', 't1', 't2', 'momentum',
] as const;
export type SetupField = (typeof CELL_SETUP_FIELDS)[number];
export const CELL_SETUP_LENGTH = CELL_SETUP_FIELDS.length;
export const SETUP = Object.fromEntries(CELL_SETUP_FIELDS.map((name, i) => [name, i])) as {
  [K in (typeof CELL_SETUP_FIELDS)[number]]: number;
};

/** Everything that is the same for every cell of a sweep. */
export interface NetworkConfig {
  activation: Activation;
  /** Fixed biases [hidden, output]; [0, 0] for the sheets without biases. */
  biases: readonly [number, number];
}

/** Forward pass quantities of one evaluation, exposed for tests and the inspector. */
export interface ForwardPass {
  ah1: number; ah2: number; ao1: number; ao2: number;
  /** E = ½(t1 − a_o1)² + ½(t2 − a_o2)². */
  loss: number;
}

/**
 * The kernel's tanh (shaders/train.wgsl, tanhAccurate) in the kernel's operation order: a Padé approximant below
 * |x| = 1, (1 − e)/(1 + e) with e = exp(−2|x|) above. In float64 the oracle uses fdlibm's tanh (portable-math).
 */
export function kernelTanh(x: number, r: Round): number {
  const a = Math.abs(x);
  if (a < 1) {
    const x2 = r(x * x);
    const num = r(135135 + r(x2 * r(17325 + r(x2 * r(378 + x2)))));
    const den = r(135135 + r(x2 * r(62370 + r(x2 * r(3150 + r(x2 * 28))))));
    return r(r(x * num) / den);
  }
  const e = r(exp(r(-2 * Math.min(a, 15))));
  return Math.sign(x) * r(r(1 - e) / r(1 + e));
}

function activate(x: number, activation: Activation, round: Round): number {
  switch (activation) {
    case 'sigmoid': return round(1 / round(1 + round(exp(-x))));
    case 'tanh': return round === ROUND.float64 ? tanh(x) : kernelTanh(x, round);
    case 'relu': return Math.max(x, 0);
    case 'identity': return x;
  }
}

/** dσ/dx written in terms of the activation's output a, as the sheet does: σ' = a(1 − a). */
function activationSlope(a: number, activation: Activation, round: Round): number {
  switch (activation) {
    case 'sigmoid': return round(a * round(1 - a));
    case 'tanh': return round(1 - round(a * a));
    case 'relu': return a > 0 ? 1 : 0;
    case 'identity': return 1;
  }
}

/** E at the weights `w` (w[0..7] = w1..w8) for the inputs and targets of `setup`. */
export function forward(w: ArrayLike<number>, setup: ArrayLike<number>, config: NetworkConfig, round: Round = ROUND.float64): ForwardPass {
  const r = round, act = config.activation;
  const [bh, bo] = config.biases;
  const i1 = setup[SETUP.i1], i2 = setup[SETUP.i2];
  const ah1 = activate(r(r(r(w[0] * i1) + r(w[1] * i2)) + bh), act, r);
  const ah2 = activate(r(r(r(w[2] * i1) + r(w[3] * i2)) + bh), act, r);
  const ao1 = activate(r(r(r(w[4] * ah1) + r(w[5] * ah2)) + bo), act, r);
  const ao2 = activate(r(r(r(w[6] * ah1) + r(w[7] * ah2)) + bo), act, r);
  const e1 = r(setup[SETUP.t1] - ao1), e2 = r(setup[SETUP.t2] - ao2);
  const loss = r(0.5 * r(r(e1 * e1) + r(e2 * e2)));
  return { ah1, ah2, ao1, ao2, loss };
}

/**
 * ∂E/∂w for w1..w8 (into `gradient`, length 8) given the forward pass at `w`: the sheet's equations, all weights
 * from the same (old) values.
 */
export function gradient(w: ArrayLike<number>, setup: ArrayLike<number>, f: ForwardPass, config: NetworkConfig, out: Float64Array, round: Round = ROUND.float64): Float64Array {
  const r = round, act = config.activation;
  const i1 = setup[SETUP.i1], i2 = setup[SETUP.i2];
  const do1 = r(r(f.ao1 - setup[SETUP.t1]) * activationSlope(f.ao1, act, r));
  const do2 = r(r(f.ao2 - setup[SETUP.t2]) * activationSlope(f.ao2, act, r));
  const dh1 = r(r(r(do1 * w[4]) + r(do2 * w[6])) * activationSlope(f.ah1, act, r));
  const dh2 = r(r(r(do1 * w[5]) + r(do2 * w[7])) * activationSlope(f.ah2, act, r));
  out[0] = r(dh1 * i1); out[1] = r(dh1 * i2); out[2] = r(dh2 * i1); out[3] = r(dh2 * i2);
  out[4] = r(do1 * f.ah1); out[5] = r(do1 * f.ah2); out[6] = r(do2 * f.ah1); out[7] = r(do2 * f.ah2);
  return out;
}

/**
 * One update in place (η = lrHidden for w1..w4, lrOutput for w5..w8). With momentum β = 0, the sheet's gradient descent:
 * w ← w − η·∂E/∂w. Otherwise heavy ball: v ← β·v + ∂E/∂w, then w ← w − η·v (`velocity` holds v, starting at 0).
 */
export function applyUpdate(w: Float64Array, g: Float64Array, setup: ArrayLike<number>, round: Round = ROUND.float64, velocity?: Float64Array): void {
  const lrH = setup[SETUP.lrHidden], lrO = setup[SETUP.lrOutput], beta = setup[SETUP.momentum];
  for (let j = 0; j < 8; j++) {
    const lr = j < 4 ? lrH : lrO;
    if (beta === 0 || !velocity) { w[j] = round(w[j] - round(lr * g[j])); continue; }
    velocity[j] = round(round(beta * velocity[j]) + g[j]);
    w[j] = round(w[j] - round(lr * velocity[j]));
  }
}
