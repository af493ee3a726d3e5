import { defineActivation } from './activation.js';

/** y = max(x, 0) elementwise; dx = x > 0 ? dy : 0 (the kink at 0 takes the left slope). */
export const relu = defineActivation({
  type: 'relu',
  description: 'Rectified linear unit max(x, 0), elementwise',
  forward: (backend, input) => backend.leakyRelu(input, 0),
  backward: (backend, { input }, outputGrad) => backend.leakyReluBackward(input, 0, outputGrad),
});
