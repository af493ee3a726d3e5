import { ConfigError, DivergedError } from '@scratchnet/spec';
import type { Loss, Optimiser, Schedule, TrainingConfig } from '@scratchnet/spec';
import type { Rng, RngState, Tensor } from '@scratchnet/tensor';
import { augmentBatch, batchStream, type AugmentStep } from './augment-batch.js';
import { createBatcher } from './batcher.js';
import type { LabelledImages } from './batcher.js';
import { restoreCheckpoint, takeCheckpoint } from './checkpoint.js';
import type { Checkpoint, EpochProgress } from './checkpoint.js';
import { checkLabels, classCount, evaluate } from './evaluate.js';
import type { EpochSummary, TrainingEvent } from './events.js';
import { wholeBatchStep, type GradientStep } from './gradient-step.js';
import type { Network } from './network.js';
import { checkTrainingControl, clipGradientNorm, copyWeights, createTracker, warmupFactor, type TrainingControl } from './training-control.js';
import { batchesPerEpoch, checkTrainingBatches, nonFiniteAfterStep } from './training-parts.js';

type DataSet = LabelledImages & { readonly source?: string };

export interface FitOptions {
  readonly train: DataSet;
  /** Evaluated (eval mode) after every epoch when given. */
  readonly validation?: DataSet;
  readonly loss: Loss;
  /** Must have been created over `network.parameters`. */
  readonly optimiser: Optimiser;
  readonly schedule: Schedule;
  readonly training: Pick<TrainingConfig, 'epochs' | 'batchSize' | 'lastBatch' | 'shuffle'> & TrainingControl;
  /** Augmentation applied to every training batch (createAugmentation), from the data stream. */
  readonly augment?: readonly AugmentStep[];
  /** The data stream (shuffling); separate from the model stream `network.rng`. */
  readonly rng: Rng;
  /** Stops at the next batch boundary; fit then resolves with status 'aborted'. */
  readonly signal?: AbortSignal;
  /** Called synchronously for every event. */
  readonly onEvent?: (event: TrainingEvent) => void;
  /** Continue from this checkpoint (same model config, data, training settings and seeds). */
  readonly resume?: Checkpoint;
  /** Accept a `resume` checkpoint without optimiser state (see RestoreOptions.weightsOnly). */
  readonly resumeWeightsOnly?: boolean;
  /** Milliseconds of work between yields to the event loop (default 50). */
  readonly yieldEvery?: number;
  /** Batch size for validation passes (default: training.batchSize). */
  readonly evaluationBatchSize?: number;
  /**
   * How each batch's gradients are computed (default: the whole batch on the calling thread;
   * createDataParallelStep from `@scratchnet/train/node` spreads micro-shards over threads).
   * Built over the same network and loss; fit does not dispose it.
   */
  readonly gradients?: GradientStep;
}

export interface FitResult {
  readonly status: 'completed' | 'aborted';
  /** Where training stopped: the end for 'completed', mid-epoch (or at a boundary) for 'aborted'. */
  readonly checkpoint: Checkpoint;
  /** Epochs finished during this call. */
  readonly history: readonly EpochSummary[];
  /** Early stopping ended training after this epoch (1-based), before training.epochs. */
  readonly stoppedAfter?: number;
  /**
   * With restoreBest: the best validation epoch (1-based, over the whole run, resumes included)
   * and its weights, to load into the network (loadWeights) in place of the last ones.
   */
  readonly best?: { readonly epoch: number; readonly value: number; readonly weights: Readonly<Record<string, Tensor>> };
}

const nextTick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Trains `network` with mini-batch gradient descent: per batch, forward (train mode) -> loss ->
 * backward -> optimiser.step(schedule.learningRate(iteration)). Checks for divergence after every
 * batch (DivergedError; the last epoch-end checkpoint stays valid), yields to the event loop
 * every `yieldEvery` ms, and honours `signal` at batch boundaries.
 */
