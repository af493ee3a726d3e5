import { ConfigError, SPEC_VERSION, defineInitialiser } from '@scratchnet/spec';
import { fillUniform, initialiserSchema } from './family.js';

export interface UniformOptions {
  readonly low: number;
  readonly high: number;
}

/** w ~ U[low, high), independent of the fan. */
export const uniform = defineInitialiser<UniformOptions>({
  kind: 'initialiser',
  type: 'uniform',
  specVersion: SPEC_VERSION,
  description: 'Uniform on [low, high)',
  optionsSchema: initialiserSchema({
    low: { type: 'number', default: -0.05, description: 'Lower bound (inclusive).' },
    high: { type: 'number', default: 0.05, description: 'Upper bound (exclusive); must be >= low.' },
  }),
  create(options) {
    // JSON Schema cannot compare two options, so the order of the bounds is checked here. The
    // plugin does not know where in the config it sits, so the path is relative to its options.
    if (!(options.low <= options.high)) {
      throw new ConfigError([
        {
          path: ['high'],
          plugin: 'uniform',
          message: `must be >= low, got low ${options.low} and high ${options.high}; swap them or widen the range`,
        },
      ]);
    }
    return {
      fill(target, _fan, rng) {
        fillUniform(target, options.low, options.high, rng);
      },
    };
  },
});
