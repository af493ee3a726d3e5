import { ConfigError, SPEC_VERSION, defineSchedule } from '@scratchnet/spec';
import type { EpochMetrics } from '@scratchnet/spec';
import { learningRateProperty, objectSchema } from './schema.js';

export type PlateauMonitor = 'validation.loss' | 'validation.accuracy' | 'train.loss' | 'train.accuracy';

export interface ReduceOnPlateauOptions {
  readonly learningRate: number;
  readonly monitor: PlateauMonitor;
  readonly factor: number;
  readonly patience: number;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLearningRate: number;
}

/** What reduce-on-plateau has learnt, as plain JSON: state() returns it, loadState() takes it. */
export interface ReduceOnPlateauState {
  /** Best monitored value so far; null before the first epoch (no best yet). */
  readonly best: number | null;
  /** Epochs in a row without improvement (not counted during a cooldown). */
  readonly badEpochs: number;
  /** Epochs of cooldown left after the last reduction. */
  readonly cooldownLeft: number;
  /** The current learning rate. */
  readonly learningRate: number;
}

/**
 * Lowers the learning rate when a metric stops improving, as PyTorch's ReduceLROnPlateau
 * (threshold_mode 'abs') and Keras's ReduceLROnPlateau do. The rate starts at learningRate and is
 * constant within an epoch. After every epoch (observe), with v the monitored value, minimised
 * for a loss and maximised for an accuracy:
 *
 *   improved   = v < best - minDelta   (loss)     or    v > best + minDelta   (accuracy)
 *   improved:    best = v, badEpochs = 0;   otherwise badEpochs += 1
 *   cooldownLeft > 0:   cooldownLeft -= 1, badEpochs = 0          (bad epochs in a cooldown do not count)
 *   badEpochs > patience:   lr = max(lr * factor, minLearningRate), cooldownLeft = cooldown, badEpochs = 0
 *
 * The first epoch always improves (best starts at +-Infinity); a NaN never does. So the rate falls at the end of
 * the (patience + 1)-th epoch in a row without improvement: patience counts the bad epochs that
 * are tolerated, as in PyTorch (Keras's callback reduces one epoch earlier; training's
 * earlyStopping stops after `patience` bad epochs). It never rises: once at minLearningRate it
 * stays there. Monitoring a validation metric needs a validation split (data.validation); the
 * first epoch without one throws a ConfigError at schedule.monitor.
 *
 * state() is { best, badEpochs, cooldownLeft, learningRate } (best null while it is infinite);
 * loadState() checks it and restores it, so a resumed run reduces at the same epochs.
 */
