import { type LossPlugin, SPEC_VERSION } from '@scratchnet/spec';
import { checkLabels } from './labels.js';

/**
 * Squared error against one-hot labels, p [n, classes], t = onehot(labels):
 *   loss = (c / 2) * sum over samples and classes of (p - t)^2,   dLoss/dp = c * (p - t)
 * with c = 1/n when `averageOverBatch`, else 1. `probabilities` passes predictions through.
 */
export function defineSquaredErrorLoss(type: string, description: string, averageOverBatch: boolean): LossPlugin<Record<never, never>> {
  return {
    kind: 'loss',
    type,
    specVersion: SPEC_VERSION,
    description,
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
    create(_options, { backend }) {
      return {
        forward(predictions, labels) {
          const classes = checkLabels(type, predictions, labels);
          const n = labels.length;
          const c = averageOverBatch ? (n === 0 ? 0 : 1 / n) : 1;
          const diff = predictions.clone();
          for (let i = 0; i < n; i++) diff.data[i * classes + labels[i]!]! -= 1;
          return {
            loss: (c / 2) * backend.sumOfSquares(diff),
            backward: () => backend.scale(diff, c),
          };
        },
        // The network's own outputs, one independent score per class.
        probabilities: (predictions) => predictions,
        outputs: 'scores',
        reduction: averageOverBatch ? 'mean' : 'sum',
      };
    },
  };
}
