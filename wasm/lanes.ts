// Horizontal sums of f32x4 vectors and a float32 dot product, shared by the MNIST kernels (helpers: not exported
// from the module).

/** The sum of the four lanes of v, lane 0 first. */
@inline export function sumLanes(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Adds the sum of v's lanes to the float at `at`. */
@inline export function addLanes(at: usize, v: v128): void {
  store<f32>(at, load<f32>(at) + sumLanes(v));
}

/** Σ of `count` floats at a times floats at b (float32 lanes, summed at the end). */
export function dot(a: usize, b: usize, count: i32): f32 {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
  let q = 0;
  for (; q + 8 <= count; q += 8) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + <usize>q * 4), v128.load(b + <usize>q * 4)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a + <usize>q * 4, 16), v128.load(b + <usize>q * 4, 16)));
  }
  const s = f32x4.add(s0, s1);
  let total = sumLanes(s);
  for (; q < count; q++) total += load<f32>(a + <usize>q * 4) * load<f32>(b + <usize>q * 4);
  return total;
}
