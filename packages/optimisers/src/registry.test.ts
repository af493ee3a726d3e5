import { describe, expect, it } from 'vitest';
import { createRegistry } from '@scratchnet/registry';
import { optimisers, schedules } from './index.js';
import { schemaDefaults } from './test-support.js';

// The registry compiles each schema with ajv in strict mode on registration and fills defaults
// when validating, so these tests check the schemas as configs will meet them.
function registry() {
  const r = createRegistry();
  for (const plugin of [...optimisers, ...schedules]) r.register(plugin, '@scratchnet/optimisers');
  return r;
}

describe('schemas in the registry', () => {
  it('compile, and { type } alone validates to the schema defaults', () => {
    const r = registry();
    for (const plugin of optimisers) {
      const result = r.validateOptions('optimiser', plugin.type, ['optimiser']);
      expect(result.issues).toEqual([]);
      expect(result.value).toEqual({ type: plugin.type, ...schemaDefaults(plugin.optionsSchema) });
    }
    for (const plugin of schedules) {
      // one-cycle has no default peak rate: it is given here
      const required = plugin.type === 'one-cycle' ? { maxLearningRate: 0.1 } : {};
      const result = r.validateOptions('schedule', { type: plugin.type, ...required }, ['schedule']);
      expect(result.issues).toEqual([]);
      expect(result.value).toEqual({ type: plugin.type, ...schemaDefaults(plugin.optionsSchema), ...required });
    }
  });

  it('requires one-cycle maxLearningRate and checks the new schedules\' ranges', () => {
    const r = registry();
    const issues = (ref: object) => r.validateOptions('schedule', ref, ['schedule']).issues;
    expect(issues({ type: 'one-cycle' })).toEqual([
      { path: ['schedule', 'maxLearningRate'], plugin: 'one-cycle', message: expect.stringContaining('maxLearningRate') },
    ]);
    const messages = (ref: object) => issues(ref).map((issue) => issue.message);
    expect(messages({ type: 'one-cycle', maxLearningRate: 0.1, pctStart: 1 })).toHaveLength(1);
    expect(messages({ type: 'one-cycle', maxLearningRate: 0.1, pctStart: 0 })).toHaveLength(1);
    expect(messages({ type: 'one-cycle', maxLearningRate: 0.1, divFactor: 0.5 })).toHaveLength(1);
    expect(messages({ type: 'one-cycle', maxLearningRate: 0.1, maxMomentum: 1 })).toHaveLength(1);
    expect(messages({ type: 'reduce-on-plateau', factor: 1 })).toHaveLength(1);
    expect(messages({ type: 'reduce-on-plateau', patience: 1.5 })).toEqual(['patience must be an integer >= 0 (found 1.5)']);
    expect(messages({ type: 'reduce-on-plateau', monitor: 'val.loss' })).toHaveLength(1);
    expect(messages({ type: 'reduce-on-plateau', minDelta: -1 })).toHaveLength(1);
    // and the composed experiment schema (for editors) takes them
    expect(JSON.stringify(r.experimentSchema())).toContain('"reduce-on-plateau"');
  });

  it('validates the README config', () => {
    const r = registry();
    const optimiser = r.validateOptions('optimiser', { type: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1.0e-4 });
    expect(optimiser.issues).toEqual([]);
    const schedule = r.validateOptions('schedule', { type: 'cosine', learningRate: 0.1, warmupIterations: 200 });
    expect(schedule.value).toEqual({ type: 'cosine', learningRate: 0.1, minLearningRate: 0, warmupIterations: 200 });
    expect(r.validateOptions('schedule', { type: 'one-cycle', maxLearningRate: 0.1 }).value).toEqual({
      type: 'one-cycle',
      maxLearningRate: 0.1,
      pctStart: 0.3,
      divFactor: 25,
      finalDivFactor: 10000,
      cycleMomentum: true,
      baseMomentum: 0.85,
      maxMomentum: 0.95,
    });
    expect(r.validateOptions('schedule', { type: 'reduce-on-plateau', learningRate: 0.1, patience: 3 }).value).toEqual({
      type: 'reduce-on-plateau',
      learningRate: 0.1,
      monitor: 'validation.loss',
      factor: 0.1,
      patience: 3,
      minDelta: 1e-4,
      cooldown: 0,
      minLearningRate: 0,
    });
  });

  it('rejects sgd nesterov without momentum', () => {
    const r = registry();
    expect(r.validateOptions('optimiser', { type: 'sgd', nesterov: true }, ['optimiser']).issues).toEqual([
      { path: ['optimiser', 'momentum'], plugin: 'sgd', message: 'missing "momentum", which is required when "nesterov" is set' },
    ]);
    expect(r.validateOptions('optimiser', { type: 'sgd', nesterov: true, momentum: 0 }, ['optimiser']).issues).toEqual([
      { path: ['optimiser', 'momentum'], plugin: 'sgd', message: 'momentum must be a number > 0 (found 0)' },
    ]);
    expect(r.validateOptions('optimiser', { type: 'sgd', nesterov: false }, ['optimiser']).issues).toEqual([]);
  });

  it('rejects out-of-range values and unknown options', () => {
    const r = registry();
    const issues = (kind: 'optimiser' | 'schedule', ref: object) => r.validateOptions(kind, ref).issues.map((i) => i.message);
    expect(issues('optimiser', { type: 'adam', beta1: 1 })).toEqual(['beta1 must be a number >= 0 and < 1 (found 1)']);
    expect(issues('optimiser', { type: 'sgd', weightDecay: -1 })).toHaveLength(1);
    expect(issues('optimiser', { type: 'rmsprop', momentm: 0.9 })).toEqual([expect.stringContaining('did you mean "momentum"?')]);
    expect(issues('schedule', { type: 'step', stepSize: 0.5 })).toEqual(['stepSize must be an integer >= 1 (found 0.5)']);
    expect(issues('schedule', { type: 'fixed', learningRate: 0 })).toHaveLength(1);
    expect(issues('schedule', { type: 'exponential', unit: 'epochs' })).toHaveLength(1);
  });
});
