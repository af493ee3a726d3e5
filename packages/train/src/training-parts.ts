import { ConfigError } from '@scratchnet/spec';
import type { ExperimentConfig, Loss, Optimiser, OptimiserStepResult, Parameter, PluginRegistry, Schedule, TrainingConfig } from '@scratchnet/spec';
import { countBatches } from './batcher.js';
import type { Network } from './network.js';

export interface TrainingParts {
  readonly loss: Loss;
  readonly optimiser: Optimiser;
  readonly schedule: Schedule;
  readonly iterationsPerEpoch: number;
  readonly totalIterations: number;
}

/** The training data as the batch checks see it: its size and, for messages, where it came from. */
export interface TrainingSetSize {
  readonly count: number;
  /** e.g. `digits.json [samples 0..59]`; named in the message when batchSize does not fit. */
  readonly source?: string;
}

/**
 * Batches in an epoch of `count` samples. A batchSize larger than the training set is a
 * ConfigError at training.batchSize that also names data.train: every epoch would be one short
 * batch (or none with lastBatch: drop), which is almost always a mistake in one of the two.
 */
export function batchesPerEpoch(
  count: number,
  training: Pick<TrainingConfig, 'batchSize' | 'lastBatch'>,
  source?: string,
): number {
  if (training.batchSize > count) {
    const from = source === undefined ? '' : ` (${source})`;
    throw new ConfigError([
      {
        path: ['training', 'batchSize'],
        message:
          `${training.batchSize} is larger than the training set: data.train${from} has ${count} sample${count === 1 ? '' : 's'}. ` +
          (count === 0 ? 'Give data.train some samples.' : `Use a batchSize of at most ${count}, or more training data in data.train.`),
      },
    ]);
  }
  return countBatches(count, training.batchSize, training.lastBatch);
}

/**
 * Throws a ConfigError (at training.batchSize) when some batch of an epoch of `count` samples is
 * smaller than a layer can train on (Layer.minTrainingBatch: batch norm needs 2), so the plan
 * is refused before any step instead of failing when the short last batch arrives.
 */
export function checkTrainingBatches(network: Network, count: number, training: Pick<TrainingConfig, 'batchSize' | 'lastBatch'>): void {
  const full = Math.min(training.batchSize, count);
  const remainder = count % training.batchSize;
  const smallest = remainder !== 0 && training.lastBatch !== 'drop' && count > training.batchSize ? remainder : full;
  network.layers.forEach(({ layer, type }, index) => {
    const needed = layer.minTrainingBatch ?? 1;
    if (smallest >= needed) return;
    const last = smallest === remainder && smallest !== full;
    throw new ConfigError([
      {
        path: ['training', 'batchSize'],
        message:
          `model.layers[${index}] (${type}) trains on batches of at least ${needed} samples, but ` +
          (last
            ? `${count} training samples in batches of ${training.batchSize} leave a last batch of ${smallest}. ` +
              'Set training.lastBatch: drop or choose another batchSize.'
            : `batchSize is ${smallest}. Use batchSize >= ${needed}.`),
      },
    ]);
  });
}

/**
 * Creates the loss, the optimiser (over `network.parameters`) and the schedule from a validated
 * experiment. `train` (the training sample count, or the data set itself so that messages name
 * its source) fixes the iterations per epoch the schedule sees.
 */
export function createTrainingParts(
  config: Pick<ExperimentConfig, 'loss' | 'optimiser' | 'schedule' | 'training'>,
  registry: PluginRegistry,
  network: Network,
  train: number | TrainingSetSize,
): TrainingParts {
  const { count: trainCount, source } = typeof train === 'number' ? { count: train, source: undefined } : train;
  const backend = network.backend;
  const loss = registry.get('loss', config.loss.type).create(config.loss as never, { backend });
  const optimiser = registry
    .get('optimiser', config.optimiser.type)
    .create(config.optimiser as never, { params: network.parameters, backend });
  const iterationsPerEpoch = batchesPerEpoch(trainCount, config.training, source);
  checkTrainingBatches(network, trainCount, config.training);
  const totalIterations = iterationsPerEpoch * config.training.epochs;
  const schedule = registry
    .get('schedule', config.schedule.type)
    .create(config.schedule as never, { iterationsPerEpoch, totalIterations });
  checkCycledMomentum(config.optimiser, config.schedule.type, schedule);
  return { loss, optimiser, schedule, iterationsPerEpoch, totalIterations };
}

/**
 * A schedule that cycles momentum (one-cycle) needs an optimiser that keeps a velocity: one
 * configured with momentum 0 keeps none and would refuse the first step, after the run had
 * started. Refused here instead, before anything is written.
 */
function checkCycledMomentum(optimiser: ExperimentConfig['optimiser'], scheduleType: string, schedule: Schedule): void {
  const cycled = schedule.momentum?.(0);
  if (cycled === undefined || cycled === 0 || optimiser.momentum !== 0) return;
  throw new ConfigError([
    {
      path: ['optimiser', 'momentum'],
      plugin: optimiser.type,
      message:
        `is 0, so the optimiser keeps no velocity, but the ${scheduleType} schedule cycles momentum (${cycled} at the first step); ` +
        'set momentum > 0 (e.g. 0.9: the schedule replaces it every step) or stop the schedule cycling it (one-cycle: cycleMomentum: false)',
    },
  ]);
}

/**
 * Name of the first parameter whose weights are not all finite after an optimiser step, if any:
 * as the step reported it (the built-in optimisers check in their step kernels, which touch
 * every weight anyway), or, from an optimiser that reports nothing, by scanning every weight.
 */
export function nonFiniteAfterStep(stepped: OptimiserStepResult | void, parameters: readonly Parameter[]): string | undefined {
  // null is no result either (a plain-JavaScript optimiser may return anything).
  return typeof stepped === 'object' && stepped !== null ? stepped.nonFinite : firstNonFinite(parameters);
}

/** Name of the first parameter holding a NaN or infinity. */
function firstNonFinite(parameters: readonly Parameter[]): string | undefined {
  for (const parameter of parameters) {
    const data = parameter.value.data;
    // x * 0 is NaN exactly for NaN and +-Infinity, so one sum checks a whole tensor; four
    // independent sums keep the loop from waiting on each addition (it runs every batch with an
    // optimiser that reports nothing).
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    const end4 = data.length - (data.length % 4);
    for (let i = 0; i < end4; i += 4) {
      p0 += data[i]! * 0;
      p1 += data[i + 1]! * 0;
      p2 += data[i + 2]! * 0;
      p3 += data[i + 3]! * 0;
    }
    for (let i = end4; i < data.length; i++) p0 += data[i]! * 0;
    if (p0 + p1 + p2 + p3 !== 0) return parameter.name;
  }
  return undefined;
}

/** The loss alone (e.g. for evaluate/predict on a loaded model). */
export function createLoss(options: ExperimentConfig['loss'], registry: PluginRegistry, network: Network): Loss {
  return registry.get('loss', options.type).create(options as never, { backend: network.backend });
}
