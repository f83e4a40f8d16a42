"""The PyTorch CPU twin of the MNIST CPU engine's training step (bench/mnist-bench.ts): the default model of
src/mnist/model.ts (10,552 parameters), batch 128, float32, SGD with momentum 0.9, dropout 0.05, one thread
(torch.set_num_threads(1)); forward + loss + backward + update per step. Prints one JSON line: images per second of
each run, by the wall clock and by the process's CPU time (steadier on a shared machine). Usage: python3 bench/mnist-torch.py BATCHES RUNS"""
import json, sys, time
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(1)
batches, runs = (int(a) for a in sys.argv[1:3])
batch = 128


def block(ci, co):
    return [nn.Conv2d(ci, co, 3, bias=False), nn.BatchNorm2d(co), nn.ReLU(), nn.Dropout(0.05)]


model = nn.Sequential(*block(1, 10), *block(10, 16), nn.MaxPool2d(2), nn.Conv2d(16, 10, 1, bias=False),
                      *block(10, 16), *block(16, 16), *block(16, 32), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(32, 10))
assert sum(p.numel() for p in model.parameters()) == 10552
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
x = torch.rand(batch, 1, 28, 28) * 2 - 0.4
y = torch.arange(batch) % 10


def step():
    opt.zero_grad(set_to_none=False)
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()


for _ in range(5):  # warm-up: the first step takes ≈ 4.6×, the second ≈ 1.6× a steady one (allocations, oneDNN primitives)
    step()
rates, cpu_rates = [], []
for _ in range(runs):
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(batches):
        step()
    rates.append(batch * batches / (time.perf_counter() - start))
    cpu_rates.append(batch * batches / (time.process_time() - cpu))
print(json.dumps({'imagesPerSecond': rates, 'imagesPerCpuSecond': cpu_rates, 'torch': torch.__version__}))
