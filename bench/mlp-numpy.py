"""The numpy float64 twin of the MLP engine's training (bench/mlp-bench.ts): N networks of the paper's 16-16-1 tanh
mean-field family, full batch on P points, batched over networks with matmul (OpenBLAS, the machine's threads), the
loss before every update recorded and scored as the notebook does. Prints one JSON line: network-steps per second.
Usage: python3 bench/mlp-numpy.py N STEPS P"""
import json, sys, time
import numpy as np

n_nets, steps, points = (int(a) for a in sys.argv[1:4])
d = width = 16
rng = np.random.default_rng(1)
x, y = rng.standard_normal((points, d)), rng.standard_normal((points, 1))
w0, w1 = rng.standard_normal((n_nets, d, width)), rng.standard_normal((n_nets, width, 1))
side = int(round(n_nets ** 0.5))
lr0 = np.repeat(np.logspace(-2, 1, side), side)[:n_nets].reshape(n_nets, 1, 1)
lr1 = np.tile(np.logspace(-2, 1, side), side)[:n_nets].reshape(n_nets, 1, 1)
losses = np.empty((steps, n_nets))
start = time.perf_counter()
with np.errstate(all='ignore'):
    for k in range(steps):
        z = np.matmul(x, w0) / np.sqrt(d)                      # [N, P, n]
        h = np.tanh(np.sqrt(2) * z)
        out = np.matmul(h, w1) / width                         # [N, P, 1]
        res = out - y
        losses[k] = np.mean(res ** 2, axis=(1, 2))
        dout = 2 * res / (points * 1)
        dw1 = np.matmul(h.transpose(0, 2, 1), dout) / width
        dz = np.matmul(dout, w1.transpose(0, 2, 1)) / width * np.sqrt(2) * (1 - h * h)
        dw0 = np.matmul(x.T, dz) / np.sqrt(d)
        w0 -= lr0 * dw0
        w1 -= lr1 * dw1
    v = np.where(np.isfinite(losses), losses, 1e6)
    v = np.minimum(v / v[0], 1e6)
    converged = v[-20:].mean(axis=0) < 1
    score = np.where(converged, -v.sum(axis=0), (1 / v).sum(axis=0))
elapsed = time.perf_counter() - start
print(json.dumps({'networkStepsPerSecond': n_nets * steps / elapsed, 'converged': int(converged.sum()), 'seconds': elapsed}))
