import { ConfigError, SPEC_VERSION, defineSchedule } from '@scratchnet/spec';
import type { ConfigIssue } from '@scratchnet/spec';
import { fractionProperty, objectSchema } from './schema.js';
import { checkContext } from './time-unit.js';

export interface OneCycleOptions {
  readonly maxLearningRate: number;
  readonly pctStart: number;
  readonly divFactor: number;
  readonly finalDivFactor: number;
  readonly cycleMomentum: boolean;
  readonly baseMomentum: number;
  readonly maxMomentum: number;
}

/**
 * The 1cycle policy (Smith 2018, "A disciplined approach to neural network hyper-parameters"),
 * as PyTorch's OneCycleLR with anneal_strategy 'cos' and three_phase false. With T =
 * totalIterations, i the 0-based iteration and
 *
 *   initial = maxLearningRate / divFactor,   final = initial / finalDivFactor
 *   a       = pctStart * T - 1               (the warm-up's last iteration, as PyTorch computes it)
 *   anneal(from, to, p) = to + (from - to) * (1 + cos(pi * p)) / 2     (from at p = 0, to at p = 1)
 *
 * the learning rate and the momentum are
 *
 *   i <= a (warm-up):  p = i / a
 *                      lr(i) = anneal(initial, maxLearningRate, p)    momentum(i) = anneal(maxMomentum, baseMomentum, p)
 *   a < i < T - 1:     p = (i - a) / (T - 1 - a)
 *                      lr(i) = anneal(maxLearningRate, final, p)      momentum(i) = anneal(baseMomentum, maxMomentum, p)
 *   i >= T - 1:        lr(i) = final                                  momentum(i) = maxMomentum
 *
 * So the rate warms up from initial to maxLearningRate, reached at iteration a when a is a
 * whole number (29 for pctStart 0.3 and T = 100), and anneals to final at the last iteration
 * T - 1, while the momentum moves the other way: maxMomentum -> baseMomentum during the warm-up,
 * back to maxMomentum after it. Iterations past the end stay at the final values (PyTorch raises
 * instead). When a = 0 the single warm-up iteration is at the peak (PyTorch would divide by
 * zero); when a < 0 (pctStart * T < 1) there is no warm-up and the anneal starts from a, as in
 * PyTorch. `momentum(i)` is what the training loop passes as the step's momentum (SGD's and
 * RMSprop's momentum, Adam's beta1); it is undefined when cycleMomentum is false, leaving the
 * optimiser's configured value. SGD and RMSprop need a configured momentum > 0 to be cycled.
 */
export const oneCycle = defineSchedule<OneCycleOptions>({
  kind: 'schedule',
  type: 'one-cycle',
  specVersion: SPEC_VERSION,
  description: 'The 1cycle policy: cosine warm-up to maxLearningRate, then cosine anneal, with momentum cycled the other way',
  optionsSchema: objectSchema(
    {
      maxLearningRate: {
        type: 'number',
        exclusiveMinimum: 0,
        description: 'Peak learning rate, reached at the end of the warm-up (> 0).',
      },
      pctStart: {
        type: 'number',
        exclusiveMinimum: 0,
        exclusiveMaximum: 1,
        default: 0.3,
        description: 'Fraction of the training iterations spent warming up to maxLearningRate, in (0, 1).',
      },
      divFactor: {
        type: 'number',
        minimum: 1,
        default: 25,
        description: 'The first learning rate is maxLearningRate / divFactor (>= 1).',
      },
      finalDivFactor: {
        type: 'number',
        minimum: 1,
        default: 1e4,
        description: 'The last learning rate is maxLearningRate / divFactor / finalDivFactor (>= 1).',
      },
      cycleMomentum: {
        type: 'boolean',
        default: true,
        description:
          "Cycle the optimiser's momentum (SGD/RMSprop momentum, Adam beta1) against the learning rate: maxMomentum -> baseMomentum -> maxMomentum.",
      },
      baseMomentum: fractionProperty(0.85, 'Momentum at the peak learning rate, in [0, 1); <= maxMomentum.'),
      maxMomentum: fractionProperty(0.95, 'Momentum at the first and the last iteration, in [0, 1).'),
    },
    { required: ['maxLearningRate'] },
  ),
  create(options, context) {
    checkContext('one-cycle', context);
    const { maxLearningRate, pctStart, divFactor, finalDivFactor, cycleMomentum, baseMomentum, maxMomentum } = options;
    // The range of pctStart is the schema's, repeated because create() may be called with options
    // that never saw it; JSON Schema cannot compare baseMomentum with maxMomentum.
    const issues: ConfigIssue[] = [];
    if (!(pctStart > 0 && pctStart < 1)) {
      issues.push({
        path: ['schedule', 'pctStart'],
        plugin: 'one-cycle',
        message: `must be > 0 and < 1 (a fraction of the training iterations), got ${pctStart}`,
      });
    }
    if (baseMomentum > maxMomentum) {
      issues.push({
        path: ['schedule', 'baseMomentum'],
        plugin: 'one-cycle',
        message: `must be <= maxMomentum (${maxMomentum}), got ${baseMomentum}; lower it or raise maxMomentum`,
      });
    }
    if (issues.length > 0) throw new ConfigError(issues);

    const initial = maxLearningRate / divFactor;
    const final = initial / finalDivFactor;
    const last = context.totalIterations - 1;
    // PyTorch's float(pct_start * total_steps) - 1: not rounded, so it may fall between iterations.
    const warmEnd = pctStart * context.totalIterations - 1;

    /** The phase of an iteration and the progress through it, in [0, 1]. */
    const phase = (iteration: number): { warmUp: boolean; progress: number } => {
      if (iteration >= last) return { warmUp: false, progress: 1 };
      if (iteration <= warmEnd) return { warmUp: true, progress: warmEnd > 0 ? iteration / warmEnd : 1 };
      return { warmUp: false, progress: (iteration - warmEnd) / (last - warmEnd) };
    };

    return {
      learningRate(iteration) {
        const { warmUp, progress } = phase(iteration);
        return warmUp ? anneal(initial, maxLearningRate, progress) : anneal(maxLearningRate, final, progress);
      },
      momentum(iteration) {
        if (!cycleMomentum) return undefined;
        const { warmUp, progress } = phase(iteration);
        return warmUp ? anneal(maxMomentum, baseMomentum, progress) : anneal(baseMomentum, maxMomentum, progress);
      },
    };
  },
});

/** PyTorch's _annealing_cos: `from` at progress 0, `to` at progress 1, in its arithmetic order. */
function anneal(from: number, to: number, progress: number): number {
  return to + ((from - to) / 2) * (Math.cos(Math.PI * progress) + 1);
}
