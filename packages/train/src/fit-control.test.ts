import { describe, expect, it } from 'vitest';
import { ConfigError, defineSchedule, type Augmenter, type ExperimentConfig, type ModelConfig, type Schedule, type StepOptions } from '@scratchnet/spec';
import { createRng, type Rng, type Shape } from '@scratchnet/tensor';
import { augmentBatch, batchStream, type AugmentStep } from './augment-batch.js';
import { buildNetwork, createTrainingParts, decodeCheckpoint, encodeCheckpoint, fit } from './index.js';
import type { FitOptions, TrainingEvent } from './index.js';
import { backend, createFakeRegistry, createTestRegistry, syntheticData, testPlugins } from './test-fixtures.js';
import { clipGradientNorm, createTracker, warmupFactor } from './training-control.js';

const registry = createTestRegistry();
const model: ModelConfig = { input: [6], layers: [{ type: 't-dense', units: 8 }, { type: 't-relu' }, { type: 't-dense', units: 3 }] };
type Parts = Pick<ExperimentConfig, 'loss' | 'optimiser' | 'schedule' | 'training'>;
const base: Parts = {
  loss: { type: 't-cross-entropy' },
  optimiser: { type: 't-momentum', momentum: 0.9, weightDecay: 0 },
  schedule: { type: 't-fixed', learningRate: 0.05 },
  training: { epochs: 6, batchSize: 8, lastBatch: 'keep', shuffle: true, backend: 'js', threads: 1 },
};
const data = syntheticData(40, 6, 3, 5);
const validation = syntheticData(20, 6, 3, 6);

function setup(training: Partial<FitOptions['training']> = {}, seed = 3) {
  const parts = { ...base, training: { ...base.training, ...training } };
  const network = buildNetwork(model, registry, { seed, backend, classes: 3 });
  const { loss, optimiser, schedule } = createTrainingParts(parts, registry, network, data.count);
  return { network, loss, optimiser, schedule, training: parts.training, rng: createRng(seed + 99) };
}
const weightsOf = (network: ReturnType<typeof setup>['network']): number[][] => network.parameters.map((p) => [...p.value.data]);

/** Adds a seeded value to every chosen sample and counts what it saw. */
function noise(seen: { samples: number; calls: number }): Augmenter {
  return {
    apply(images, sampleShape: Shape, which, rng: Rng) {
      seen.calls++;
      const size = sampleShape.reduce((a, b) => a * b, 1);
      for (const i of which) {
        seen.samples++;
        const delta = rng.uniform(-0.5, 0.5);
        for (let k = 0; k < size; k++) images[i * size + k] = images[i * size + k]! + delta;
      }
    },
  };
}

describe('augmentation in fit', () => {
  it('transforms each training sample once per epoch at probability 1, none at 0, and never validation data', async () => {
    for (const [probability, expected] of [
      [1, 6 * 40],
      [0, 0],
    ] as const) {
      const seen = { samples: 0, calls: 0 };
      const run = setup();
      await fit(run.network, { ...run, train: data, validation, augment: [{ type: 'noise', augmenter: noise(seen), probability }] });
      expect(seen.samples).toBe(expected);
    }
  });

  it('changes training, is bit-reproducible, and resumes mid-epoch bit-identically', async () => {
    const step = (): AugmentStep[] => [{ type: 'noise', augmenter: noise({ samples: 0, calls: 0 }), probability: 0.5 }];
    const plain = setup();
    await fit(plain.network, { ...plain, train: data });
    const once = setup();
    await fit(once.network, { ...once, train: data, augment: step() });
    const twice = setup();
    await fit(twice.network, { ...twice, train: data, augment: step() });
    expect(weightsOf(once.network)).toEqual(weightsOf(twice.network));
    expect(weightsOf(once.network)).not.toEqual(weightsOf(plain.network));

    const first = setup();
    const controller = new AbortController();
    const aborted = await fit(first.network, {
      ...first,
      train: data,
      augment: step(),
      signal: controller.signal,
      onEvent: (e) => {
        if (e.event === 'batch-end' && e.epoch === 3 && e.batch === 2) controller.abort();
      },
    });
    expect(aborted.status).toBe('aborted');
    const second = setup();
    await fit(second.network, { ...second, train: data, augment: step(), resume: decodeCheckpoint(encodeCheckpoint(aborted.checkpoint)) });
    expect(weightsOf(second.network)).toEqual(weightsOf(once.network));
  });

  it('draws per sample whether to transform, from the batch stream, which depends only on the seed and batch index', () => {
    const seen = { samples: 0, calls: 0 };
    const images = new Float32Array(100 * 2);
    augmentBatch([{ type: 'noise', augmenter: noise(seen), probability: 0.3 }], images, 100, [2], batchStream(7, 4));
    expect(seen.samples).toBeGreaterThan(15);
    expect(seen.samples).toBeLessThan(45);
    const again = new Float32Array(100 * 2);
    augmentBatch([{ type: 'noise', augmenter: noise({ samples: 0, calls: 0 }), probability: 0.3 }], again, 100, [2], batchStream(7, 4));
    expect(again).toEqual(images);
    expect(batchStream(7, 4).next()).not.toBe(batchStream(7, 5).next());
  });
});

