import type { ModelConfig } from '@scratchnet/spec';

/**
 * The training recipes of the benchmark, as plain data every contestant (scratchnet,
 * TensorFlow.js, PyTorch, numpy) builds the same network and optimiser from. The network is a
 * scratchnet model config (`model.input`, `model.layers`); the peers translate its layers.
 */
export interface Recipe {
  readonly name: 'mlp-small' | 'mlp-wide' | 'lenet5';
  readonly model: ModelConfig;
  /** Dense widths from the 784 inputs to the 10 classes, for MLP-only peers (numpy); absent for conv nets. */
  readonly widths?: readonly number[];
  readonly batchSize: number;
  readonly learningRate: number;
  readonly momentum: number;
  /** L2 weight decay on the weights (not the biases), added to the gradient like torch.optim.SGD. */
  readonly weightDecay: number;
}

/** Dense layers of the given widths with ReLU between them (none after the last). */
function mlp(widths: readonly number[]): Pick<Recipe, 'model' | 'widths'> {
  const layers: ModelConfig['layers'][number][] = [];
  widths.slice(1).forEach((units, i) => {
    if (i > 0) layers.push({ type: 'relu' });
    layers.push({ type: 'dense', units, weightInit: 'he-normal' });
  });
  return { model: { input: [widths[0]!], layers }, widths };
}

/** LeNet-5 as it is usually modernised: ReLU and max pooling instead of tanh and subsampling. */
const LENET5: ModelConfig = {
  input: [1, 28, 28],
  layers: [
    { type: 'conv2d', filters: 6, kernelSize: 5, padding: 2, weightInit: 'he-normal', biasInit: 'zeros' },
    { type: 'relu' },
    { type: 'max-pool2d', poolSize: 2 },
    { type: 'conv2d', filters: 16, kernelSize: 5, padding: 'valid', weightInit: 'he-normal', biasInit: 'zeros' },
    { type: 'relu' },
    { type: 'max-pool2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 120, weightInit: 'he-normal' },
    { type: 'relu' },
    { type: 'dense', units: 84, weightInit: 'he-normal' },
    { type: 'relu' },
    { type: 'dense', units: 10, weightInit: 'he-normal' },
  ],
};

export const RECIPES: readonly Recipe[] = [
  { name: 'mlp-small', ...mlp([784, 30, 60, 10]), batchSize: 64, learningRate: 0.1, momentum: 0, weightDecay: 1e-3 },
  { name: 'mlp-wide', ...mlp([784, 512, 256, 10]), batchSize: 128, learningRate: 0.05, momentum: 0.9, weightDecay: 0 },
  { name: 'lenet5', model: LENET5, batchSize: 64, learningRate: 0.05, momentum: 0.9, weightDecay: 0 },
];

/** The recipe as a scratchnet experiment (validated by the registry before use). */
export function experimentFor(recipe: Recipe, backend: 'js' | 'wasm', seed: number): unknown {
  return {
    name: `bench-${recipe.name}`,
    seed,
    // The peers' x / 255, as scratchnet applies it: to each batch of bytes as it is gathered.
    data: { train: { type: 'mnist', split: 'train' }, test: { type: 'mnist', split: 'test' }, preprocess: [{ type: 'scale', divisor: 255 }] },
    model: recipe.model,
    loss: { type: 'softmax-cross-entropy' },
    optimiser: { type: 'sgd', momentum: recipe.momentum, weightDecay: recipe.weightDecay },
    schedule: { type: 'fixed', learningRate: recipe.learningRate },
    training: { epochs: 1, batchSize: recipe.batchSize, shuffle: true, backend, threads: 1 },
  };
}