export const reduceOnPlateau = defineSchedule<ReduceOnPlateauOptions>({
  kind: 'schedule',
  type: 'reduce-on-plateau',
  specVersion: SPEC_VERSION,
  description: 'Multiply the learning rate by factor when a metric has not improved for more than patience epochs',
  optionsSchema: objectSchema({
    learningRate: { ...learningRateProperty, description: 'Learning rate to start from (> 0); each reduction multiplies it by factor.' },
    monitor: {
      type: 'string',
      enum: ['validation.loss', 'validation.accuracy', 'train.loss', 'train.accuracy'],
      default: 'validation.loss',
      description: 'Metric watched after every epoch: a loss must fall, an accuracy rise. validation.* needs data.validation.',
    },
    factor: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      default: 0.1,
      description: 'The learning rate is multiplied by factor at each reduction, in (0, 1).',
    },
    patience: {
      type: 'integer',
      minimum: 0,
      default: 10,
      description: 'Epochs in a row without improvement that are tolerated; the next one reduces the rate.',
    },
    minDelta: {
      type: 'number',
      minimum: 0,
      default: 1e-4,
      description: 'Smallest change of the metric that counts as an improvement (absolute, >= 0).',
    },
    cooldown: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'Epochs after a reduction during which epochs without improvement are not counted.',
    },
    minLearningRate: {
      type: 'number',
      minimum: 0,
      default: 0,
      description: 'The learning rate is never reduced below this (>= 0, <= learningRate).',
    },
  }),
  create(options) {
    const { learningRate: initial, monitor, factor, patience, minDelta, cooldown, minLearningRate } = options;
    // JSON Schema cannot compare two options, so this one is checked here.
    if (minLearningRate > initial) {
      throw new ConfigError([
        {
          path: ['schedule', 'minLearningRate'],
          plugin: 'reduce-on-plateau',
          message: `must be <= learningRate (${initial}), got ${minLearningRate}; lower it or raise learningRate`,
        },
      ]);
    }
    const [split, metric] = monitor.split('.') as ['train' | 'validation', 'loss' | 'accuracy'];
    const maximise = metric === 'accuracy';
    const worst = maximise ? -Infinity : Infinity;
    let best = worst;
    let badEpochs = 0;
    let cooldownLeft = 0;
    let learningRate = initial;

    return {
      learningRate: () => learningRate,

      observe(metrics: EpochMetrics) {
        const observed = split === 'validation' ? metrics.validation : metrics.train;
        if (observed === undefined) {
          throw new ConfigError([
            {
              path: ['schedule', 'monitor'],
              plugin: 'reduce-on-plateau',
              message:
                `monitors ${monitor}, but this run has no validation split; ` +
                `add data.validation (e.g. { fromTrain: 0.1 }) or monitor train.${metric}`,
            },
          ]);
        }
        const value = observed[metric];
        const improved = maximise ? value > best + minDelta : value < best - minDelta;
        if (improved) {
          best = value;
          badEpochs = 0;
        } else {
          badEpochs += 1;
        }
        if (cooldownLeft > 0) {
          cooldownLeft -= 1;
          badEpochs = 0;
        }
        if (badEpochs > patience) {
          learningRate = Math.min(learningRate, Math.max(learningRate * factor, minLearningRate));
          cooldownLeft = cooldown;
          badEpochs = 0;
        }
      },

      state(): ReduceOnPlateauState {
        return { best: Number.isFinite(best) ? best : null, badEpochs, cooldownLeft, learningRate };
      },

      loadState(state: unknown) {
        const loaded = checkState(state);
        best = loaded.best ?? worst;
        badEpochs = loaded.badEpochs;
        cooldownLeft = loaded.cooldownLeft;
        learningRate = loaded.learningRate;
      },
    };
  },
});

const STATE_KEYS = ['best', 'badEpochs', 'cooldownLeft', 'learningRate'] as const;

/** The state if it is one state() could have returned; else a RangeError naming every problem. */
function checkState(state: unknown): ReduceOnPlateauState {
  const where = 'reduce-on-plateau schedule: cannot load state';
  const hint = 'The checkpoint was saved with another schedule, or is damaged.';
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    const found = state === null ? 'null' : Array.isArray(state) ? 'an array' : typeof state;
    throw new RangeError(`${where}: expected an object { ${STATE_KEYS.join(', ')} }, got ${found}. ${hint}`);
  }
  const record = state as Record<string, unknown>;
  const problems: string[] = [];
  const unexpected = Object.keys(record).filter((key) => !(STATE_KEYS as readonly string[]).includes(key));
  if (unexpected.length > 0) problems.push(`unexpected ${unexpected.map((key) => `"${key}"`).join(', ')}`);
  const show = (value: unknown): string =>
    value === undefined ? 'nothing' : typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  const { best, badEpochs, cooldownLeft, learningRate } = record;
  if (best !== null && !(typeof best === 'number' && Number.isFinite(best))) {
    problems.push(`best must be a finite number or null, got ${show(best)}`);
  }
  for (const [name, value] of [['badEpochs', badEpochs], ['cooldownLeft', cooldownLeft]] as const) {
    if (!(typeof value === 'number' && Number.isInteger(value) && value >= 0)) {
      problems.push(`${name} must be an integer >= 0, got ${show(value)}`);
    }
  }
  if (!(typeof learningRate === 'number' && Number.isFinite(learningRate) && learningRate > 0)) {
    problems.push(`learningRate must be a finite number > 0, got ${show(learningRate)}`);
  }
  if (problems.length > 0) throw new RangeError(`${where}: ${problems.join('; ')}. ${hint}`);
  return record as unknown as ReduceOnPlateauState;
}