describe('early stopping and restoreBest', () => {
  it('refuses both without a validation set, naming the option', async () => {
    const run = setup({ earlyStopping: { monitor: 'validation.loss', patience: 1, minDelta: 0 } });
    await expect(fit(run.network, { ...run, train: data })).rejects.toThrow(ConfigError);
    const best = setup({ restoreBest: true });
    await expect(fit(best.network, { ...best, train: data })).rejects.toThrow(/training.restoreBest|watches a validation metric/);
  });

  it('stops after `patience` epochs without an improvement larger than minDelta', async () => {
    // No accuracy can rise by 2: only the first epoch improves, so patience 2 stops after epoch 3.
    const run = setup({ epochs: 10, earlyStopping: { monitor: 'validation.accuracy', patience: 2, minDelta: 2 } });
    const result = await fit(run.network, { ...run, train: data, validation });
    expect(result.stoppedAfter).toBe(3);
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(result.checkpoint.epoch).toBe(3);
  });

  it('keeps the best validation epoch weights, also across an interruption', async () => {
    const checkpoints = new Map<number, number[][]>();
    const run = setup({ restoreBest: true, epochs: 8 });
    run.schedule = { learningRate: (i: number) => (i < 20 ? 0.05 : 0.6) };
    const result = await fit(run.network, {
      ...run,
      train: data,
      validation,
      onEvent: (e: TrainingEvent) => {
        if (e.event === 'epoch-end') checkpoints.set(e.epoch, Object.values(e.checkpoint().weights).map((t) => [...t.data]));
      },
    });
    const losses = result.history.map((h) => h.validation!.loss);
    const bestEpoch = losses.indexOf(Math.min(...losses)) + 1;
    expect(result.best?.epoch).toBe(bestEpoch);
    expect(result.best?.value).toBe(Math.min(...losses));
    expect(bestEpoch).toBeLessThan(8);
    expect(Object.values(result.best!.weights).slice(0, run.network.parameters.length).map((t) => [...t.data])).toEqual(checkpoints.get(bestEpoch));

    const first = setup({ restoreBest: true, epochs: 8 });
    first.schedule = run.schedule;
    const controller = new AbortController();
    const aborted = await fit(first.network, {
      ...first,
      train: data,
      validation,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.event === 'batch-end' && e.epoch === bestEpoch + 1 && e.batch === 1) controller.abort();
      },
    });
    const saved = decodeCheckpoint(encodeCheckpoint(aborted.checkpoint));
    expect(saved.tracking).toMatchObject({ monitor: 'validation.loss', bestEpoch });
    const second = setup({ restoreBest: true, epochs: 8 });
    second.schedule = run.schedule;
    const resumed = await fit(second.network, { ...second, train: data, validation, resume: saved });
    expect(resumed.best?.epoch).toBe(bestEpoch);
    expect(Object.values(resumed.best!.weights).map((t) => [...t.data])).toEqual(Object.values(result.best!.weights).map((t) => [...t.data]));
    expect(weightsOf(second.network)).toEqual(weightsOf(run.network));
  });

  it('tracks like Keras: the first epoch is the best so far; minDelta is absolute', () => {
    const tracker = createTracker({ earlyStopping: { monitor: 'validation.loss', patience: 1, minDelta: 0.1 } })!;
    expect(tracker.observe(1, { loss: 1, accuracy: 0.5 })).toBe(true);
    expect(tracker.observe(2, { loss: 0.95, accuracy: 0.5 })).toBe(false);
    expect(tracker.shouldStop).toBe(true);
    expect(tracker.observe(3, { loss: 0.8, accuracy: 0.5 })).toBe(true);
    expect(tracker.state()).toEqual({ monitor: 'validation.loss', bestEpoch: 3, bestValue: 0.8, badEpochs: 0 });
    expect(createTracker({})).toBeUndefined();
  });
});

