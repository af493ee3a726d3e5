import type { PluginOptions, PluginRegistry, PreprocessState } from '@scratchnet/spec';
import type { Shape } from '@scratchnet/tensor';

/** A preprocessing step with the statistics it learnt from the training split (as model.json stores it). */
export interface FittedStep {
  readonly options: PluginOptions;
  readonly state: PreprocessState;
}

export interface Samples {
  readonly images: Float32Array;
  readonly sampleShape: Shape;
}

/** Fits each step on the training images, in order, transforming them as it goes. */
export function fitPreprocess(
  steps: readonly PluginOptions[],
  registry: PluginRegistry,
  train: Samples,
): { fitted: FittedStep[]; train: Samples } {
  const fitted: FittedStep[] = [];
  let current = train;
  for (const options of steps) {
    const step = registry.get('preprocess', options.type).create(options as never);
    const state = step.fit(current.images, current.sampleShape);
    current = { images: step.apply(current.images, current.sampleShape, state), sampleShape: step.outputShape(current.sampleShape) };
    fitted.push({ options, state });
  }
  return { fitted, train: current };
}

/** Applies fitted steps (from training or from model.json) to other images. */
export function applyPreprocess(fitted: readonly FittedStep[], registry: PluginRegistry, samples: Samples): Samples {
  let current = samples;
  for (const { options, state } of fitted) {
    const step = registry.get('preprocess', options.type).create(options as never);
    current = { images: step.apply(current.images, current.sampleShape, state), sampleShape: step.outputShape(current.sampleShape) };
  }
  return current;
}
