import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '@scratchnet/spec';
import type { ModelConfig } from '@scratchnet/spec';
import { createRng } from '@scratchnet/tensor';
import {
  buildNetwork,
  createTrainingParts,
  decodeCheckpoint,
  encodeCheckpoint,
  encodeSafetensors,
  MissingOptimiserStateError,
  restoreCheckpoint,
  takeCheckpoint,
} from './index.js';
import { backend, createTestRegistry, withoutDigest } from './test-fixtures.js';

const registry = createTestRegistry();
const model: ModelConfig = { input: [3], layers: [{ type: 't-dense', units: 2 }] };
const parts = {
  loss: { type: 't-cross-entropy' },
  optimiser: { type: 't-momentum', momentum: 0.5, weightDecay: 0 },
  schedule: { type: 't-fixed', learningRate: 0.1 },
  training: { epochs: 1, batchSize: 4, lastBatch: 'keep', shuffle: true, backend: 'js', threads: 1 },
} as const;

function trained(seed: number) {
  const network = buildNetwork(model, registry, { seed, backend });
  const { optimiser } = createTrainingParts(parts, registry, network, 8);
  for (const p of network.parameters) p.grad.data.fill(0.25);
  optimiser.step(0.1);
  network.rng.normal(); // leaves a spare normal in the state, which must survive the round trip
  return { network, optimiser };
}

describe('checkpoints', () => {
  it('copy the state, so later training does not change them', () => {
    const { network, optimiser } = trained(1);
    const checkpoint = takeCheckpoint(network, optimiser, { epoch: 1, batchInEpoch: 2, iteration: 5 }, createRng(3).state(), {
      lossSum: 1.5,
      correct: 3,
      samples: 8,
    });
    const before = [...checkpoint.weights['layers.0.weight']!.data];
    network.parameters[0]!.value.data.fill(9);
    optimiser.step(0.1);
    expect([...checkpoint.weights['layers.0.weight']!.data]).toEqual(before);
    expect(checkpoint.optimiser.step).toBe(1);
  });

  it('round-trip through bytes exactly', () => {
    const { network, optimiser } = trained(2);
    const checkpoint = takeCheckpoint(network, optimiser, { epoch: 3, batchInEpoch: 1, iteration: 13 }, createRng(4).state(), {
      lossSum: 0.1 + 0.2,
      correct: 1,
      samples: 4,
    });
    expect(checkpoint.rng.model.spareNormal).not.toBeNull();
    const decoded = decodeCheckpoint(encodeCheckpoint(checkpoint));
    expect(decoded).toEqual(checkpoint);
  });

  it('restore weights, optimiser state and both streams into a fresh network', () => {
    const { network, optimiser } = trained(5);
    const dataRng = createRng(6);
    dataRng.next();
    const checkpoint = takeCheckpoint(network, optimiser, { epoch: 0, batchInEpoch: 1, iteration: 1 }, dataRng.state(), {
      lossSum: 0,
      correct: 0,
      samples: 4,
    });
    const fresh = trained(8);
    const freshData = createRng(9);
    restoreCheckpoint(fresh.network, fresh.optimiser, checkpoint, freshData);
    expect(fresh.network.parameters.map((p) => [...p.value.data])).toEqual(network.parameters.map((p) => [...p.value.data]));
    expect(fresh.optimiser.state()).toEqual(optimiser.state());
    expect(fresh.network.rng.next()).toBe(network.rng.next());
    expect(freshData.next()).toBe(dataRng.next());
  });

  it('refuse a checkpoint of another model', () => {
    const { network, optimiser } = trained(1);
    const checkpoint = takeCheckpoint(network, optimiser, { epoch: 0, batchInEpoch: 0, iteration: 0 }, createRng(1).state(), {
      lossSum: 0,
      correct: 0,
      samples: 0,
    });
    const other = buildNetwork({ input: [4], layers: [{ type: 't-dense', units: 2 }] }, registry, { seed: 1, backend });
    const otherParts = createTrainingParts(parts, registry, other, 8);
    expect(() => restoreCheckpoint(other, otherParts.optimiser, checkpoint, createRng(1), 'ckpt')).toThrow(
      new ModelFormatError('ckpt', 'tensor layers.0.weight: expected shape [4, 2], found [3, 2].'),
    );
    const { 'layers.0.bias': _bias, ...withoutBias } = checkpoint.weights;
    expect(() => restoreCheckpoint(network, optimiser, { ...checkpoint, weights: withoutBias }, createRng(1), 'ckpt')).toThrow(
      'ckpt: tensor layers.0.bias (shape [2]) is missing.',
    );
  });

  it('refuse bytes that are not a checkpoint', () => {
    const weights = encodeSafetensors({ a: { shape: [1], data: new Float32Array(1) } });
    expect(() => decodeCheckpoint(weights, 'x.safetensors')).toThrow(
      'x.safetensors: expected a scratchnet checkpoint (__metadata__.format "scratchnet-checkpoint"), found null.',
    );
  });
});

