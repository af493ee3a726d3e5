import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { DivergedError } from '@scratchnet/spec';
import { createDataParallelStep } from '@scratchnet/train/node';
import {
  fit,
  loadWeights,
  serialiseModel,
  takeCheckpoint,
  type Checkpoint,
  type EpochEndEvent,
  type FitResult,
  type SerialisedModel,
  type TrainingEvent,
} from '@scratchnet/train';
import { pluginRecords } from '../model-plugins.js';
import { writeEvaluation } from '../report/evaluation-file.js';
import { evaluateTestSet } from '../report/evaluate-test-set.js';
import type { EpochEvent, Reporter, SplitMetrics, SummaryEvent } from '../output/events.js';
import { writeFailure, writeFileAtomic, writeFolderAtomic } from '../run-dir/atomic.js';
import { CHECKPOINT_FILE, writeCheckpoint } from '../run-dir/checkpoints.js';
import { writeModelFiles } from '../run-dir/model-files.js';
import type { RunPaths } from '../run-dir/run-dir.js';
import { trainingWarnings } from './training-warnings.js';
import type { PreparedRun } from './prepare-run.js';

export interface TrainingOptions {
  readonly resume?: Checkpoint;
  /** The resume checkpoint holds weights only (--weights-only-ok): the optimiser starts afresh. */
  readonly resumeWeightsOnly?: boolean;
  readonly signal: AbortSignal;
  /** Epoch lines already in metrics.jsonl (a resumed run), for the summary. */
  readonly previousEpochs: readonly EpochEvent[];
  /** performance.now() when the command started. */
  readonly startedAt: number;
}

export type TrainingOutcome =
  | { readonly status: 'completed'; readonly summary: SummaryEvent }
  | { readonly status: 'aborted'; readonly checkpoint: Checkpoint; readonly file: string }
  | { readonly status: 'diverged'; readonly error: DivergedError; readonly lastGoodEpoch: number; readonly file: string };

/**
 * Trains with checkpoints and metrics written as epochs end, then evaluates the test set and
 * writes the model. The checkpoint (weights, optimiser, random streams, position) replaces the
 * previous one atomically after every epoch, so an interrupted or diverged run always leaves a
 * good one; on a fresh run the initial state is checkpointed too (epoch 0).
 */
