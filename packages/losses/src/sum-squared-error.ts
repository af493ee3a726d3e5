import { defineSquaredErrorLoss } from './squared-error.js';

/**
 * Sum-squared error (tutorial 2): loss = (1/2) * sum over samples and classes of (p - onehot)^2,
 * gradient p - onehot. Not averaged over the batch, so the effective step grows with batch size.
 */
export const sumSquaredError = defineSquaredErrorLoss(
  'sum-squared-error',
  'Squared error against one-hot labels summed over the batch, (1/2) * sum (p - onehot)^2',
  false,
);
