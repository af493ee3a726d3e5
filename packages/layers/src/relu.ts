import { defineActivation } from './activation.js';

/** y = max(x, 0) elementwise; dx = x > 0 ? dy : 0 (the kink at 0 takes the left slope). */
export const relu = defineActivation({
  type: 'relu',
  description: 'Rectified linear unit max(x, 0), elementwise',
  forward: (backend, input, _options, out) => backend.leakyRelu(input, 0, out),
  backward: (backend, { input }, outputGrad, _options, out) => backend.leakyReluBackward(input, 0, outputGrad, out),
});
