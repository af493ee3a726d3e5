import { SPEC_VERSION, defineLayer } from '@scratchnet/spec';
import { requireSampleShape } from './shapes.js';

export interface SwishOptions {
  /** Steepness β of the gate sigmoid(β·x); β = 1 is SiLU. */
  readonly beta: number;
}

/**
 * Swish (Ramachandran et al., 2017), elementwise on any per-sample shape, with s = sigmoid(β·x):
 *   y  = x · s
 *   dx = dy · (s + β · x · s · (1 - s))
 * Built from Backend kernels only, so a faster backend speeds it up too.
 */
export const swish = defineLayer<SwishOptions>({
  kind: 'layer',
  type: 'swish',
  specVersion: SPEC_VERSION,
  description: 'Swish activation y = x * sigmoid(beta * x) (SiLU for beta = 1)',
  optionsSchema: {
    type: 'object',
    properties: {
      beta: { type: 'number', exclusiveMinimum: 0, default: 1, description: 'Steepness of the gate sigmoid(beta * x).' },
    },
    additionalProperties: false,
  },
  outputShape: (inputShape, options) => requireSampleShape(options.type, inputShape),
  create({ beta }, { backend }) {
    return {
      params: {},
      forward(input) {
        const gate = backend.sigmoid(backend.scale(input, beta));
        const output = backend.mul(input, gate);
        return {
          output,
          backward(outputGrad) {
            // dy·s + β·(dy·x)·s·(1 - s); sigmoidBackward(s, t) is t·s·(1 - s).
            const viaInput = backend.sigmoidBackward(gate, backend.mul(outputGrad, input));
            return backend.axpy(beta, viaInput, backend.mul(outputGrad, gate));
          },
        };
      },
    };
  },
});
