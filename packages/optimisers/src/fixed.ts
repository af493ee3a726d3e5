import { SPEC_VERSION, defineSchedule } from '@scratchnet/spec';
import { learningRateProperty, objectSchema } from './schema.js';

export interface FixedOptions {
  readonly learningRate: number;
}

/** lr(t) = learningRate for every iteration. */
export const fixed = defineSchedule<FixedOptions>({
  kind: 'schedule',
  type: 'fixed',
  specVersion: SPEC_VERSION,
  description: 'A constant learning rate',
  optionsSchema: objectSchema({ learningRate: learningRateProperty }),
  create(options) {
    const { learningRate } = options;
    return { learningRate: () => learningRate };
  },
});
