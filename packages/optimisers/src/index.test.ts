import { describe, expect, it } from 'vitest';
import { SPEC_VERSION } from '@scratchnet/spec';
import { optimisers, schedules } from './index.js';

describe('package exports', () => {
  it('lists every built-in optimiser and schedule with kebab-case ids', () => {
    expect(optimisers.map((p) => p.type)).toEqual(['sgd', 'adam', 'adamw', 'rmsprop']);
    expect(schedules.map((p) => p.type)).toEqual(['fixed', 'step', 'exponential', 'inv', 'cosine']);
    for (const plugin of [...optimisers, ...schedules]) {
      expect(plugin.specVersion).toBe(SPEC_VERSION);
      expect(plugin.type).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    }
    expect(new Set(optimisers.map((p) => p.kind))).toEqual(new Set(['optimiser']));
    expect(new Set(schedules.map((p) => p.kind))).toEqual(new Set(['schedule']));
  });

  it('gives every option a default and a description, and rejects unknown keys', () => {
    for (const plugin of [...optimisers, ...schedules]) {
      const schema = plugin.optionsSchema as { type: string; additionalProperties: boolean; properties: object };
      expect(schema.type).toBe('object');
      expect(schema.additionalProperties).toBe(false);
      for (const property of Object.values(schema.properties) as { default?: unknown; description?: string }[]) {
        expect(property.default).toBeDefined();
        expect(property.description).toEqual(expect.any(String));
      }
    }
  });

  it('gives every schedule a learningRate > 0 defaulting to 0.01', () => {
    for (const plugin of schedules) {
      expect(plugin.optionsSchema['properties']).toMatchObject({
        learningRate: { type: 'number', exclusiveMinimum: 0, default: 0.01 },
      });
    }
  });
});
