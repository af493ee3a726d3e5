import { describe, expect, it } from 'vitest';
import { ConfigError, DataFormatError, DivergedError } from '@scratchnet/spec';
import type { ExperimentConfig, ModelConfig, Optimiser, OptimiserStepResult } from '@scratchnet/spec';
import { sgd } from '@scratchnet/optimisers';
import { createRng } from '@scratchnet/tensor';
import { buildNetwork, createTrainingParts, decodeCheckpoint, encodeCheckpoint, fit } from './index.js';
import type { EpochEndEvent, TrainingEvent } from './index.js';
import { backend, createTestRegistry, syntheticData } from './test-fixtures.js';

const registry = createTestRegistry();
const model: ModelConfig = {
  input: [6],
  layers: [{ type: 't-dense', units: 8 }, { type: 't-noisy' }, { type: 't-relu' }, { type: 't-dense', units: 3 }],
};
type Parts = Pick<ExperimentConfig, 'loss' | 'optimiser' | 'schedule' | 'training'>;
const config: Parts = {
  loss: { type: 't-cross-entropy' },
  optimiser: { type: 't-momentum', momentum: 0.9, weightDecay: 1e-4 },
  schedule: { type: 't-fixed', learningRate: 0.05 },
  training: { epochs: 3, batchSize: 8, lastBatch: 'keep', shuffle: true, backend: 'js', threads: 1 },
};
const data = syntheticData(30, 6, 3, 11);

function setup(seed: number, parts: Parts = config) {
  const network = buildNetwork(model, registry, { seed, backend, classes: 3 });
  const { loss, optimiser, schedule } = createTrainingParts(parts, registry, network, data.count);
  return { network, loss, optimiser, schedule, training: parts.training, rng: createRng(seed + 1000) };
}
const weightsOf = (network: ReturnType<typeof setup>['network']) => network.parameters.map((p) => [...p.value.data]);

