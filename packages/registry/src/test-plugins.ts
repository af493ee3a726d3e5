// Tiny fake plugins for the registry's own tests: real schemas, factories that are never called.
import {
  defineAugmentation,
  defineDataset,
  defineInitialiser,
  defineLayer,
  defineLoss,
  defineOptimiser,
  definePreprocess,
  defineSchedule,
  pluginRefSchema,
  type Plugin,
} from '@scratchnet/spec';
import { createRegistry } from './create-registry.js';

const unused = (): never => {
  throw new Error('fake plugin: not meant to be called');
};

export const dense = defineLayer({
  kind: 'layer',
  type: 'dense',
  specVersion: 1,
  description: 'Fully connected layer.',
  optionsSchema: {
    type: 'object',
    properties: {
      units: { type: 'integer', minimum: 1, description: 'Output features.' },
      weightInit: pluginRefSchema('he-normal', 'Initialiser of the weights.'),
      biasInit: pluginRefSchema('zeros', 'Initialiser of the bias.'),
      useBias: { type: 'boolean', default: true },
    },
    required: ['units'],
  },
  references: { weightInit: 'initialiser', biasInit: 'initialiser' },
  outputShape: unused,
  create: unused,
});

export const relu = defineLayer({
  kind: 'layer',
  type: 'relu',
  specVersion: 1,
  description: 'max(0, x).',
  optionsSchema: { type: 'object' },
  outputShape: unused,
  create: unused,
});

export const dropout = defineLayer({
  kind: 'layer',
  type: 'dropout',
  specVersion: 1,
  description: 'Zeroes a random fraction of inputs while training.',
  optionsSchema: {
    type: 'object',
    properties: { rate: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.5 } },
  },
  outputShape: unused,
  create: unused,
});

const initialiser = (type: string, properties: Record<string, unknown> = {}): Plugin =>
  defineInitialiser({
    kind: 'initialiser',
    type,
    specVersion: 1,
    description: `${type} initialiser.`,
    optionsSchema: { type: 'object', properties },
    create: unused,
  });

export const heNormal = initialiser('he-normal');
export const zeros = initialiser('zeros');
export const normal = initialiser('normal', {
  mean: { type: 'number', default: 0 },
  std: { type: 'number', exclusiveMinimum: 0, default: 0.05 },
});

export const softmaxCrossEntropy = defineLoss({
  kind: 'loss',
  type: 'softmax-cross-entropy',
  specVersion: 1,
  description: 'Softmax then cross-entropy.',
  optionsSchema: { type: 'object' },
  create: unused,
});

export const sgd = defineOptimiser({
  kind: 'optimiser',
  type: 'sgd',
  specVersion: 1,
  description: 'Stochastic gradient descent.',
  optionsSchema: {
    type: 'object',
    properties: {
      momentum: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0 },
      nesterov: { type: 'boolean', default: false },
    },
  },
  create: unused,
});

export const fixed = defineSchedule({
  kind: 'schedule',
  type: 'fixed',
  specVersion: 1,
  description: 'Constant learning rate.',
  optionsSchema: { type: 'object', properties: { learningRate: { type: 'number', exclusiveMinimum: 0, default: 0.1 } } },
  create: unused,
});

export const mnist = defineDataset({
  kind: 'dataset',
  type: 'mnist',
  specVersion: 1,
  description: 'MNIST digits.',
  optionsSchema: { type: 'object', properties: { split: { enum: ['train', 'test'], default: 'train' } } },
  load: unused,
});

export const scale = definePreprocess({
  kind: 'preprocess',
  type: 'scale',
  specVersion: 1,
  description: 'Divides every value by a constant.',
  optionsSchema: { type: 'object', properties: { divisor: { type: 'number', exclusiveMinimum: 0, default: 255 } } },
  create: unused,
});

export const shift = defineAugmentation({
  kind: 'augmentation',
  type: 'shift',
  specVersion: 1,
  description: 'Moves each image by a random whole number of pixels.',
  optionsSchema: { type: 'object', properties: { maxPixels: { type: 'integer', minimum: 0, default: 2 } } },
  create: unused,
});

export const fakePlugins: readonly Plugin[] = [
  dense,
  relu,
  dropout,
  heNormal,
  zeros,
  normal,
  softmaxCrossEntropy,
  sgd,
  fixed,
  mnist,
  scale,
  shift,
] as readonly Plugin[];

/** A registry holding every fake plugin. */
export function fakeRegistry(): ReturnType<typeof createRegistry> {
  const registry = createRegistry();
  for (const plugin of fakePlugins) registry.register(plugin, 'test-plugins');
  return registry;
}
