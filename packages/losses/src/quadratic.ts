import { defineSquaredErrorLoss } from './squared-error.js';

/**
 * Mean quadratic cost (Nielsen's tutorial 1): loss = (1/(2n)) * sum over samples and classes of
 * (p - onehot)^2, gradient (p - onehot)/n. Predictions are used as they are (e.g. sigmoid outputs).
 */
export const quadratic = defineSquaredErrorLoss(
  'quadratic',
  'Mean squared error against one-hot labels, (1/2n) * sum (p - onehot)^2',
  true,
);