describe('fit', () => {
  it('emits typed events with 1-based epochs and batches', async () => {
    const events: TrainingEvent[] = [];
    const run = setup(1);
    const result = await fit(run.network, { ...run, train: data, validation: data, onEvent: (e) => events.push(e) });
    expect(result.status).toBe('completed');
    const kinds = events.map((e) => e.event);
    expect(kinds.slice(0, 7)).toEqual(['epoch-start', 'batch-end', 'batch-end', 'batch-end', 'batch-end', 'evaluation-end', 'epoch-end']);
    expect(kinds.filter((k) => k === 'epoch-end')).toHaveLength(3);
    const batchEnds = events.filter((e) => e.event === 'batch-end');
    expect(batchEnds.slice(0, 4).map((e) => [e.epoch, e.batch, e.batches, e.iteration, e.samples])).toEqual([
      [1, 1, 4, 1, 8],
      [1, 2, 4, 2, 16],
      [1, 3, 4, 3, 24],
      [1, 4, 4, 4, 30],
    ]);
    expect(batchEnds.every((e) => e.learningRate === 0.05 && Number.isFinite(e.loss))).toBe(true);
    const end = events.find((e): e is EpochEndEvent => e.event === 'epoch-end' && e.epoch === 3)!;
    expect(end.iteration).toBe(12);
    expect(end.validation?.count).toBe(30);
    expect(end.trainAccuracy).toBeGreaterThanOrEqual(0);
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    // The events serialise as NDJSON as they are.
    expect(JSON.parse(JSON.stringify(end))).not.toHaveProperty('checkpoint');
  });

  it('same seeds give bit-identical weights; another seed gives different ones', async () => {
    const train = async (seed: number) => {
      const run = setup(seed);
      await fit(run.network, { ...run, train: data });
      return weightsOf(run.network);
    };
    const first = await train(4);
    expect(await train(4)).toEqual(first);
    expect(await train(5)).not.toEqual(first);
  });

  it('resumes from an epoch-end checkpoint bit-identically', async () => {
    const full = setup(2);
    await fit(full.network, { ...full, train: data });

    const first = setup(2);
    let saved: ReturnType<EpochEndEvent['checkpoint']> | undefined;
    await fit(first.network, {
      ...first,
      train: data,
      onEvent: (e) => {
        if (e.event === 'epoch-end' && e.epoch === 1) saved = e.checkpoint();
      },
    });
    expect(saved).toMatchObject({ epoch: 1, batchInEpoch: 0, iteration: 4 });
    const second = setup(99); // different initial weights and streams: the checkpoint must overwrite all of them
    const result = await fit(second.network, { ...second, train: data, resume: saved! });
    expect(result.status).toBe('completed');
    expect(result.history.map((h) => h.epoch)).toEqual([2, 3]);
    expect(weightsOf(second.network)).toEqual(weightsOf(full.network));
  });

  it('stops at a batch boundary when aborted and resumes mid-epoch bit-identically', async () => {
    const full = setup(3);
    const fullResult = await fit(full.network, { ...full, train: data });

    const first = setup(3);
    const controller = new AbortController();
    const aborted = await fit(first.network, {
      ...first,
      train: data,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.event === 'batch-end' && e.epoch === 2 && e.batch === 2) controller.abort();
      },
    });
    expect(aborted.status).toBe('aborted');
    expect(aborted.checkpoint).toMatchObject({ epoch: 1, batchInEpoch: 2, iteration: 6 });
    expect(aborted.checkpoint.progress.samples).toBe(16);

    const second = setup(77);
    const events: TrainingEvent[] = [];
    // Through the bytes the runner writes to disk.
    const resume = decodeCheckpoint(encodeCheckpoint(aborted.checkpoint));
    const resumed = await fit(second.network, { ...second, train: data, resume, onEvent: (e) => events.push(e) });
    expect(events[0]).toMatchObject({ event: 'epoch-start', epoch: 2, firstBatch: 3, iteration: 6 });
    expect(weightsOf(second.network)).toEqual(weightsOf(full.network));
    expect(resumed.history[0]!.trainLoss).toBe(fullResult.history[1]!.trainLoss);
  });

  it('honours an abort that arrives while it yields to the event loop', async () => {
    const run = setup(6);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 0);
    const result = await fit(run.network, { ...run, train: data, signal: controller.signal, yieldEvery: 0 });
    expect(result.status).toBe('aborted');
    expect(result.checkpoint).toMatchObject({ epoch: 0, batchInEpoch: 1 });
  });

  it('reports divergence of the weights with the parameter name', async () => {
    const run = setup(1, { ...config, schedule: { type: 't-fixed', learningRate: Infinity } });
    const error = await fit(run.network, { ...run, train: data }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergedError);
    expect((error as Error).message).toBe(
      'training diverged: non-finite weights of layers.0.weight at epoch 1 batch 1 (lr=Infinity). ' +
        'Lower the learning rate, or add gradient-friendly initialisation.',
    );
    expect((error as DivergedError).learningRate).toBe(Infinity);
  });

  it("takes the non-finite weights from the optimiser's step result: a built-in one checks in its kernels", async () => {
    const run = setup(1);
    const optimiser = sgd.create({ type: 'sgd', momentum: 0, nesterov: false, weightDecay: 0 } as never, { params: run.network.parameters, backend });
    const error = await fit(run.network, { ...run, optimiser, schedule: { learningRate: () => Infinity }, train: data }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergedError);
    expect(error).toMatchObject({ epoch: 1, batch: 1, what: 'weights of layers.0.weight' });
    // fit believes the step: a result naming a parameter is a divergence, an empty one is not
    // (no scan second-guesses it, so the NaN weights below only surface through the loss).
    const claims = (result: OptimiserStepResult, spoil?: ReturnType<typeof setup>['network']): Optimiser => ({
      step: () => {
        if (spoil) spoil.parameters[3]!.value.data[0] = Number.NaN;
        return result;
      },
      state: () => ({ step: 0, buffers: {} }),
      loadState: () => undefined,
    });
    const again = setup(1);
    const named = await fit(again.network, { ...again, optimiser: claims({ nonFinite: 'layers.3.bias' }), train: data }).catch((e: unknown) => e);
    expect(named).toMatchObject({ epoch: 1, batch: 1, what: 'weights of layers.3.bias' });
    const fresh = setup(1);
    const silent = await fit(fresh.network, { ...fresh, optimiser: claims({}, fresh.network), train: data }).catch((e: unknown) => e);
    expect(silent).toMatchObject({ epoch: 1, batch: 2, what: 'loss' });
  });

  it('scans the weights itself after a third-party optimiser whose step returns nothing', async () => {
    const run = setup(1);
    const steps: unknown[] = [];
    // Writes a NaN into the second parameter on its third step and, like an optimiser written
    // before step results existed, returns nothing.
    const optimiser: Optimiser = {
      step(learningRate) {
        steps.push(run.optimiser.step(learningRate));
        if (steps.length === 3) run.network.parameters[1]!.value.data[2] = Number.NaN;
      },
      state: () => run.optimiser.state(),
      loadState: (state) => run.optimiser.loadState(state),
    };
    const error = await fit(run.network, { ...run, optimiser, train: data }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergedError);
    expect(error).toMatchObject({ epoch: 1, batch: 3, what: `weights of ${run.network.parameters[1]!.name}` });
    expect(steps).toEqual([undefined, undefined, undefined]);
  });

  it('reports a non-finite loss with its epoch, batch and learning rate, before touching the weights', async () => {
    // A rate that halves every step, so the message must name the rate of the failing batch.
    const run = { ...setup(1), schedule: { learningRate: (iteration: number) => 2 ** -(iteration + 1) } };
    const broken = { ...data, images: data.images.slice() };
    broken.images[9 * 6] = Infinity; // sample 9 lands in some batch of epoch 1
    const before = weightsOf(run.network);
    const events: TrainingEvent[] = [];
    const error = await fit(run.network, { ...run, train: broken, onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergedError);
    const batchesDone = events.filter((e) => e.event === 'batch-end').length;
    const rate = 2 ** -(batchesDone + 1);
    expect(error).toMatchObject({ code: 'DIVERGED', epoch: 1, batch: batchesDone + 1, what: 'loss', learningRate: rate });
    expect((error as Error).message.split(' Lower')[0]).toBe(
      `training diverged: non-finite loss at epoch 1 batch ${batchesDone + 1} (lr=${rate}).`,
    );
    if (batchesDone === 0) expect(weightsOf(run.network)).toEqual(before);
  });

  it('only hands out an epoch-end checkpoint inside the handler', async () => {
    const run = setup(1);
    let late: EpochEndEvent | undefined;
    await fit(run.network, { ...run, train: data, onEvent: (e) => e.event === 'epoch-end' && (late = e) });
    expect(() => late!.checkpoint()).toThrow('epoch-end checkpoint() must be called inside the event handler');
  });

  it('rejects a batchSize larger than the training set, a resume point past the epoch and labels the network cannot score', async () => {
    for (const lastBatch of ['keep', 'drop'] as const) {
      const tooLarge = { ...config.training, batchSize: 31, lastBatch };
      expect(() => setup(1, { ...config, training: tooLarge })).toThrow(
        'training.batchSize: 31 is larger than the training set: data.train has 30 samples. ' +
          'Use a batchSize of at most 30, or more training data in data.train.',
      );
      const run = setup(1);
      expect(() => createTrainingParts({ ...config, training: tooLarge }, registry, run.network, data)).toThrow(
        'training.batchSize: 31 is larger than the training set: data.train (synthetic) has 30 samples.',
      );
      const error = await fit(run.network, { ...run, training: tooLarge, train: data }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([
        {
          path: ['training', 'batchSize'],
          message:
            '31 is larger than the training set: data.train (synthetic) has 30 samples. ' +
            'Use a batchSize of at most 30, or more training data in data.train.',
        },
      ]);
      // A batch of the whole set is fine.
      expect(() => setup(1, { ...config, training: { ...tooLarge, batchSize: 30 } })).not.toThrow();
    }
    const run = setup(1);
    const stopped = await fit(run.network, { ...run, train: data, training: { ...config.training, epochs: 1 } });
    const resume = { ...stopped.checkpoint, epoch: 0, batchInEpoch: 9 };
    await expect(fit(run.network, { ...run, train: data, resume })).rejects.toThrow(
      'training.batchSize: the checkpoint stopped after batch 9 of an epoch, but these settings give 4 batches per epoch.',
    );
    const badLabels = { ...data, labels: data.labels.map((l, i) => (i === 4 ? 7 : l)) };
    await expect(fit(run.network, { ...run, train: badLabels })).rejects.toThrow(DataFormatError);
    await expect(fit(run.network, { ...run, train: badLabels })).rejects.toThrow(
      'synthetic: expected labels 0..2 (the network scores 3 classes), found label 7 at sample 4.',
    );
  });
});
