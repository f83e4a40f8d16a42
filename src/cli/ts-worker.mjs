// Starts a worker thread on a TypeScript module (workerData.entry, a file URL) through tsx: Node 20 does not apply
// --import loaders to a worker's entry file, so the entry is plain JavaScript and imports the TypeScript itself.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
