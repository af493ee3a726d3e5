import { SPEC_VERSION, defineSchedule } from '@scratchnet/spec';
import { learningRateProperty, objectSchema } from './schema.js';

export interface InvOptions {
  readonly learningRate: number;
  readonly gamma: number;
  readonly power: number;
}

/**
 * Caffe's "inv" policy: lr(iter) = learningRate * (1 + gamma * iter)^(-power), with iter the
 * 0-based optimiser iteration (Caffe's LeNet solver uses gamma 1e-4, power 0.75).
 */
export const inv = defineSchedule<InvOptions>({
  kind: 'schedule',
  type: 'inv',
  specVersion: SPEC_VERSION,
  description: "Caffe's inv policy: learningRate * (1 + gamma * iteration)^-power",
  optionsSchema: objectSchema({
    learningRate: learningRateProperty,
    gamma: { type: 'number', minimum: 0, default: 1e-4, description: 'How fast the rate falls per iteration (>= 0).' },
    power: { type: 'number', minimum: 0, default: 0.75, description: 'Exponent of the decay (>= 0).' },
  }),
  create(options) {
    const { learningRate, gamma, power } = options;
    return { learningRate: (iteration) => learningRate * (1 + gamma * iteration) ** -power };
  },
});
