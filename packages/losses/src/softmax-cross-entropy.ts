import { SPEC_VERSION, defineLoss } from '@scratchnet/spec';
import { checkLabels } from './labels.js';

export interface SoftmaxCrossEntropyOptions {
  /** ε in [0, 1): weight moved from the true class to a uniform distribution over all K classes. */
  readonly labelSmoothing: number;
}

/**
 * Softmax + negative log-likelihood fused, on raw logits z [n, K] (no softmax layer before it):
 *   log p = logSoftmax(z) (row-wise, stable for any finite z)
 *   q = (1 - ε) * onehot(label) + ε / K
 *   loss = -(1/n) * sum over samples and classes of q * log p
 *   dLoss/dz = (softmax(z) - q) / n
 * `probabilities(z)` is softmax(z).
 */
export const softmaxCrossEntropy = defineLoss<SoftmaxCrossEntropyOptions>({
  kind: 'loss',
  type: 'softmax-cross-entropy',
  specVersion: SPEC_VERSION,
  description: 'Softmax and cross-entropy on logits, averaged over the batch',
  optionsSchema: {
    type: 'object',
    properties: {
      labelSmoothing: {
        type: 'number',
        minimum: 0,
        exclusiveMaximum: 1,
        default: 0,
        description: 'Move this share of each target to a uniform distribution over the classes.',
      },
    },
    additionalProperties: false,
  },
  create({ labelSmoothing: smoothing }, { backend }) {
    return {
      forward(logits, labels) {
        const classes = checkLabels('softmax-cross-entropy', logits, labels);
        const n = labels.length;
        const perSample = n === 0 ? 0 : 1 / n;
        const logProbabilities = backend.logSoftmaxRows(logits);
        // Accumulating negatives from +0 keeps a perfect prediction's loss +0 rather than -0.
        let trueClass = 0;
        for (let i = 0; i < n; i++) trueClass -= logProbabilities.data[i * classes + labels[i]!]!;
        const uniform = smoothing === 0 ? 0 : (smoothing / classes) * (0 - backend.sum(logProbabilities));
        return {
          loss: perSample * ((1 - smoothing) * trueClass + uniform),
          backward() {
            const grad = backend.softmaxRows(logits);
            const g = grad.data;
            for (let i = 0; i < n; i++) g[i * classes + labels[i]!]! -= 1 - smoothing;
            if (smoothing !== 0) {
              const share = smoothing / classes;
              for (let j = 0; j < g.length; j++) g[j]! -= share;
            }
            return backend.scale(grad, perSample, grad);
          },
        };
      },
      probabilities: (logits) => backend.softmaxRows(logits),
    };
  },
});
