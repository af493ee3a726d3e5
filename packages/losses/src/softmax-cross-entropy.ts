import { SPEC_VERSION, defineLoss } from '@scratchnet/spec';
import { type ClassLabels, Tensor } from '@scratchnet/tensor';
import { GradientBuffers } from './gradient-buffers.js';
import { checkLabels } from './labels.js';

export interface SoftmaxCrossEntropyOptions {
  /** ε in [0, 1): weight moved from the true class to a uniform distribution over all K classes. */
  readonly labelSmoothing: number;
}

/**
 * Softmax + negative log-likelihood fused, on raw logits z [n, K] (no softmax layer before it):
 *   log p = logSoftmax(z) (row-wise, stable for any finite z)
 *   q = (1 - ε) * onehot(label) + ε / K
 *   loss = -(1/n) * sum over samples and classes of q * log p   (+0 for a perfect prediction)
 *   dLoss/dz = (softmax(z) - q) / n
 * forward() computes both in one backend.softmaxCrossEntropy call; the tensor backward()
 * returns is a buffer the loss reuses (see GradientBuffers): valid until the loss hands out
 * another gradient and runs forward again. `probabilities(z)` is softmax(z).
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
    const buffers = new GradientBuffers(backend);
    // Labels that are not already a typed array of class indices (plain arrays in tests) are
    // copied into this one, reused while the batch size stays.
    let copied = new Int32Array(0);
    const classIndices = (labels: ArrayLike<number>): ClassLabels => {
      if (labels instanceof Uint8Array || labels instanceof Int32Array) return labels;
      if (copied.length !== labels.length) copied = new Int32Array(labels.length);
      for (let i = 0; i < labels.length; i++) copied[i] = labels[i]!;
      return copied;
    };
    /** Loss and gradient of the batch; the loss summed over it. */
    const evaluate = (logits: Tensor, labels: ArrayLike<number>, grad: Tensor): number =>
      backend.softmaxCrossEntropy(logits, classIndices(labels), smoothing, grad);
    // Off the training path, so plain memory (backend.zeros is for long-lived tensors).
    const recompute = (logits: Tensor, labels: ArrayLike<number>): Tensor => {
      const grad = Tensor.zeros(logits.shape, logits.dtype);
      evaluate(logits, labels, grad);
      return grad;
    };

    return {
      forward(logits, labels) {
        checkLabels('softmax-cross-entropy', logits, labels);
        const n = labels.length;
        const slot = buffers.claim(logits);
        const total = evaluate(logits, labels, slot.grad);
        return {
          loss: n === 0 ? 0 : total / n,
          // A later forward overwrote this result's buffer before its backward(): recompute
          // from the logits and labels as they are now (what a lazy backward would read).
          backward: () => buffers.handOut(slot) ?? recompute(logits, labels),
        };
      },
      probabilities: (logits) => backend.softmaxRows(logits),
    };
  },
});
