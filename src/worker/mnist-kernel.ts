/** The MNIST model's float32 CPU kernel (wasm/build/mnist.wasm) in a browser: fetched as a build asset, compiled once. */
import mnistKernelUrl from '../../wasm/build/mnist.wasm?url';

let kernel: Promise<WebAssembly.Module> | undefined;

export function loadMnistKernel(): Promise<WebAssembly.Module> {
  kernel ??= fetch(mnistKernelUrl).then((r) => {
    if (!r.ok) throw new Error(`the MNIST CPU kernel (${mnistKernelUrl}) could not be loaded: HTTP ${r.status}; reload the page`);
    return r.arrayBuffer();
  }).then((bytes) => WebAssembly.compile(bytes));
  return kernel;
}
