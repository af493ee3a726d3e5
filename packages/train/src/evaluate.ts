import { DataFormatError } from '@scratchnet/spec';
import type { Loss } from '@scratchnet/spec';
import { allocate, formatShape, shapeSize, Tensor } from '@scratchnet/tensor';
import type { Shape } from '@scratchnet/tensor';
import { createBatchFiller } from './batch-filler.js';
import { createBatcher } from './batcher.js';
import type { LabelledImages } from './batcher.js';
import type { Network } from './network.js';
import type { BatchPreprocess, ImageValues } from './preprocess.js';

export interface EvaluationResult {
  /** Loss per sample (for summed losses too), the same whatever the evaluation batch size. */
  readonly loss: number;
  /** Fraction of samples whose arg-max output is their label. */
  readonly accuracy: number;
  /** confusion[label][predicted] = number of samples. */
  readonly confusion: number[][];
  readonly count: number;
}

export interface EvaluateOptions {
  /** Samples per forward pass (memory, not results; default 256). */
  readonly batchSize?: number;
}

export interface PredictOptions extends EvaluateOptions {
  /**
   * Fitted preprocessing (createPreprocess) prepared for samples of the given sampleShape, run on
   * every batch as it is gathered, as training ran it; its outputShape must fit the network.
   */
  readonly preprocess?: BatchPreprocess;
}

/** Number of classes a network scores: the size of its per-sample output. */
export const classCount = (network: Network): number => shapeSize(network.outputShape);

/** Validates labels at the edge, so the hot loops can index by them. */
export function checkLabels(data: LabelledImages & { readonly source?: string }, classes: number): void {
  for (let i = 0; i < data.count; i++) {
    const label = data.labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new DataFormatError(
        { file: data.source ?? 'data set' },
        `labels 0..${classes - 1} (the network scores ${classes} classes)`,
        `label ${label} at sample ${i}`,
        'Check the data set, or give the last layer one unit per class.',
      );
    }
  }
}

/** Counts rows whose predicted class equals the label. */
export function countCorrect(predicted: Int32Array, labels: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct;
}

/**
 * Loss, accuracy and confusion matrix of `network` (eval mode) on a labelled data set, in
 * batches made as training makes them (bytes converted and `data.preprocess` run per batch).
 */
export function evaluate(
  network: Network,
  loss: Loss,
  data: LabelledImages & { readonly source?: string },
  options: EvaluateOptions = {},
): EvaluationResult {
  const classes = classCount(network);
  checkLabels(data, classes);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  // The network's backend gathers (in place from byte images already in its memory); the batch
  // buffer stays plain, since evaluation runs every epoch and backend memory is never reclaimed.
  const batcher = createBatcher(data, { batchSize: options.batchSize ?? 256, shuffle: false, dtype: network.dtype, backend: network.backend, resident: false });
  let lossSum = 0;
  let correct = 0;
  for (let b = 0; b < batcher.batchesPerEpoch; b++) {
    const batch = batcher.batch(b);
    const { output } = network.forward(batch.images, 'eval', { reuse: true });
    // A mean-reduced batch loss stands for batch.size samples; a summed one already adds them.
    const batchLoss = loss.forward(output, batch.labels).loss;
    lossSum += loss.reduction === 'sum' ? batchLoss : batchLoss * batch.size;
    const predicted = network.backend.argmaxRows(output);
    correct += countCorrect(predicted, batch.labels);
    for (let i = 0; i < batch.size; i++) confusion[batch.labels[i]!]![predicted[i]!]!++;
  }
  const count = data.count;
  return { loss: count === 0 ? NaN : lossSum / count, accuracy: count === 0 ? NaN : correct / count, confusion, count };
}

export interface Prediction {
  /** [count, classes]: the loss's probabilities of the network outputs. */
  readonly probabilities: Tensor;
  /** Most probable class per sample. */
  readonly classes: Int32Array;
}

/**
 * Class probabilities and predicted classes for sample-major `images` (floats or bytes) of
 * `sampleShape`, in batches made as training makes them: converted to float32 and, with
 * `options.preprocess`, preprocessed per batch.
 */
export function predict(network: Network, loss: Loss, images: ImageValues, sampleShape: Shape, options: PredictOptions = {}): Prediction {
  const sampleSize = shapeSize(sampleShape);
  const inputShape = options.preprocess?.outputShape ?? sampleShape;
  if (shapeSize(inputShape) !== shapeSize(network.inputShape) || (sampleSize === 0 ? images.length !== 0 : images.length % sampleSize !== 0)) {
    throw new RangeError(
      `predict: expected samples of ${formatShape(network.inputShape)} (${shapeSize(network.inputShape)} values), ` +
        `got ${images.length} values of ${formatShape(sampleShape)} samples` +
        (options.preprocess === undefined ? '' : ` (${formatShape(inputShape)} after preprocessing)`),
    );
  }
  const count = sampleSize === 0 ? 0 : images.length / sampleSize;
  const classes = classCount(network);
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 256, count));
  const probabilities = Tensor.zeros([count, classes], network.dtype);
  const filler = createBatchFiller(images, sampleShape, {
    rows: batchSize,
    ...(options.preprocess === undefined ? {} : { preprocess: options.preprocess }),
    backend: network.backend,
  });
  const buffer = allocate(network.dtype, batchSize * shapeSize(inputShape));
  const order = Int32Array.from({ length: count }, (_, i) => i);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    filler.fill(order.subarray(start, end), buffer);
    const x = new Tensor([end - start, ...inputShape], buffer.subarray(0, (end - start) * shapeSize(inputShape)));
    const p = loss.probabilities(network.forward(x, 'eval').output);
    probabilities.data.set(p.data, start * classes);
  }
  return { probabilities, classes: network.backend.argmaxRows(probabilities) };
}