export async function runTraining(run: PreparedRun, paths: RunPaths, reporter: Reporter, options: TrainingOptions): Promise<TrainingOutcome> {
  const { experiment, network, parts, data, dataRng } = run;
  /** The model as written into `dir` (plugin module paths are recorded relative to it). */
  const serialise = (dir: string): SerialisedModel =>
    serialiseModel(network, {
      preprocess: data.preprocess,
      classNames: data.classNames,
      loss: experiment.loss,
      name: experiment.name,
      plugins: pluginRecords(run.loaded.plugins, dir),
    });
  const saveCheckpoint = (checkpoint: Checkpoint): string =>
    writeCheckpoint(paths.checkpoints, checkpoint, serialise(paths.checkpoints).weights);

  let lastGood = options.resume?.epoch ?? 0;
  let checkpointFile = join(paths.checkpoints, CHECKPOINT_FILE);
  if (options.resume === undefined) {
    const initial = takeCheckpoint(network, parts.optimiser, { epoch: 0, batchInEpoch: 0, iteration: 0 }, dataRng.state(), {
      lossSum: 0,
      correct: 0,
      samples: 0,
    });
    // checkpoints/ appears whole or not at all: a run killed before it has no model.json without
    // weights for eval to trip on, and --resume finds no checkpoint rather than a broken one.
    const model = serialise(paths.checkpoints);
    writeFolderAtomic(paths.checkpoints, (staging) => {
      writeModelFiles(staging, model, data.input, false);
      writeCheckpoint(staging, initial, model.weights);
    });
  } else {
    // With the weights, which now match the checkpoint being resumed (already restored into the
    // network) even after a crash between a save's renames, or a fall back to previous.
    writeModelFiles(paths.checkpoints, serialise(paths.checkpoints), data.input);
  }

  const epochs: EpochEvent[] = [...options.previousEpochs];
  let trainSamples = 0;
  let trainSeconds = 0;
  let epochStarted = performance.now();
  let runningLoss = 0;
  let runningSamples = 0;
  let previousSamples = 0;
  let lastBatchEnd = epochStarted;
  const warned = new Set<string>();

  const onEvent = (event: TrainingEvent): void => {
    switch (event.event) {
      case 'epoch-start':
        epochStarted = performance.now();
        runningLoss = 0;
        runningSamples = 0;
        // A resumed epoch starts after the batches its checkpoint already covered.
        previousSamples = (event.firstBatch - 1) * experiment.training.batchSize;
        break;
      case 'batch-end': {
        const size = event.samples - previousSamples;
        previousSamples = event.samples;
        lastBatchEnd = performance.now();
        runningLoss += event.loss * size;
        runningSamples += size;
        reporter.progress({
          epoch: event.epoch,
          epochs: experiment.training.epochs,
          samplesDone: event.samples,
          samplesTotal: event.samplesPerEpoch,
          loss: runningLoss / runningSamples,
          elapsed: (performance.now() - epochStarted) / 1000,
        });
        break;
      }
      case 'evaluation-end':
        break;
      case 'epoch-end': {
        const line = epochEvent(event);
        // The line before the checkpoint: after a crash between them, --resume drops lines past
        // the checkpoint's epoch; the other order would lose this epoch's line for good.
        appendMetrics(paths.metrics, line);
        checkpointFile = saveCheckpoint(event.checkpoint());
        lastGood = event.epoch;
        epochs.push(line);
        trainSamples += runningSamples;
        trainSeconds += (lastBatchEnd - epochStarted) / 1000;
        reporter.emit(line);
        reporter.emit({ event: 'checkpoint', epoch: event.epoch, path: checkpointFile });
        for (const message of trainingWarnings(epochs, data.classNames.length, parts.iterationsPerEpoch, warned)) reporter.emit({ event: 'warning', message });
        break;
      }
    }
  };

  let result: FitResult;
  const gradients =
    run.parallel.mode === 'data'
      ? await createDataParallelStep(network, parts.loss, {
          model: experiment.model,
          loss: experiment.loss,
          classes: data.classNames.length,
          shards: run.parallel.shards,
          threads: run.parallel.threads,
        })
      : undefined;
  try {
    result = await fit(network, {
      ...(gradients === undefined ? {} : { gradients }),
      train: data.train,
      ...(data.validation ? { validation: data.validation } : {}),
      loss: parts.loss,
      optimiser: parts.optimiser,
      schedule: parts.schedule,
      training: experiment.training,
      augment: run.augment,
      rng: dataRng,
      signal: options.signal,
      onEvent,
      ...(options.resume ? { resume: options.resume, resumeWeightsOnly: options.resumeWeightsOnly ?? false } : {}),
    });
  } catch (error) {
    if (error instanceof DivergedError) return { status: 'diverged', error, lastGoodEpoch: lastGood, file: checkpointFile };
    throw error;
  } finally {
    await gradients?.dispose?.();
  }

  if (result.status === 'aborted') {
    return { status: 'aborted', checkpoint: result.checkpoint, file: saveCheckpoint(result.checkpoint) };
  }

  // restoreBest: model/ and the test figures are the best validation epoch's; checkpoints/ keeps the last.
  if (result.best) loadWeights(network, result.best.weights);
  // The training batch size, so a loss that sums over the batch (sum-squared-error) is on the
  // same scale as the training loss.
  const evaluation = data.test ? evaluateTestSet(network, parts.loss, data.test, data.classNames, experiment.training.batchSize) : undefined;
  const test = evaluation && metrics(evaluation);
  writeFolderAtomic(paths.model, (staging) => writeModelFiles(staging, serialise(paths.model), data.input));
  if (evaluation) writeEvaluation(paths.evaluation, evaluation, data.test!.source);
  const last = epochs.at(-1);
  const summary: SummaryEvent = {
    event: 'summary',
    runDir: paths.dir,
    epochs: last?.epoch ?? experiment.training.epochs,
    ...(result.stoppedAfter === undefined ? {} : { stoppedEarly: true }),
    ...(result.best ? { bestEpoch: result.best.epoch } : {}),
    train: last?.train ?? { loss: Number.NaN, accuracy: Number.NaN },
    ...(last?.validation ? { validation: last.validation } : {}),
    ...(test ? { test } : {}),
    samplesPerSecond: trainSeconds > 0 ? trainSamples / trainSeconds : 0,
    seconds: (performance.now() - options.startedAt) / 1000,
  };
  writeFileAtomic(paths.summary, `${JSON.stringify(summary, null, 2)}\n`);
  return { status: 'completed', summary };
}

const metrics = (result: { loss: number; accuracy: number }): SplitMetrics => ({ loss: result.loss, accuracy: result.accuracy });

function epochEvent(event: EpochEndEvent): EpochEvent {
  return {
    event: 'epoch',
    epoch: event.epoch,
    epochs: event.epochs,
    train: { loss: event.trainLoss, accuracy: event.trainAccuracy },
    ...(event.validation ? { validation: metrics(event.validation) } : {}),
    learningRate: event.learningRate,
    samplesPerSecond: event.samplesPerSecond,
    seconds: event.seconds,
  };
}

function appendMetrics(file: string, event: EpochEvent): void {
  const { event: _event, ...line } = event;
  try {
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  } catch (error) {
    throw writeFailure(file, error);
  }
}
