import type { ScheduleContext, SchedulePlugin } from '@scratchnet/spec';
import { optionsWithDefaults } from './build-context.js';

/**
 * Checks a schedule over every iteration of a training run of `context` (default 10 iterations
 * per epoch, 100 in all): each rate is a finite number >= 0, and a second schedule built from
 * the same options gives the same rates when asked in reverse order. Resuming a run builds a new
 * schedule and asks for iteration k first, so the rate must depend on the iteration alone, not
 * on earlier calls. Returns the rates of iterations 0..totalIterations-1 (for checks by hand);
 * throws an Error naming the first bad iteration.
 */
export function checkSchedule<O>(plugin: SchedulePlugin<O>, options: Partial<O>, context: Partial<ScheduleContext> = {}): number[] {
  const full: ScheduleContext = { iterationsPerEpoch: context.iterationsPerEpoch ?? 10, totalIterations: context.totalIterations ?? 100 };
  const what = `checkSchedule(${plugin.type})`;
  const create = () => plugin.create(optionsWithDefaults(plugin, options), full);
  const forward = create();
  const rates = Array.from({ length: full.totalIterations }, (_, iteration) => forward.learningRate(iteration));
  rates.forEach((rate, iteration) => {
    if (!(Number.isFinite(rate) && rate >= 0)) {
      throw new Error(`${what}: learningRate(${iteration}) is ${rate}; rates must be finite numbers >= 0.`);
    }
  });
  const backward = create();
  for (let iteration = full.totalIterations - 1; iteration >= 0; iteration--) {
    const again = backward.learningRate(iteration);
    if (!Object.is(again, rates[iteration])) {
      throw new Error(
        `${what}: learningRate(${iteration}) is ${rates[iteration]} when iterations are asked in order but ${again} when asked ` +
          'from the last one down. The rate must depend only on the iteration (a resumed run starts at any iteration).',
      );
    }
  }
  return rates;
}
