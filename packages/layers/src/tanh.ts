import { defineActivation } from './activation.js';

/** y = tanh(x) elementwise; dx = dy * (1 - y^2). Any shape. */
export const tanh = defineActivation({
  type: 'tanh',
  description: 'Hyperbolic tangent, elementwise',
  forward: (backend, input) => backend.tanh(input),
  backward: (backend, { output }, outputGrad) => backend.tanhBackward(output, outputGrad),
});
