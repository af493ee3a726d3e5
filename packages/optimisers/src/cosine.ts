import { ConfigError, SPEC_VERSION, defineSchedule } from '@scratchnet/spec';
import { learningRateProperty, objectSchema } from './schema.js';
import { checkContext } from './time-unit.js';

export interface CosineOptions {
  readonly learningRate: number;
  readonly minLearningRate: number;
  readonly warmupIterations: number;
}

/**
 * Linear warm-up, then cosine annealing (Loshchilov & Hutter's SGDR without restarts). With
 * base = learningRate, min = minLearningRate, W = warmupIterations, T = totalIterations:
 *
 *   lr(i) = base * (i + 1) / W                                  for i < W
 *   lr(i) = min + (base - min) * (1 + cos(pi * p)) / 2,  p = min(1, (i - W) / (T - W))   for i >= W
 *
 * The warm-up starts at base / W rather than 0 (a zero-rate step would be wasted) and reaches
 * base at its last iteration; the cosine starts at base at i = W and reaches min at i = T
 * (and stays there if training runs longer). If W >= T the rate is min after the warm-up.
 */
export const cosine = defineSchedule<CosineOptions>({
  kind: 'schedule',
  type: 'cosine',
  specVersion: SPEC_VERSION,
  description: 'Optional linear warm-up, then cosine decay to minLearningRate at the last iteration',
  optionsSchema: objectSchema({
    learningRate: learningRateProperty,
    minLearningRate: {
      type: 'number',
      minimum: 0,
      default: 0,
      description: 'Learning rate reached at the end of training (>= 0, <= learningRate).',
    },
    warmupIterations: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'Iterations of linear warm-up from learningRate / warmupIterations up to learningRate.',
    },
  }),
  create(options, context) {
    checkContext('cosine', context);
    const { learningRate: base, minLearningRate: min, warmupIterations: warmup } = options;
    // JSON Schema cannot compare two options, so this one is checked here.
    if (min > base) {
      throw new ConfigError([
        {
          path: ['schedule', 'minLearningRate'],
          plugin: 'cosine',
          message: `must be <= learningRate (${base}), got ${min}; lower it or raise learningRate`,
        },
      ]);
    }
    const decayIterations = context.totalIterations - warmup;
    return {
      learningRate(iteration) {
        if (iteration < warmup) return (base * (iteration + 1)) / warmup;
        const progress = decayIterations > 0 ? Math.min(1, (iteration - warmup) / decayIterations) : 1;
        return min + ((base - min) * (1 + Math.cos(Math.PI * progress))) / 2;
      },
    };
  },
});
