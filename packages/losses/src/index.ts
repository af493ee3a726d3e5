import { quadratic } from './quadratic.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';
import { sumSquaredError } from './sum-squared-error.js';

export { quadratic } from './quadratic.js';
export { sumSquaredError } from './sum-squared-error.js';
export { softmaxCrossEntropy, type SoftmaxCrossEntropyOptions } from './softmax-cross-entropy.js';

/** Every built-in loss, for `registry.register` in a loop. */
export const losses = [quadratic, sumSquaredError, softmaxCrossEntropy] as const;
