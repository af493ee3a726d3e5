import type { JsonSchema } from '@scratchnet/spec';

/**
 * Option schemas shared by several optimisers and schedules, so each option has one
 * definition (and one wording) everywhere it appears.
 */

export type Properties = { readonly [name: string]: JsonSchema };

/** An options object schema: the given properties, unknown keys rejected. */
export function objectSchema(properties: Properties, extra: JsonSchema = {}): JsonSchema {
  return { type: 'object', additionalProperties: false, properties, ...extra };
}

/** A decay-rate-like number in [0, 1): 1 would never forget anything. */
export function fractionProperty(defaultValue: number, description: string): JsonSchema {
  return { type: 'number', minimum: 0, exclusiveMaximum: 1, default: defaultValue, description };
}

export function weightDecayProperty(defaultValue: number, description: string): JsonSchema {
  return { type: 'number', minimum: 0, default: defaultValue, description };
}

export const epsilonProperty: JsonSchema = {
  type: 'number',
  exclusiveMinimum: 0,
  default: 1e-8,
  description: 'Added to the root of the squared-gradient average to avoid dividing by 0.',
};

export const momentumProperty = fractionProperty(0, 'Momentum factor in [0, 1); 0 turns momentum off.');

/** The base learning rate every schedule starts from. */
export const learningRateProperty: JsonSchema = {
  type: 'number',
  exclusiveMinimum: 0,
  default: 0.01,
  description: 'Base learning rate (> 0).',
};

/** Whether a schedule counts time in epochs or in iterations (optimiser steps). */
export const unitProperty: JsonSchema = {
  type: 'string',
  enum: ['epoch', 'iteration'],
  default: 'epoch',
  description: 'Time unit of the schedule: whole epochs, or iterations (optimiser steps).',
};
