import { SPEC_VERSION, defineSchedule } from '@scratchnet/spec';
import { learningRateProperty, objectSchema, unitProperty } from './schema.js';
import { checkContext, elapsed } from './time-unit.js';
import type { TimeUnit } from './time-unit.js';

export interface StepOptions {
  readonly learningRate: number;
  readonly gamma: number;
  readonly stepSize: number;
  readonly unit: TimeUnit;
}

/**
 * lr(t) = learningRate * gamma^floor(t / stepSize), with t the completed epochs (unit epoch)
 * or the 0-based iteration (unit iteration): multiply by gamma every stepSize units, as
 * Caffe's "step" policy and PyTorch's StepLR do.
 */
export const step = defineSchedule<StepOptions>({
  kind: 'schedule',
  type: 'step',
  specVersion: SPEC_VERSION,
  description: 'Multiply the learning rate by gamma every stepSize epochs (or iterations)',
  optionsSchema: objectSchema({
    learningRate: learningRateProperty,
    gamma: { type: 'number', exclusiveMinimum: 0, default: 0.1, description: 'Factor applied every stepSize units (> 0).' },
    stepSize: { type: 'integer', minimum: 1, default: 1, description: 'Units between two multiplications by gamma.' },
    unit: unitProperty,
  }),
  create(options, context) {
    checkContext('step', context);
    const { learningRate, gamma, stepSize, unit } = options;
    return {
      learningRate: (iteration) => learningRate * gamma ** Math.floor(elapsed(iteration, unit, context) / stepSize),
    };
  },
});
