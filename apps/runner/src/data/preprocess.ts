import type { PluginOptions, PluginRegistry, PreprocessState } from '@scratchnet/spec';
import type { Shape } from '@scratchnet/tensor';
import { checkPreprocessed } from './check-data.js';

/** A preprocessing step with the statistics it learnt from the training split (as model.json stores it). */
export interface FittedStep {
  readonly options: PluginOptions;
  readonly state: PreprocessState;
}

export interface Samples {
  readonly images: Float32Array;
  readonly sampleShape: Shape;
}

/** Fits each step on the training images, in order, transforming them as it goes; refuses a step that yields NaN or Infinity. */
export function fitPreprocess(
  steps: readonly PluginOptions[],
  registry: PluginRegistry,
  train: Samples,
): { fitted: FittedStep[]; train: Samples } {
  const fitted: FittedStep[] = [];
  let current = train;
  for (const [index, options] of steps.entries()) {
    const step = registry.get('preprocess', options.type).create(options as never);
    const state = step.fit(current.images, current.sampleShape);
    current = { images: step.apply(current.images, current.sampleShape, state), sampleShape: step.outputShape(current.sampleShape) };
    checkPreprocessed(current.images, current.sampleShape, index, options.type, 'training');
    fitted.push({ options, state });
  }
  return { fitted, train: current };
}

/**
 * Applies fitted steps (from training or from model.json) to other images. With `split` (the
 * config's validation or test data), a step that yields NaN or Infinity is refused naming it.
 */
export function applyPreprocess(fitted: readonly FittedStep[], registry: PluginRegistry, samples: Samples, split?: string): Samples {
  let current = samples;
  for (const [index, { options, state }] of fitted.entries()) {
    const step = registry.get('preprocess', options.type).create(options as never);
    current = { images: step.apply(current.images, current.sampleShape, state), sampleShape: step.outputShape(current.sampleShape) };
    if (split !== undefined) checkPreprocessed(current.images, current.sampleShape, index, options.type, split);
  }
  return current;
}
