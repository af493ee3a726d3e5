/* global console -- Node scripts (the lint config declares no Node globals for .mjs files) */
// Round trip (b): train and predict with the libraries alone (no runner), as their READMEs show.
import assert from 'node:assert/strict';
import { mnist, selectRange } from '@scratchnet/datasets';
import { createNodeDataSource } from '@scratchnet/datasets/node';
import { createJsBackend, createRng } from '@scratchnet/tensor';
import { buildNetwork, createDefaultRegistry, createTrainingParts, evaluate, fit, predict } from '@scratchnet/train';

const registry = createDefaultRegistry();
const valid = (kind, ref) => registry.validateOptions(kind, ref).value ?? assert.fail(JSON.stringify(registry.validateOptions(kind, ref).issues));
const source = createNodeDataSource({ baseDir: '.', dataDir: null });
const load = async (split, take) => {
  const set = selectRange(await mnist.load({ type: 'mnist', split }, source), { take });
  // Pixels come as bytes 0..255; as floats 0..1 (a Uint8Array's own map would round them back to bytes).
  return { ...set, images: Float32Array.from(set.images, (v) => v / 255) };
};
const [train, test] = await Promise.all([load('train', 8000), load('test', 2000)]);
const model = { input: [1, 28, 28], layers: [valid('layer', 'flatten'), valid('layer', { type: 'dense', units: 64, weightInit: 'he-normal' }), valid('layer', 'relu'), valid('layer', { type: 'dense', units: 10 })] };
const config = {
  loss: valid('loss', 'softmax-cross-entropy'),
  optimiser: valid('optimiser', { type: 'sgd', momentum: 0.9 }),
  schedule: valid('schedule', { type: 'fixed', learningRate: 0.05 }),
  training: { epochs: 2, batchSize: 32, lastBatch: 'keep', shuffle: true, backend: 'js', threads: 1 },
};
const network = buildNetwork(model, registry, { seed: 1, backend: createJsBackend(), classes: 10 });
const { loss, optimiser, schedule } = createTrainingParts(config, registry, network, train.count);
await fit(network, { train, loss, optimiser, schedule, training: config.training, rng: createRng(2) });
const { accuracy } = evaluate(network, loss, test);
const { classes } = predict(network, loss, test.images.subarray(0, 10 * 784), [1, 28, 28]);
console.log(JSON.stringify({ accuracy, predicted: [...classes], actual: [...test.labels.subarray(0, 10)] }));