describe('gradient clipping, warm-up and schedule hooks', () => {
  it('clips the global gradient norm to clipNorm and leaves smaller gradients alone', () => {
    const run = setup();
    const [first, second] = run.network.parameters;
    first!.grad.data.fill(0);
    second!.grad.data.fill(0);
    first!.grad.data[0] = 3;
    second!.grad.data[0] = 4;
    expect(clipGradientNorm(run.network.parameters, 10)).toBe(5);
    expect(first!.grad.data[0]).toBe(3);
    expect(clipGradientNorm(run.network.parameters, 1)).toBe(5);
    expect(first!.grad.data[0]).toBeCloseTo(0.6, 6);
    expect(second!.grad.data[0]).toBeCloseTo(0.8, 6);
  });

  it('moves the weights by at most lr * clipNorm in a plain SGD step', async () => {
    const run = setup({ epochs: 1, batchSize: 40, clipNorm: 1e-3 });
    run.optimiser = createTrainingParts({ ...base, optimiser: { type: 't-momentum', momentum: 0, weightDecay: 0 } }, registry, run.network, data.count).optimiser;
    const before = weightsOf(run.network).flat();
    await fit(run.network, { ...run, train: data });
    const moved = Math.hypot(...weightsOf(run.network).flat().map((w, i) => w - before[i]!));
    // float32 weights round each coordinate by up to an ulp (about 1e-8 here).
    expect(moved).toBeLessThanOrEqual(0.05 * 1e-3 * 1.001);
    expect(moved).toBeGreaterThan(0.05 * 1e-3 * 0.99);
  });

  it('warms any schedule up linearly over warmupEpochs', async () => {
    const rates: number[] = [];
    const run = setup({ epochs: 2, warmupEpochs: 1.5 });
    await fit(run.network, { ...run, train: data, onEvent: (e) => e.event === 'batch-end' && rates.push(e.learningRate) });
    // 5 batches per epoch: 1.5 epochs = 8 iterations of warm-up.
    expect(rates.slice(0, 9)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 8].map((k) => (0.05 * k) / 8));
    expect(warmupFactor(0, 0)).toBe(1);
  });

  it('passes the schedule momentum to the optimiser, shows it every epoch, and saves its state for resume', async () => {
    const observed: number[] = [];
    let state = 0;
    const schedule: Schedule = {
      learningRate: () => 0.05,
      momentum: (i) => (i % 2 === 0 ? 0.8 : undefined),
      observe: (metrics) => {
        observed.push(metrics.epoch);
        expect(metrics.validation?.loss).toBeGreaterThan(0);
        state += 1;
      },
      state: () => ({ observed: state }),
      loadState: (saved) => {
        state = (saved as { observed: number }).observed;
      },
    };
    const run = setup({ epochs: 3 });
    const steps: (StepOptions | undefined)[] = [];
    const inner = run.optimiser;
    run.optimiser = { ...inner, step: (lr, options) => (steps.push(options), inner.step(lr, options)) };
    const result = await fit(run.network, { ...run, schedule, train: data, validation });
    expect(observed).toEqual([1, 2, 3]);
    expect(steps.slice(0, 3)).toEqual([{ momentum: 0.8 }, undefined, { momentum: 0.8 }]);
    expect(decodeCheckpoint(encodeCheckpoint(result.checkpoint)).schedule).toEqual({ observed: 3 });
    state = 0;
    const again = setup({ epochs: 4 });
    await fit(again.network, { ...again, schedule, train: data, validation, resume: result.checkpoint });
    expect(state).toBe(4);
  });
});

describe('a schedule that cycles momentum', () => {
  it('is refused with an optimiser configured without momentum, before training, naming optimiser.momentum', () => {
    const network = buildNetwork(model, registry, { seed: 1, backend, classes: 3 });
    const cycling = defineSchedule({
      kind: 'schedule',
      type: 't-cycling',
      specVersion: 1,
      description: 'cycles momentum',
      optionsSchema: { type: 'object' },
      create: () => ({ learningRate: () => 0.1, momentum: () => 0.9 }),
    });
    const withCycling = createFakeRegistry([...testPlugins, cycling]);
    const parts = { ...base, optimiser: { type: 't-momentum', momentum: 0, weightDecay: 0 }, schedule: { type: 't-cycling' } };
    expect(() => createTrainingParts(parts, withCycling, network, data.count)).toThrow(/optimiser\.momentum \(t-momentum\): is 0, so the optimiser keeps no velocity/);
    expect(() => createTrainingParts({ ...parts, optimiser: { type: 't-momentum', momentum: 0.5, weightDecay: 0 } }, withCycling, network, data.count)).not.toThrow();
  });
});
