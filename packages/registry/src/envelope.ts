import type { JsonSchema, PluginKind } from '@scratchnet/spec';

/** `name` of an experiment: safe as a directory name. */
export const EXPERIMENT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$';

/** The schema of one plugin slot; validation passes a permissive one, composition a `$ref`. */
export type SlotSchema = (kind: PluginKind) => JsonSchema;

/**
 * The experiment file's sections (ExperimentConfig in @scratchnet/spec) with their defaults.
 * Plugin slots come from `slot`, so the same envelope serves validation (where each slot is
 * checked by its plugin afterwards) and the composed editor schema.
 */
export function envelopeSchema(slot: SlotSchema): JsonSchema {
  const strict = { type: 'object', additionalProperties: false } as const;
  return {
    ...strict,
    required: ['name', 'data', 'model', 'loss', 'optimiser'],
    properties: {
      name: { type: 'string', pattern: EXPERIMENT_NAME_PATTERN, description: 'Experiment name; names the run directory.' },
      seed: { type: 'integer', minimum: 0, default: 0, description: 'Seed for every random choice (weights, shuffling, splits).' },
      plugins: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        default: [],
        description: 'Third-party plugin packages (names or relative paths) to load before validation.',
      },
      data: {
        ...strict,
        required: ['train'],
        description: 'Where the samples come from and how they are prepared.',
        properties: {
          train: { ...slot('dataset'), description: 'Training set.' },
          test: { ...slot('dataset'), description: 'Test set, evaluated after training.' },
          validation: {
            ...strict,
            required: ['fromTrain'],
            description: 'Hold out part of the training set for validation.',
            properties: {
              fromTrain: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'Fraction of the training set held out.' },
              stratify: {
                type: 'boolean',
                default: true,
                description: 'Keep class proportions equal in both parts (where every class has at least two samples).',
              },
            },
          },
          preprocess: {
            type: 'array',
            items: slot('preprocess'),
            default: [],
            description: 'Preprocessing steps, fitted on the training set and stored with the model.',
          },
          augment: {
            type: 'array',
            items: slot('augmentation'),
            default: [],
            description: 'Random transformations applied in order to every training batch (seeded; never to validation or test data).',
          },
        },
      },
      model: {
        ...strict,
        required: ['input', 'layers'],
        description: 'The network.',
        properties: {
          input: {
            type: 'array',
            minItems: 1,
            items: { type: 'integer', minimum: 1 },
            description: 'Per-sample input shape, e.g. [784] or [1, 28, 28].',
          },
          layers: { type: 'array', minItems: 1, items: slot('layer'), description: 'Layers, input to output.' },
        },
      },
      loss: { ...slot('loss'), description: 'Loss function.' },
      optimiser: { ...slot('optimiser'), description: 'Optimiser.' },
      schedule: { ...slot('schedule'), default: { type: 'fixed' }, description: 'Learning-rate schedule.' },
      training: {
        ...strict,
        default: {},
        description: 'How the training loop runs.',
        properties: {
          epochs: { type: 'integer', minimum: 1, default: 1, description: 'Passes over the training set.' },
          batchSize: { type: 'integer', minimum: 1, default: 32, description: 'Samples per optimiser step.' },
          lastBatch: { enum: ['keep', 'drop'], default: 'keep', description: 'What to do with a last batch smaller than batchSize.' },
          shuffle: { type: 'boolean', default: true, description: 'Reshuffle the training set every epoch (seeded).' },
          backend: { enum: ['auto', 'js', 'wasm'], default: 'auto', description: 'Kernel backend; auto picks the fastest available.' },
          threads: { type: 'integer', minimum: 0, default: 0, description: 'Worker threads (0 = number of cores).' },
          parallelism: {
            enum: ['auto', 'data', 'split'],
            default: 'auto',
            description:
              'How threads share a training step: data (each thread runs forward and backward on its micro-shards of the batch), ' +
              'split (large products are split across threads), auto (data for models without batch norm or dropout whose products are small, else split).',
          },
          shards: {
            enum: [1, 2, 4, 8, 16],
            default: 2,
            description: 'Micro-shards per batch in data-parallel training. Fixed whatever the thread count, so the model is too; threads beyond it stay idle.',
          },
          earlyStopping: {
            ...strict,
            required: ['monitor'],
            description: 'Stop when a validation metric has not improved for `patience` epochs (needs data.validation).',
            properties: {
              monitor: { enum: ['validation.loss', 'validation.accuracy'], description: 'The metric watched (loss: lower is better).' },
              patience: { type: 'integer', minimum: 0, default: 5, description: 'Epochs without improvement before stopping.' },
              minDelta: { type: 'number', minimum: 0, default: 0, description: 'Smallest change that counts as an improvement.' },
            },
          },
          restoreBest: {
            type: 'boolean',
            default: false,
            description: 'However training stops, model/ holds the weights of the best validation epoch (checkpoints/ keeps the last).',
          },
          clipNorm: { type: 'number', exclusiveMinimum: 0, description: 'Scale gradients down when their global L2 norm exceeds this.' },
          warmupEpochs: {
            type: 'number',
            minimum: 0,
            default: 0,
            description: "Linear warm-up of the schedule's learning rate over this many epochs (fractions allowed).",
          },
        },
      },
    },
  };
}
