import { ConfigError } from '@scratchnet/spec';
import type { StepOptions } from '@scratchnet/spec';

/**
 * The momentum of one optimiser step: `options.momentum` when the caller sets it (the training
 * loop passes a schedule's `momentum(iteration)`, e.g. one-cycle's), else the configured value.
 * Only this step uses it; the configured value stays what later steps without it use.
 *
 * `option` names the optimiser's own option for messages (`momentum`, or `beta1` for Adam).
 * `hasVelocity` is false for an optimiser configured with momentum 0, which keeps no velocity
 * buffer: a step momentum > 0 cannot be honoured then (the buffer names are part of the saved
 * state, so one cannot appear mid-run), and is refused rather than silently ignored; 0 is plain
 * stepping, which is what the optimiser does anyway.
 */
export function stepMomentum(
  optimiserType: string,
  option: 'momentum' | 'beta1',
  configured: number,
  options: StepOptions,
  hasVelocity = true,
): number {
  const momentum: unknown = options.momentum;
  if (momentum === undefined) return configured;
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum < 1)) {
    throw new RangeError(
      `${optimiserType} optimiser: the step's momentum (used as ${option}) must be a number in [0, 1), ` +
        `got ${String(momentum)}. It comes from the schedule (one-cycle: baseMomentum and maxMomentum).`,
    );
  }
  if (!hasVelocity && momentum > 0) {
    throw new ConfigError([
      {
        path: ['optimiser', option],
        plugin: optimiserType,
        message:
          `is 0, so the optimiser keeps no velocity, but the schedule sets momentum ${momentum} for this step; ` +
          `set ${option} > 0 (e.g. 0.9; the schedule's value replaces it every step) ` +
          'or stop the schedule varying momentum (one-cycle: cycleMomentum: false)',
      },
    ]);
  }
  return momentum;
}
