import { defineActivation } from './activation.js';

export interface LeakyReluOptions {
  /** Slope for x <= 0. */
  readonly slope: number;
}

/** y = x > 0 ? x : slope * x elementwise; dx = x > 0 ? dy : slope * dy. Any shape. */
export const leakyRelu = defineActivation<LeakyReluOptions>({
  type: 'leaky-relu',
  description: 'Leaky ReLU: x for x > 0, slope * x otherwise',
  optionsSchema: {
    type: 'object',
    properties: {
      slope: { type: 'number', default: 0.01, description: 'Slope for x <= 0 (0 gives ReLU).' },
    },
    additionalProperties: false,
  },
  forward: (backend, input, { slope }, out) => backend.leakyRelu(input, slope, out),
  backward: (backend, { input }, outputGrad, { slope }, out) => backend.leakyReluBackward(input, slope, outputGrad, out),
});
