import { describe, expect, it } from 'vitest';
import { SPEC_VERSION } from '@scratchnet/spec';
import { optimisers, schedules } from './index.js';

describe('package exports', () => {
  it('lists every built-in optimiser and schedule with kebab-case ids', () => {
    expect(optimisers.map((p) => p.type)).toEqual(['sgd', 'adam', 'adamw', 'rmsprop']);
    expect(schedules.map((p) => p.type)).toEqual(['fixed', 'step', 'exponential', 'inv', 'cosine', 'one-cycle', 'reduce-on-plateau']);
    for (const plugin of [...optimisers, ...schedules]) {
      expect(plugin.specVersion).toBe(SPEC_VERSION);
      expect(plugin.type).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    }
    expect(new Set(optimisers.map((p) => p.kind))).toEqual(new Set(['optimiser']));
    expect(new Set(schedules.map((p) => p.kind))).toEqual(new Set(['schedule']));
  });

  it('gives every option a description and a default unless it is required, and rejects unknown keys', () => {
    for (const plugin of [...optimisers, ...schedules]) {
      const schema = plugin.optionsSchema as { type: string; additionalProperties: boolean; properties: object; required?: string[] };
      expect(schema.type).toBe('object');
      expect(schema.additionalProperties).toBe(false);
      const required = new Set(schema.required ?? []);
      for (const [name, property] of Object.entries(schema.properties) as [string, { default?: unknown; description?: string }][]) {
        if (required.has(name)) expect(property.default, `${plugin.type}.${name}`).toBeUndefined();
        else expect(property.default, `${plugin.type}.${name}`).toBeDefined();
        expect(property.description).toEqual(expect.any(String));
      }
    }
    // Only one-cycle's peak rate has no sensible default.
    const required = [...optimisers, ...schedules].flatMap((p) => ((p.optionsSchema['required'] ?? []) as string[]).map((name) => `${p.type}.${name}`));
    expect(required).toEqual(['one-cycle.maxLearningRate']);
  });

  it('gives every schedule but one-cycle a learningRate > 0 defaulting to 0.01; one-cycle requires maxLearningRate > 0', () => {
    for (const plugin of schedules) {
      if (plugin.type === 'one-cycle') {
        expect(plugin.optionsSchema['properties']).toMatchObject({ maxLearningRate: { type: 'number', exclusiveMinimum: 0 } });
        continue;
      }
      expect(plugin.optionsSchema['properties']).toMatchObject({
        learningRate: { type: 'number', exclusiveMinimum: 0, default: 0.01 },
      });
    }
  });
});
