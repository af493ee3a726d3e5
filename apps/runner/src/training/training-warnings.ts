import type { EpochEvent } from '../output/events.js';

/**
 * Warnings about a run that is going wrong without diverging (a NaN or infinite loss stops it
 * with exit 4): the training loss grown to 10x its first epoch's, or accuracy still at chance
 * after a first epoch of at least 20 steps. Each is said once per run; `epochs` are the run's epochs so far, in
 * order (a resumed run includes the earlier ones).
 */
/** Steps of a first epoch before chance accuracy means something (a tiny data set may take one). */
const MIN_STEPS = 20;

export function trainingWarnings(epochs: readonly EpochEvent[], classes: number, stepsPerEpoch: number, said: Set<string>): string[] {
  const warnings: string[] = [];
  const first = epochs[0];
  const last = epochs.at(-1);
  if (first === undefined || last === undefined) return warnings;
  const rising = last.train.loss > 10 * first.train.loss && last.epoch > first.epoch;
  if (rising && !said.has('rising')) {
    said.add('rising');
    warnings.push(
      `the training loss has grown from ${first.train.loss.toPrecision(4)} (epoch ${first.epoch}) to ` +
        `${last.train.loss.toPrecision(4)} (epoch ${last.epoch}): training is going the wrong way, usually a learning ` +
        'rate too high for this network. Try schedule.learningRate 10x smaller.',
    );
  }
  // Within 2 points of always guessing one class after enough steps to learn something.
  const chance = 1 / classes;
  const atChance = last.epoch === 1 && classes > 1 && stepsPerEpoch >= MIN_STEPS && last.train.accuracy <= chance + 0.02;
  if (atChance && !said.has('chance')) {
    said.add('chance');
    warnings.push(
      `after epoch 1 the training accuracy is ${(last.train.accuracy * 100).toFixed(1)}%, chance for ${classes} classes: ` +
        'the network has learnt nothing yet. The learning rate may be far too high (or too low), or the inputs unscaled ' +
        '(add { type: scale, divisor: 255 } to data.preprocess for 0..255 pixels).',
    );
  }
  return warnings;
}
