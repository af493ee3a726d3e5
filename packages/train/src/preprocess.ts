import type { PluginOptions, PluginRegistry } from '@scratchnet/spec';
import type { Shape } from '@scratchnet/tensor';
import type { PreprocessEntry } from './model-json.js';

/** Images with the shape of one sample, sample-major. */
export interface Samples {
  readonly images: Float32Array;
  readonly sampleShape: Shape;
}

/**
 * Called after each step with what it produced, e.g. to refuse NaN naming the step. Steps are
 * numbered from 0 in config order.
 */
export type PreprocessCheck = (result: Samples, step: number, type: string) => void;

/**
 * Fits each preprocessing step on the training images, in order, transforming them as it goes;
 * the fitted steps are what model.json stores and applyPreprocess replays on other images.
 */
export function fitPreprocess(
  steps: readonly PluginOptions[],
  registry: PluginRegistry,
  train: Samples,
  check?: PreprocessCheck,
): { fitted: PreprocessEntry[]; train: Samples } {
  const fitted: PreprocessEntry[] = [];
  let current = train;
  for (const [index, options] of steps.entries()) {
    const step = registry.get('preprocess', options.type).create(options as never);
    const state = step.fit(current.images, current.sampleShape);
    current = { images: step.apply(current.images, current.sampleShape, state), sampleShape: step.outputShape(current.sampleShape) };
    check?.(current, index, options.type);
    fitted.push({ options, state });
  }
  return { fitted, train: current };
}

/**
 * Applies fitted steps (from training or from model.json) to other images: the one path from a
 * raw sample to the network's input, in Node (eval, predict) and in the browser page alike.
 */
export function applyPreprocess(fitted: readonly PreprocessEntry[], registry: PluginRegistry, samples: Samples, check?: PreprocessCheck): Samples {
  let current = samples;
  for (const [index, { options, state }] of fitted.entries()) {
    const step = registry.get('preprocess', options.type).create(options as never);
    current = { images: step.apply(current.images, current.sampleShape, state), sampleShape: step.outputShape(current.sampleShape) };
    check?.(current, index, options.type);
  }
  return current;
}
