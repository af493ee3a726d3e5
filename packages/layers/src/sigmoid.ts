import { defineActivation } from './activation.js';

/** y = 1 / (1 + e^-x) elementwise; dx = dy * y * (1 - y). Any shape. */
export const sigmoid = defineActivation({
  type: 'sigmoid',
  description: 'Logistic sigmoid 1 / (1 + e^-x), elementwise',
  forward: (backend, input, _options, out) => backend.sigmoid(input, out),
  backward: (backend, { output }, outputGrad, _options, out) => backend.sigmoidBackward(output, outputGrad, out),
});
