// The draw-a-digit page's model: everything between a picture and the class probabilities.
// No DOM and no Node here, so the page runs it in the browser and the runner runs the same
// module in Node (to write the page's precompiled validators, and in tests).
import { defaultSampleFormat, digitImageToSample, isBlankSample, preprocessors, type DigitSampleFormat, type PixelImage } from '@scratchnet/datasets';
import type { RegistryOptions } from '@scratchnet/registry';
import type { PluginRegistry } from '@scratchnet/spec';
import type { Backend } from '@scratchnet/tensor';
import { createDefaultRegistry, createPreprocess, loadModel, predict, type LoadedModel } from '@scratchnet/train';

/** The files of a model folder, as the page fetches them. */
export interface PageModelFiles {
  readonly modelJson: string;
  readonly weights: Uint8Array;
  /** input.json, parsed; absent for a model folder without one. */
  readonly input?: DigitSampleFormat;
}

export interface Classification {
  /** The raw sample the model saw (before its preprocessing), in the training data's range. */
  readonly sample: Float32Array;
  /** One value per class: probabilities, or independent scores when `scored`. */
  readonly probabilities: Float32Array;
  /** Index of the most likely class. */
  readonly best: number;
}

export interface PageModel {
  readonly name: string;
  readonly classNames: readonly string[];
  readonly format: DigitSampleFormat;
  /** The loss gives independent per-class scores (sigmoid outputs), not probabilities summing to 1. */
  readonly scored: boolean;
  /** Undefined when the picture holds no ink. */
  classify(picture: PixelImage): Classification | undefined;
}

/**
 * The plugins the page's models can use: the built-in model plugins and the preprocessing steps.
 * The runner writes precompiled validators for exactly this registry.
 */
export function createPageRegistry(options: RegistryOptions = {}): PluginRegistry {
  const registry = createDefaultRegistry(options);
  for (const plugin of preprocessors) registry.register(plugin, '@scratchnet/datasets');
  registry.freeze();
  return registry;
}

/**
 * Loads a model folder's files with loadModel (every check it makes in Node) and turns pictures
 * into predictions the way `runner predict` does a PNG: digitImageToSample, then predict with
 * the model's stored preprocessing run on the batch, as training ran it.
 */
export function loadPageModel(files: PageModelFiles, registry: PluginRegistry, backend: Backend): PageModel {
  const loaded: LoadedModel = loadModel(files.modelJson, files.weights, registry, { backend });
  const format = files.input ?? defaultSampleFormat(loaded.network.inputShape);
  const classes = loaded.classNames.length;
  const preprocess = createPreprocess(loaded.preprocess, registry, format.sampleShape);
  return {
    name: loaded.name ?? 'model',
    classNames: loaded.classNames,
    format,
    scored: loaded.loss.outputs === 'scores',
    classify(picture) {
      const sample = digitImageToSample(picture, format);
      if (isBlankSample(sample)) return undefined;
      const result = predict(loaded.network, loaded.loss, sample, format.sampleShape, { preprocess });
      const probabilities = Float32Array.from(result.probabilities.data.subarray(0, classes));
      return { sample, probabilities, best: result.classes[0]! };
    },
  };
}
