/** A CPU pool worker thread in Node: the shared block-serving body over worker_threads' parent port. */
import { parentPort } from 'node:worker_threads';
import { serveBlocks } from '../cpu/block-worker';
import type { ToWorker } from '../cpu/protocol';

const port = parentPort!;
serveBlocks({
  post: (message, transfer) => port.postMessage(message, transfer),
  listen: (handler) => port.on('message', (message: ToWorker) => handler(message)),
});
