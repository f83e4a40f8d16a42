// The float32 CPU kernels of the MNIST model's head: global average pooling, the linear classifier and the loss
// (src/mnist/layers.ts holds the float64 reference). Small work, scalar code: it is here so that a step's layers never
// leave WebAssembly for arithmetic. (The SGD update stays in training.ts: 10,552 parameters with a float64 velocity,
// well under 0.1% of a step.) Layouts as in layers.ts.

/** y[p] = mean of plane p, for `planes` planes of `plane` floats. */
export function gapForward(x: usize, y: usize, planes: i32, plane: i32): void {
  for (let p = 0; p < planes; p++) {
    let sum: f64 = 0;
    const at = x + <usize>(p * plane) * 4;
    for (let q = 0; q < plane; q++) sum += <f64>load<f32>(at + <usize>q * 4);
    store<f32>(y + <usize>p * 4, <f32>(sum / plane));
  }
}

export function gapBackward(dy: usize, dx: usize, planes: i32, plane: i32): void {
  for (let p = 0; p < planes; p++) {
    const v = f32x4.splat(<f32>(<f64>load<f32>(dy + <usize>p * 4) / plane));
    const at = dx + <usize>(p * plane) * 4;
    let q = 0;
    for (; q + 4 <= plane; q += 4) v128.store(at + <usize>q * 4, v);
    for (; q < plane; q++) store<f32>(at + <usize>q * 4, f32x4.extract_lane(v, 0));
  }
}

/** y = W x + b per image: W [co][ci] at wt, b [co] after it. */
export function linearForward(x: usize, wt: usize, y: usize, n: i32, ci: i32, co: i32): void {
  const bias = wt + <usize>(co * ci) * 4;
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < co; o++) {
      let sum: f64 = <f64>load<f32>(bias + <usize>o * 4);
      for (let c = 0; c < ci; c++) sum += <f64>load<f32>(wt + <usize>(o * ci + c) * 4) * <f64>load<f32>(x + <usize>(b * ci + c) * 4);
      store<f32>(y + <usize>(b * co + o) * 4, <f32>sum);
    }
  }
}

export function linearBackward(x: usize, wt: usize, g: usize, dy: usize, dx: usize, n: i32, ci: i32, co: i32): void {
  const bias = <usize>(co * ci) * 4;
  if (dx) memory.fill(dx, 0, <usize>(n * ci) * 4);
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < co; o++) {
      const d = load<f32>(dy + <usize>(b * co + o) * 4);
      store<f32>(g + bias + <usize>o * 4, load<f32>(g + bias + <usize>o * 4) + d);
      for (let c = 0; c < ci; c++) {
        const wc = <usize>(o * ci + c) * 4, xc = <usize>(b * ci + c) * 4;
        store<f32>(g + wc, load<f32>(g + wc) + d * load<f32>(x + xc));
        if (dx) store<f32>(dx + xc, load<f32>(dx + xc) + load<f32>(wt + wc) * d);
      }
    }
  }
}

/**
 * Mean negative log-likelihood of the labels (floats holding 0…classes−1) under n rows of logits z (log-softmax, in
 * float64), and its gradient (softmax − one-hot) / n into dz. Returns the loss.
 */
export function nllLoss(z: usize, dz: usize, labels: usize, n: i32, classes: i32): f64 {
  let loss: f64 = 0;
  for (let b = 0; b < n; b++) {
    const row = z + <usize>(b * classes) * 4, drow = dz + <usize>(b * classes) * 4;
    const label = <i32>load<f32>(labels + <usize>b * 4);
    let top: f64 = -Infinity;
    for (let k = 0; k < classes; k++) top = Math.max(top, <f64>load<f32>(row + <usize>k * 4));
    let sum: f64 = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(<f64>load<f32>(row + <usize>k * 4) - top);
    const logSum = top + Math.log(sum);
    loss -= <f64>load<f32>(row + <usize>label * 4) - logSum;
    for (let k = 0; k < classes; k++) store<f32>(drow + <usize>k * 4, <f32>((Math.exp(<f64>load<f32>(row + <usize>k * 4) - logSum) - (k == label ? 1 : 0)) / n));
  }
  return loss / n;
}
