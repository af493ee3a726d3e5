import { describe, expect, it } from 'vitest';
import { DataFormatError } from '@scratchnet/spec';
import { sumSquaredError } from '@scratchnet/losses';
import { Tensor } from '@scratchnet/tensor';
import { buildNetwork, evaluate, predict } from './index.js';
import { backend, createTestRegistry, testCrossEntropy } from './test-fixtures.js';

const registry = createTestRegistry();
const loss = testCrossEntropy.create({ type: 't-cross-entropy' } as never, { backend });

/** A 3-class network whose scores are its inputs (identity weights), so predictions are known. */
function identityNetwork() {
  const network = buildNetwork({ input: [3], layers: [{ type: 't-dense', units: 3 }] }, registry, { seed: 1, backend });
  const [weight, bias] = network.parameters;
  weight!.value.data.set([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  bias!.value.data.fill(0);
  return network;
}

// Samples' largest input is their predicted class; labels make two of them wrong.
const images = new Float32Array([
  5, 0, 0, // predicts 0, label 0
  0, 5, 0, // predicts 1, label 1
  0, 0, 5, // predicts 2, label 1
  0, 5, 0, // predicts 1, label 2
  5, 0, 0, // predicts 0, label 0
]);
const data = { images, labels: new Uint8Array([0, 1, 1, 2, 0]), sampleShape: [3], count: 5, source: 'fixture' };

describe('evaluate', () => {
  it('reports loss, accuracy and the confusion matrix [label][predicted]', () => {
    const result = evaluate(identityNetwork(), loss, data, { batchSize: 2 });
    expect(result.count).toBe(5);
    expect(result.accuracy).toBe(3 / 5);
    expect(result.confusion).toEqual([
      [2, 0, 0],
      [0, 1, 1],
      [0, 1, 0],
    ]);
    const whole = loss.forward(new Tensor([5, 3], images), data.labels).loss;
    expect(result.loss).toBeCloseTo(whole, 6);
  });

  it('reports a summed loss per sample, whatever the evaluation batch size', () => {
    const sse = sumSquaredError.create({ type: 'sum-squared-error' } as never, { backend });
    const whole = sse.forward(new Tensor([5, 3], images), data.labels).loss;
    for (const batchSize of [1, 2, 7]) {
      expect(evaluate(identityNetwork(), sse, data, { batchSize }).loss).toBeCloseTo(whole / 5, 6);
    }
  });

  it('rejects labels the network cannot score', () => {
    const bad = { ...data, labels: new Uint8Array([0, 1, 3, 0, 0]) };
    expect(() => evaluate(identityNetwork(), loss, bad)).toThrow(DataFormatError);
    expect(() => evaluate(identityNetwork(), loss, bad)).toThrow(
      'fixture: expected labels 0..2 (the network scores 3 classes), found label 3 at sample 2. ' +
        'Check the data set, or give the last layer one unit per class.',
    );
  });
});

describe('predict', () => {
  it('gives per-class probabilities and the most probable class, independent of the batch size', () => {
    const network = identityNetwork();
    const small = predict(network, loss, images, [3], { batchSize: 2 });
    const large = predict(network, loss, images, [3]);
    expect([...small.classes]).toEqual([0, 1, 2, 1, 0]);
    expect(small.probabilities.shape).toEqual([5, 3]);
    for (let r = 0; r < 5; r++) {
      const row = small.probabilities.data.subarray(r * 3, r * 3 + 3);
      expect([...row].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
    expect(large.probabilities.data).toEqual(small.probabilities.data);
  });

  it('accepts samples of another shape with the same size, and rejects other sizes', () => {
    const network = identityNetwork();
    expect([...predict(network, loss, images, [1, 3]).classes]).toEqual([0, 1, 2, 1, 0]);
    expect(() => predict(network, loss, images, [5])).toThrow('predict: expected samples of [3] (3 values), got 15 values of [5] samples');
  });
});
