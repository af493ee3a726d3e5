import { ConfigError } from '@scratchnet/spec';
import type { ExperimentConfig, Loss, Optimiser, PluginRegistry, Schedule, TrainingConfig } from '@scratchnet/spec';
import { countBatches } from './batcher.js';
import type { Network } from './network.js';

export interface TrainingParts {
  readonly loss: Loss;
  readonly optimiser: Optimiser;
  readonly schedule: Schedule;
  readonly iterationsPerEpoch: number;
  readonly totalIterations: number;
}

/**
 * Batches in an epoch of `count` samples; a ConfigError when there are none (an empty data set,
 * or fewer samples than batchSize with lastBatch: drop), since no step could ever be taken.
 */
export function batchesPerEpoch(count: number, training: Pick<TrainingConfig, 'batchSize' | 'lastBatch'>): number {
  const batches = countBatches(count, training.batchSize, training.lastBatch);
  if (batches === 0) {
    throw new ConfigError([
      {
        path: ['training', 'batchSize'],
        message:
          `batchSize ${training.batchSize} with lastBatch: ${training.lastBatch} leaves no batch in an epoch of ` +
          `${count} training samples. Lower batchSize or use lastBatch: keep.`,
      },
    ]);
  }
  return batches;
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
 * experiment. `trainCount` (training samples) fixes the iterations per epoch the schedule sees.
 */
export function createTrainingParts(
  config: Pick<ExperimentConfig, 'loss' | 'optimiser' | 'schedule' | 'training'>,
  registry: PluginRegistry,
  network: Network,
  trainCount: number,
): TrainingParts {
  const backend = network.backend;
  const loss = registry.get('loss', config.loss.type).create(config.loss as never, { backend });
  const optimiser = registry
    .get('optimiser', config.optimiser.type)
    .create(config.optimiser as never, { params: network.parameters, backend });
  const iterationsPerEpoch = batchesPerEpoch(trainCount, config.training);
  checkTrainingBatches(network, trainCount, config.training);
  const totalIterations = iterationsPerEpoch * config.training.epochs;
  const schedule = registry
    .get('schedule', config.schedule.type)
    .create(config.schedule as never, { iterationsPerEpoch, totalIterations });
  return { loss, optimiser, schedule, iterationsPerEpoch, totalIterations };
}

/** The loss alone (e.g. for evaluate/predict on a loaded model). */
export function createLoss(options: ExperimentConfig['loss'], registry: PluginRegistry, network: Network): Loss {
  return registry.get('loss', options.type).create(options as never, { backend: network.backend });
}
