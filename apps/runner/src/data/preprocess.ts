import type { PluginOptions, PluginRegistry } from '@scratchnet/spec';
import { applyPreprocess as applySteps, fitPreprocess as fitSteps, type PreprocessEntry, type Samples } from '@scratchnet/train';
import { checkPreprocessed } from './check-data.js';

/** A preprocessing step with the statistics it learnt from the training split (as model.json stores it). */
export type FittedStep = PreprocessEntry;
export type { Samples };

/** Fits each step on the training images (see @scratchnet/train); refuses a step that yields NaN or Infinity. */
export function fitPreprocess(steps: readonly PluginOptions[], registry: PluginRegistry, train: Samples): { fitted: FittedStep[]; train: Samples } {
  return fitSteps(steps, registry, train, (result, step, type) => checkPreprocessed(result.images, result.sampleShape, step, type, 'training'));
}

/**
 * Applies fitted steps to other images. With `split` (the config's validation or test data), a
 * step that yields NaN or Infinity is refused naming it.
 */
export function applyPreprocess(fitted: readonly FittedStep[], registry: PluginRegistry, samples: Samples, split?: string): Samples {
  if (split === undefined) return applySteps(fitted, registry, samples);
  return applySteps(fitted, registry, samples, (result, step, type) => checkPreprocessed(result.images, result.sampleShape, step, type, split));
}
