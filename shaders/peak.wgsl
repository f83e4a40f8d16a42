// Peak-rate microkernels for the benchmark's ceiling: how many float32 multiply-adds and exps per second this
// device sustains when nothing else (memory, branches, dispatch) is in the way.
//
// Buffer layout:
//   @binding(0) sink : array<f32>, one float per invocation, written once so the compiler cannot drop the work.
//
// Overrides: WORKGROUP_SIZE (invocations per workgroup), ITERATIONS (loop trips per invocation).
// fmaPeak: 16 independent multiply-add chains → 32 FLOP per trip. expPeak: 8 independent exp chains → 8 exp per trip.
// (More chains than a core's pipelines can overlap, so the rate measures throughput, not latency.)

override WORKGROUP_SIZE: u32 = 64u;
override ITERATIONS: u32 = 4096u;

@group(0) @binding(0) var<storage, read_write> sink: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn fmaPeak(@builtin(global_invocation_id) id: vec3<u32>) {
  let seed = f32(id.x & 1023u) * 1e-6;
  var a = vec4<f32>(seed, seed + 0.1, seed + 0.2, seed + 0.3);
  var b = vec4<f32>(seed + 0.4, seed + 0.5, seed + 0.6, seed + 0.7);
  var c = vec4<f32>(seed + 0.8, seed + 0.9, seed + 1.0, seed + 1.1);
  var d = vec4<f32>(seed + 1.2, seed + 1.3, seed + 1.4, seed + 1.5);
  for (var i = 0u; i < ITERATIONS; i++) {
    a = a * 0.99993 + 0.00007;
    b = b * 0.99991 + 0.00009;
    c = c * 0.99997 + 0.00003;
    d = d * 0.99995 + 0.00005;
  }
  sink[id.x] = dot(a + b, vec4<f32>(1.0)) + dot(c + d, vec4<f32>(1.0));
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn expPeak(@builtin(global_invocation_id) id: vec3<u32>) {
  let seed = f32(id.x & 1023u) * 1e-6;
  var a = vec4<f32>(seed, seed + 0.1, seed + 0.2, seed + 0.3);
  var b = vec4<f32>(seed + 0.4, seed + 0.5, seed + 0.6, seed + 0.7);
  for (var i = 0u; i < ITERATIONS; i++) {
    a = exp(-a);
    b = exp(-b);
  }
  sink[id.x] = dot(a + b, vec4<f32>(1.0));
}
