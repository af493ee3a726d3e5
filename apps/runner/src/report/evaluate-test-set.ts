import type { Loss } from '@scratchnet/spec';
import { evaluate, predict, type Network } from '@scratchnet/train';
import type { PreparedSet } from '../data/load-data.js';
import { chooseSamples, type ChosenSamples } from './choose-samples.js';

/** What a run learns about its test set: the figures of `runner eval` and the samples a report shows. */
export interface TestEvaluation extends ChosenSamples {
  readonly loss: number;
  readonly accuracy: number;
  readonly count: number;
  readonly classNames: readonly string[];
  /** confusion[label][predicted] = count. */
  readonly confusion: readonly (readonly number[])[];
}

/**
 * Evaluates the test set (preprocessed per batch), then predicts it again for per-sample probabilities
 * (evaluate keeps only totals). Both passes use the same batch size, so the predictions match
 * the ones the confusion matrix counted.
 */
export function evaluateTestSet(network: Network, loss: Loss, test: PreparedSet, classNames: readonly string[], batchSize: number): TestEvaluation {
  const result = evaluate(network, loss, test, { batchSize });
  const prediction = predict(network, loss, test.images, test.sampleShape, { batchSize, preprocess: test.preprocess });
  const chosen = chooseSamples(prediction.probabilities.data, prediction.classes, test.labels);
  return {
    loss: result.loss,
    accuracy: result.accuracy,
    count: result.count,
    classNames,
    confusion: result.confusion,
    ...chosen,
  };
}
