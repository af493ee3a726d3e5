import { DataFormatError } from '@scratchnet/spec';
import type { Loss } from '@scratchnet/spec';
import { allocate, formatShape, shapeSize, Tensor } from '@scratchnet/tensor';
import type { DType, FloatArray, Shape } from '@scratchnet/tensor';
import { createBatcher } from './batcher.js';
import type { LabelledImages } from './batcher.js';
import type { Network } from './network.js';

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

/** Loss, accuracy and confusion matrix of `network` (eval mode) on a labelled data set. */
export function evaluate(
  network: Network,
  loss: Loss,
  data: LabelledImages & { readonly source?: string },
  options: EvaluateOptions = {},
): EvaluationResult {
  const classes = classCount(network);
  checkLabels(data, classes);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const batcher = createBatcher(data, { batchSize: options.batchSize ?? 256, shuffle: false, dtype: network.dtype });
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

function inDType(data: FloatArray, dtype: DType): FloatArray {
  if (data instanceof Float64Array === (dtype === 'float64')) return data;
  const copy = allocate(dtype, data.length);
  copy.set(data);
  return copy;
}

/** Class probabilities and predicted classes for sample-major `images` of `sampleShape`. */
export function predict(
  network: Network,
  loss: Loss,
  images: Float32Array | Float64Array,
  sampleShape: Shape,
  options: EvaluateOptions = {},
): Prediction {
  const sampleSize = shapeSize(sampleShape);
  if (sampleSize !== shapeSize(network.inputShape) || images.length % sampleSize !== 0) {
    throw new RangeError(
      `predict: expected samples of ${formatShape(network.inputShape)} (${shapeSize(network.inputShape)} values), ` +
        `got ${images.length} values of ${formatShape(sampleShape)} samples`,
    );
  }
  const count = images.length / sampleSize;
  const classes = classCount(network);
  const batchSize = options.batchSize ?? 256;
  const probabilities = Tensor.zeros([count, classes], network.dtype);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    const data = images.subarray(start * sampleSize, end * sampleSize);
    const x = new Tensor([end - start, ...sampleShape], inDType(data, network.dtype));
    const p = loss.probabilities(network.forward(x, 'eval').output);
    probabilities.data.set(p.data, start * classes);
  }
  return { probabilities, classes: network.backend.argmaxRows(probabilities) };
}