describe('checkpoint files', () => {
  function checkpointOf(seed: number) {
    const { network, optimiser } = trained(seed);
    return takeCheckpoint(network, optimiser, { epoch: 2, batchInEpoch: 0, iteration: 4 }, createRng(3).state(), {
      lossSum: 0,
      correct: 0,
      samples: 0,
    });
  }
  const dataStart = (bytes: Uint8Array): number => 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));

  it('carry a SHA-256 of their tensor data and detect a flipped byte', () => {
    const bytes = encodeCheckpoint(checkpointOf(1));
    const damaged = bytes.slice();
    damaged[dataStart(bytes) + 2]! ^= 0x01; // a low mantissa bit of the first weight: still finite
    expect(() => decodeCheckpoint(damaged, 'run/checkpoints/latest.safetensors')).toThrow(
      /^run\/checkpoints\/latest\.safetensors: the tensor data does not match its SHA-256 digest: expected [0-9a-f]{64} .*found [0-9a-f]{64}/,
    );
  });

  it('written before checkpoints carried a digest still load', () => {
    const checkpoint = checkpointOf(2);
    expect(decodeCheckpoint(withoutDigest(encodeCheckpoint(checkpoint)))).toEqual(checkpoint);
  });

  it('with a NaN or infinite value are refused, naming the tensor', () => {
    const checkpoint = checkpointOf(3);
    checkpoint.weights['layers.0.bias']!.data[1] = Number.NaN;
    expect(() => decodeCheckpoint(encodeCheckpoint(checkpoint), 'ckpt')).toThrow(
      'ckpt: tensor weights/layers.0.bias (shape [2]): value 1 is NaN, expected a finite number.',
    );
    checkpoint.weights['layers.0.bias']!.data[1] = 0;
    Object.values(checkpoint.optimiser.buffers)[0]![0] = Infinity;
    expect(() => decodeCheckpoint(encodeCheckpoint(checkpoint), 'ckpt')).toThrow(/^ckpt: tensor optimiser\/\S+ \(shape \[\d+\]\): value 0 is Infinity/);
  });

  it('without optimiser state are a ModelFormatError naming the file, and change nothing', () => {
    const checkpoint = { ...checkpointOf(4), optimiser: { step: 1, buffers: {} } };
    const decoded = decodeCheckpoint(encodeCheckpoint(checkpoint), 'ckpt');
    const fresh = trained(8);
    const before = fresh.network.parameters.map((p) => [...p.value.data]);
    let error: unknown;
    try {
      restoreCheckpoint(fresh.network, fresh.optimiser, decoded, createRng(1), 'ckpt');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MissingOptimiserStateError);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(/^ckpt: the optimiser state is missing \(the file holds weights only; .+\) Resuming needs it/);
    expect(fresh.network.parameters.map((p) => [...p.value.data])).toEqual(before);
  });

  it('without optimiser state restore with weightsOnly: weights and streams, the optimiser left fresh', () => {
    const source = checkpointOf(4);
    const decoded = decodeCheckpoint(encodeCheckpoint({ ...source, optimiser: { step: 1, buffers: {} } }), 'ckpt');
    const fresh = trained(8);
    const freshState = fresh.optimiser.state();
    const rng = createRng(1);
    restoreCheckpoint(fresh.network, fresh.optimiser, decoded, rng, 'ckpt', { weightsOnly: true });
    expect(fresh.network.parameters.map((p) => [...p.value.data])).toEqual(Object.values(decoded.weights).map((t) => [...t.data]));
    expect(rng.state()).toEqual(decoded.rng.data);
    expect(fresh.optimiser.state()).toEqual(freshState);
  });

  it('with missing position fields are a ModelFormatError, not a crash later', () => {
    const bytes = encodeSafetensors({}, { format: 'scratchnet-checkpoint', checkpoint: JSON.stringify({ formatVersion: 1, epoch: 1 }) });
    expect(() => decodeCheckpoint(bytes, 'ckpt')).toThrow('ckpt: __metadata__.checkpoint.batchInEpoch: expected an integer >= 0, found nothing.');
  });

  it('keep the tracking and best weights of restoreBest, and refuse a damaged tracking record', () => {
    const { network, optimiser } = trained(2);
    const best = Object.fromEntries(network.parameters.map((p) => [p.name, p.value.clone()]));
    const tracking = { monitor: 'validation.accuracy' as const, bestEpoch: 2, bestValue: 0.75, badEpochs: 1 };
    const checkpoint = takeCheckpoint(network, optimiser, { epoch: 3, batchInEpoch: 0, iteration: 6 }, createRng(3).state(), { lossSum: 0, correct: 0, samples: 0 }, { tracking, best, schedule: { bad: 1 } });
    const decoded = decodeCheckpoint(encodeCheckpoint(checkpoint));
    expect(decoded.tracking).toEqual(tracking);
    expect(decoded.schedule).toEqual({ bad: 1 });
    expect(Object.keys(decoded.best!)).toEqual(Object.keys(best));
    for (const [name, tensor] of Object.entries(best)) expect([...decoded.best![name]!.data]).toEqual([...tensor.data]);
    const damaged = encodeCheckpoint({ ...checkpoint, tracking: { ...tracking, bestEpoch: -1 } });
    expect(() => decodeCheckpoint(damaged, 'ckpt')).toThrow(/ckpt: __metadata__.checkpoint.tracking: expected \{ monitor/);
  });
});
