import { SPEC_VERSION, defineSchedule } from '@scratchnet/spec';
import { learningRateProperty, objectSchema, unitProperty } from './schema.js';
import { checkContext, elapsed } from './time-unit.js';
import type { TimeUnit } from './time-unit.js';

export interface ExponentialOptions {
  readonly learningRate: number;
  readonly gamma: number;
  readonly unit: TimeUnit;
}

/**
 * lr(t) = learningRate * gamma^t, with t the completed epochs (unit epoch: constant within an
 * epoch, as PyTorch's ExponentialLR stepped once per epoch; no fractional epochs) or the
 * 0-based iteration (unit iteration: decays every step, as Caffe's "exp" policy).
 */
export const exponential = defineSchedule<ExponentialOptions>({
  kind: 'schedule',
  type: 'exponential',
  specVersion: SPEC_VERSION,
  description: 'Multiply the learning rate by gamma every epoch (or iteration)',
  optionsSchema: objectSchema({
    learningRate: learningRateProperty,
    gamma: { type: 'number', exclusiveMinimum: 0, default: 0.95, description: 'Factor applied per unit (> 0).' },
    unit: unitProperty,
  }),
  create(options, context) {
    checkContext('exponential', context);
    const { learningRate, gamma, unit } = options;
    return { learningRate: (iteration) => learningRate * gamma ** elapsed(iteration, unit, context) };
  },
});
