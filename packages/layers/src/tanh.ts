import { defineActivation } from './activation.js';

/** y = tanh(x) elementwise; dx = dy * (1 - y^2). Any shape. */
export const tanh = defineActivation({
  type: 'tanh',
  description: 'Hyperbolic tangent, elementwise',
  forward: (backend, input, _options, out) => backend.tanh(input, out),
  backward: (backend, { output }, outputGrad, _options, out) => backend.tanhBackward(output, outputGrad, out),
});
