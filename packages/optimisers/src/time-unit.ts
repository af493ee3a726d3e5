import type { ScheduleContext } from '@scratchnet/spec';

export type TimeUnit = 'epoch' | 'iteration';

/**
 * Elapsed time in `unit` for a 0-based iteration: the iteration itself, or the number of
 * completed epochs, floor(iteration / iterationsPerEpoch). Whole epochs keep the learning rate
 * constant within an epoch, as stepping a PyTorch/Keras scheduler once per epoch does.
 */
export function elapsed(iteration: number, unit: TimeUnit, context: ScheduleContext): number {
  return unit === 'iteration' ? iteration : Math.floor(iteration / context.iterationsPerEpoch);
}

/** Throws unless the context can turn iterations into epochs. */
export function checkContext(scheduleType: string, context: ScheduleContext): void {
  if (!Number.isInteger(context.iterationsPerEpoch) || context.iterationsPerEpoch < 1) {
    throw new RangeError(
      `${scheduleType} schedule: iterationsPerEpoch must be an integer >= 1, got ${context.iterationsPerEpoch}. ` +
        'The training set is empty or smaller than one batch with lastBatch: drop.',
    );
  }
  if (!Number.isInteger(context.totalIterations) || context.totalIterations < 0) {
    throw new RangeError(
      `${scheduleType} schedule: totalIterations must be an integer >= 0, got ${context.totalIterations}.`,
    );
  }
}
