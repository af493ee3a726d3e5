// The README's example, verbatim between the markers (readme.test.ts checks and runs it).
// README:start
import { ConfigError, type PluginKind } from '@scratchnet/spec';
import { createJsBackend, createRng } from '@scratchnet/tensor';
import {
  buildNetwork,
  createDefaultRegistry,
  createTrainingParts,
  evaluate,
  fit,
  loadModel,
  predict,
  serialiseModel,
} from './index.js';

// A registry holding the built-in layers, losses, optimisers, schedules and initialisers.
// (createDefaultRegistry({ compile }) passes a schema compiler on to createRegistry, e.g. the
// precompiled validators a browser page under a strict CSP needs: see @scratchnet/registry.)
const registry = createDefaultRegistry();
registry.freeze();

// The train API takes validated options (defaults filled in). The runner gets them all at once
// from registry.validateExperiment(yaml); here each section is validated on its own.
function valid(kind: PluginKind, ref: unknown) {
  const { value, issues } = registry.validateOptions(kind, ref);
  if (value === undefined) throw new ConfigError(issues);
  return value;
}
const config = {
  model: { input: [4], layers: [valid('layer', { type: 'dense', units: 8 }), valid('layer', 'tanh'), valid('layer', { type: 'dense', units: 2 })] },
  loss: valid('loss', 'softmax-cross-entropy'),
  optimiser: valid('optimiser', { type: 'sgd', momentum: 0.9 }),
  schedule: valid('schedule', { type: 'fixed', learningRate: 0.1 }),
  training: { epochs: 20, batchSize: 16, lastBatch: 'keep', shuffle: true, backend: 'js', threads: 1 } as const,
};

// A toy data set: 4 pixels per sample; class 1 when the left pair is brighter than the right.
const data = createRng(7);
const count = 256;
const images = Float32Array.from({ length: count * 4 }, () => data.next());
const labels = Uint8Array.from({ length: count }, (_, i) => Number(images[4 * i]! + images[4 * i + 1]! > images[4 * i + 2]! + images[4 * i + 3]!));
const train = { images, labels, sampleShape: [4], count };

// Build (shape pass first, then seeded weights), create loss/optimiser/schedule, train.
const backend = createJsBackend();
const network = buildNetwork(config.model, registry, { seed: 42, backend, classes: 2 });
const { loss, optimiser, schedule } = createTrainingParts(config, registry, network, count);
const trainLosses: number[] = [];
const result = await fit(network, {
  train,
  loss,
  optimiser,
  schedule,
  training: config.training,
  rng: createRng(43), // the data-shuffling stream
  // Events are plain data (NDJSON-ready); epoch-end also has checkpoint() for a resumable snapshot.
  onEvent: (event) => event.event === 'epoch-end' && trainLosses.push(event.trainLoss),
});
// result.status is 'completed' (or 'aborted' with result.checkpoint when a signal stopped it).

const { accuracy, confusion } = evaluate(network, loss, train); // accuracy close to 1
// The model as bytes: write modelJson to model.json and weights to weights.safetensors.
const { modelJson, weights } = serialiseModel(network, { classNames: ['right', 'left'], loss: config.loss });
const loaded = loadModel(modelJson, weights, registry, { backend });
const { classes, probabilities } = predict(loaded.network, loaded.loss, images.subarray(0, 8 * 4), [4]); // the first 8 samples
// README:end

export { accuracy, classes, confusion, count, labels, probabilities, result, trainLosses };
