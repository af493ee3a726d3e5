import { defineActivation } from './activation.js';

/**
 * y_ij = e^{x_ij} / sum_k e^{x_ik} over all features of sample i (a [c, h, w] sample is
 * treated as its c*h*w flattened values); dx = y * (dy - sum(dy * y)) per sample. Keeps the
 * input shape. Pair softmax-cross-entropy with raw logits instead of this layer when you can:
 * the fused loss is cheaper and stable for any logits.
 */
export const softmax = defineActivation({
  type: 'softmax',
  description: 'Softmax over each sample\'s (flattened) features',
  forward: (backend, input, _options, out) => backend.softmaxRows(input, out),
  backward: (backend, { output }, outputGrad, _options, out) => backend.softmaxBackward(output, outputGrad, out),
});