export async function fit(network: Network, options: FitOptions): Promise<FitResult> {
  const { loss, optimiser, schedule, training, rng, signal, onEvent } = options;
  const emit = onEvent ?? ((): void => undefined);
  const yieldEvery = options.yieldEvery ?? 50;
  const classes = classCount(network);
  checkLabels(options.train, classes);
  if (options.validation) checkLabels(options.validation, classes);

  const batches = batchesPerEpoch(options.train.count, training, options.train.source);
  checkTrainingBatches(network, options.train.count, training);
  const batcher = createBatcher(options.train, {
    batchSize: training.batchSize,
    shuffle: training.shuffle,
    lastBatch: training.lastBatch,
    rng,
    dtype: network.dtype,
    backend: network.backend,
  });

  checkTrainingControl(training, options.validation !== undefined);
  const tracker = createTracker(training, options.resume?.tracking);
  let bestWeights = options.resume?.best;
  const warmupIterations = Math.round((training.warmupEpochs ?? 0) * batches);
  const augment = options.augment ?? [];
  const gradients = options.gradients ?? wholeBatchStep(network, loss);
  const sampleShape = batcher.sampleShape;

  let epoch = 0;
  let firstBatch = 0;
  let iteration = 0;
  let progress: EpochProgress = { lossSum: 0, correct: 0, samples: 0 };
  if (options.resume?.schedule !== undefined) schedule.loadState?.(options.resume.schedule);
  if (options.resume) {
    ({ epoch, iteration, progress } = options.resume);
    firstBatch = options.resume.batchInEpoch;
    if (firstBatch > batches) {
      throw new ConfigError([
        {
          path: ['training', 'batchSize'],
          message:
            `the checkpoint stopped after batch ${firstBatch} of an epoch, but these settings give ${batches} batches ` +
            'per epoch. Resume with the data and training settings the checkpoint was written with.',
        },
      ]);
    }
    restoreCheckpoint(network, optimiser, options.resume, rng, 'checkpoint', { weightsOnly: options.resumeWeightsOnly ?? false });
  }

  const history: EpochSummary[] = [];
  const snapshot = (atEpoch: number, batchInEpoch: number, dataState: RngState, totals: EpochProgress): Checkpoint =>
    takeCheckpoint(network, optimiser, { epoch: atEpoch, batchInEpoch, iteration }, dataState, totals, {
      ...(schedule.state === undefined ? {} : { schedule: schedule.state() }),
      ...(tracker === undefined ? {} : { tracking: tracker.state() }),
      ...(bestWeights === undefined ? {} : { best: bestWeights }),
    });
  const finished = (status: FitResult['status'], checkpoint: Checkpoint, stoppedAfter?: number): FitResult => {
    const tracking = tracker?.state();
    const best =
      training.restoreBest && bestWeights !== undefined && tracking !== undefined && tracking.bestValue !== null
        ? { best: { epoch: tracking.bestEpoch, value: tracking.bestValue, weights: bestWeights } }
        : {};
    return { status, checkpoint, history, ...(stoppedAfter === undefined ? {} : { stoppedAfter }), ...best };
  };
  let lastYield = performance.now();

  for (; epoch < training.epochs; epoch++) {
    if (signal?.aborted) return finished('aborted', snapshot(epoch, firstBatch, rng.state(), progress));
    const epochStartState = rng.state();
    batcher.startEpoch();
    // Drawn only when augmenting, so runs without augmentation keep their shuffles.
    const augmentSeed = augment.length > 0 ? rng.int(0x100000000) : 0;
    const started = performance.now();
    emit({ event: 'epoch-start', epoch: epoch + 1, epochs: training.epochs, batches, firstBatch: firstBatch + 1, iteration });
    let { lossSum, correct, samples } = progress;
    const samplesBefore = samples;
    let learningRate = schedule.learningRate(iteration);

    for (let b = firstBatch; b < batches; b++) {
      if (signal?.aborted) {
        return finished('aborted', snapshot(epoch, b, epochStartState, { lossSum, correct, samples }));
      }
      const batch = batcher.batch(b);
      if (augment.length > 0) augmentBatch(augment, batch.images.data, batch.size, sampleShape, batchStream(augmentSeed, b));
      learningRate = schedule.learningRate(iteration) * warmupFactor(iteration, warmupIterations);
      const momentum = schedule.momentum?.(iteration);
      const result = gradients.compute(batch.images, batch.labels);
      if (!Number.isFinite(result.loss)) throw new DivergedError(epoch + 1, b + 1, 'loss', learningRate);
      correct += result.correct;
      lossSum += result.loss * batch.size;
      samples += batch.size;
      if (training.clipNorm !== undefined) clipGradientNorm(network.parameters, training.clipNorm);
      const stepped = optimiser.step(learningRate, momentum === undefined ? undefined : { momentum });
      iteration++;
      const broken = nonFiniteAfterStep(stepped, network.parameters);
      if (broken !== undefined) throw new DivergedError(epoch + 1, b + 1, `weights of ${broken}`, learningRate);
      emit({
        event: 'batch-end',
        epoch: epoch + 1,
        batch: b + 1,
        batches,
        iteration,
        loss: result.loss,
        learningRate,
        samples,
        samplesPerEpoch: batcher.samplesPerEpoch,
      });
      if (performance.now() - lastYield >= yieldEvery) {
        await nextTick();
        lastYield = performance.now();
      }
    }

    const trainSeconds = (performance.now() - started) / 1000;
    let validation: EpochSummary['validation'];
    if (options.validation) {
      const evaluation = evaluate(network, loss, options.validation, {
        batchSize: options.evaluationBatchSize ?? training.batchSize,
      });
      emit({ event: 'evaluation-end', epoch: epoch + 1, split: 'validation', ...evaluation });
      validation = { loss: evaluation.loss, accuracy: evaluation.accuracy, count: evaluation.count };
      if (tracker?.observe(epoch + 1, validation) && training.restoreBest) bestWeights = copyWeights(network);
    }
    schedule.observe?.({
      epoch: epoch + 1,
      train: { loss: lossSum / samples, accuracy: correct / samples },
      ...(validation === undefined ? {} : { validation: { loss: validation.loss, accuracy: validation.accuracy } }),
    });
    const seconds = (performance.now() - started) / 1000;
    const summary: EpochSummary = {
      epoch: epoch + 1,
      epochs: training.epochs,
      iteration,
      trainLoss: lossSum / samples,
      trainAccuracy: correct / samples,
      ...(validation === undefined ? {} : { validation }),
      learningRate,
      samplesPerSecond: trainSeconds > 0 ? (samples - samplesBefore) / trainSeconds : 0,
      seconds,
    };
    history.push(summary);
    progress = { lossSum: 0, correct: 0, samples: 0 };
    firstBatch = 0;
    const boundary = { epoch: epoch + 1, dataState: rng.state() };
    let cached: Checkpoint | undefined;
    let live = true;
    emit({
      event: 'epoch-end',
      ...summary,
      checkpoint: () => {
        if (!live) throw new Error('epoch-end checkpoint() must be called inside the event handler');
        cached ??= snapshot(boundary.epoch, 0, boundary.dataState, progress);
        return cached;
      },
    });
    live = false;
    if (tracker?.shouldStop && epoch + 1 < training.epochs) {
      return finished('completed', snapshot(epoch + 1, 0, rng.state(), progress), epoch + 1);
    }
  }
  return finished('completed', snapshot(epoch, 0, rng.state(), progress));
}
