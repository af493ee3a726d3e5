import type { PluginOptions, PluginRegistry } from '@scratchnet/spec';
import { findNonFinite, fitPreprocess as fitSteps, type BatchPreprocess, type PreprocessEntry, type RawSamples } from '@scratchnet/train';
import { checkPreprocessed } from './check-data.js';

/** A preprocessing step with the statistics it learnt from the training split (as model.json stores it). */
export type FittedStep = PreprocessEntry;

/**
 * Fits the steps on the raw training images (see @scratchnet/train: a float copy only while a
 * step with `fit` needs one); batches then run them. Refuses a step that turns the training
 * images into NaN or Infinity.
 */
export function fitPreprocess(steps: readonly PluginOptions[], registry: PluginRegistry, train: RawSamples): BatchPreprocess {
  const preprocess = fitSteps(steps, registry, train);
  checkSplit(preprocess, train, 'training');
  return preprocess;
}

/**
 * Refuses preprocessing that turns finite `split` data (the config's training, validation or
 * test samples) into NaN or Infinity, naming the step and the sample, before any batch is
 * made: training would only see it later as a diverged loss.
 */
export function checkSplit(preprocess: BatchPreprocess, samples: RawSamples, split: string): void {
  checkPreprocessed(findNonFinite(preprocess, samples.images), split);
}
