import { describe, expect, it } from 'vitest';
import { ConfigError } from '@scratchnet/spec';
import { uniform } from './uniform.js';
import { LARGE, expectDeterministic, expectFloat64Draws, expectUniform, filled, schemaDefaults } from './test-support.js';

const fan = { fanIn: 400, fanOut: 250 };

describe('uniform', () => {
  it('defaults to U[-0.05, 0.05)', () => {
    expect(schemaDefaults(uniform.optionsSchema)).toEqual({ low: -0.05, high: 0.05 });
    expectUniform(filled(uniform, { low: -0.05, high: 0.05 }, LARGE, fan, 3).data, -0.05, 0.05);
  });

  it('honours asymmetric bounds and ignores the fan', () => {
    const a = filled(uniform, { low: 1, high: 3 }, LARGE, fan, 5);
    expectUniform(a.data, 1, 3);
    const b = filled(uniform, { low: 1, high: 3 }, LARGE, { fanIn: 1, fanOut: 1 }, 5);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('is deterministic and fills float64 with unrounded draws', () => {
    expectDeterministic(uniform, { low: -0.05, high: 0.05 }, fan);
    expectFloat64Draws(uniform, { low: -0.05, high: 0.05 }, fan);
  });

  it('rejects low > high with a ConfigError on high', () => {
    const create = () => uniform.create({ type: 'uniform', low: 1, high: -1 });
    expect(create).toThrow(ConfigError);
    expect(create).toThrow('high (uniform): must be >= low, got low 1 and high -1; swap them or widen the range');
  });
});
