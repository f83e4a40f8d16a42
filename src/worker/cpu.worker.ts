/** A CPU pool worker in the page: the shared block-serving body (src/cpu/block-worker.ts) over a web worker's port. */
import { serveBlocks } from '../cpu/block-worker';
import type { ToWorker } from '../cpu/protocol';

serveBlocks({
  post: (message, transfer) => self.postMessage(message, { transfer }),
  listen: (handler) => self.addEventListener('message', (event) => handler((event as MessageEvent<ToWorker>).data)),
});
