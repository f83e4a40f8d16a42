/** A worker thread of the MNIST CPU benchmark: one copy on this thread (bench/mnist-bench.ts), its Measurement posted back. */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { measureMnistCpu } from './mnist-bench';

const { batch, batches, runs } = workerData as { batch: number; batches: number; runs: number };
const kernel = new WebAssembly.Module(readFileSync(new URL('../wasm/build/mnist.wasm', import.meta.url)));
parentPort!.postMessage(await measureMnistCpu(kernel, 'mnist-cpu-node', batch, batches, runs));
