/**
 * The two training recipes of the benchmark, as plain data every contestant (scratchnet,
 * TensorFlow.js, numpy) builds the same network and optimiser from.
 */
export interface Recipe {
  readonly name: 'mlp-small' | 'mlp-wide';
  /** Layer widths from the 784 inputs to the 10 classes; ReLU between dense layers. */
  readonly widths: readonly number[];
  readonly batchSize: number;
  readonly learningRate: number;
  readonly momentum: number;
  /** L2 weight decay on the weights (not the biases), added to the gradient like torch.optim.SGD. */
  readonly weightDecay: number;
}

export const RECIPES: readonly Recipe[] = [
  { name: 'mlp-small', widths: [784, 30, 60, 10], batchSize: 64, learningRate: 0.1, momentum: 0, weightDecay: 1e-3 },
  { name: 'mlp-wide', widths: [784, 512, 256, 10], batchSize: 128, learningRate: 0.05, momentum: 0.9, weightDecay: 0 },
];

/** Multiply-adds of one training step per sample: forward, dW and dx of every dense layer. */
export function macsPerSample(recipe: Recipe): number {
  let macs = 0;
  for (let i = 1; i < recipe.widths.length; i++) macs += 3 * recipe.widths[i - 1]! * recipe.widths[i]!;
  return macs;
}

/** The recipe as a scratchnet experiment (validated by the registry before use). */
export function experimentFor(recipe: Recipe, backend: 'js' | 'wasm', seed: number): unknown {
  const layers: unknown[] = [];
  recipe.widths.slice(1).forEach((units, i) => {
    if (i > 0) layers.push({ type: 'relu' });
    layers.push({ type: 'dense', units, weightInit: 'he-normal' });
  });
  return {
    name: `bench-${recipe.name}`,
    seed,
    data: { train: { type: 'mnist', split: 'train' }, test: { type: 'mnist', split: 'test' }, preprocess: [] },
    model: { input: [784], layers },
    loss: { type: 'softmax-cross-entropy' },
    optimiser: { type: 'sgd', momentum: recipe.momentum, weightDecay: recipe.weightDecay },
    schedule: { type: 'fixed', learningRate: recipe.learningRate },
    training: { epochs: 1, batchSize: recipe.batchSize, shuffle: true, backend, threads: 1 },
  };
}
