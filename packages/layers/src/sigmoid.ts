import { defineActivation } from './activation.js';

/** y = 1 / (1 + e^-x) elementwise; dx = dy * y * (1 - y). Any shape. */
export const sigmoid = defineActivation({
  type: 'sigmoid',
  description: 'Logistic sigmoid 1 / (1 + e^-x), elementwise',
  forward: (backend, input) => backend.sigmoid(input),
  backward: (backend, { output }, outputGrad) => backend.sigmoidBackward(output, outputGrad),
});
