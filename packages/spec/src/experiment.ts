/**
 * An experiment after validation: shorthand expanded (`"relu"` -> `{ type: "relu" }`), every
 * plugin's defaults filled. The registry produces it from raw YAML/JSON data; `@scratchnet/train`
 * consumes it. Keys are camelCase.
 */
export interface PluginOptions {
  readonly type: string;
  readonly [option: string]: unknown;
}

/** A dataset slot: the plugin's own options plus the common subset selectors. */
export interface DatasetOptions extends PluginOptions {
  /** Skip this many samples from the start (applied before `take`). */
  readonly skip?: number;
  /** Keep at most this many samples. */
  readonly take?: number;
  /** Expected SHA-256 (hex) of files the data set reads, by file name or path. */
  readonly sha256?: Readonly<Record<string, string>>;
}

export interface ValidationSplit {
  /** Fraction of the training set held out, chosen with the seeded rng. */
  readonly fromTrain: number;
  /** Keep class proportions equal in both parts. */
  readonly stratify: boolean;
}

export interface DataConfig {
  readonly train: DatasetOptions;
  readonly test?: DatasetOptions;
  readonly validation?: ValidationSplit;
  readonly preprocess: readonly PluginOptions[];
  /** Augmentation plugins applied in order to every training batch (never validation or test). */
  readonly augment: readonly PluginOptions[];
}

export interface ModelConfig {
  /** Per-sample input shape, e.g. [784] or [1, 28, 28]. */
  readonly input: readonly number[];
  readonly layers: readonly PluginOptions[];
}

export interface TrainingConfig {
  readonly epochs: number;
  readonly batchSize: number;
  /** What to do with a last batch smaller than batchSize. */
  readonly lastBatch: 'keep' | 'drop';
  readonly shuffle: boolean;
  /** Kernel backend: `auto` picks the fastest available. */
  readonly backend: 'auto' | 'js' | 'wasm';
  /** Worker threads (0 = number of cores). */
  readonly threads: number;
  /**
   * How threads share a step: `data` runs micro-shards of the batch on each thread, `split`
   * splits large products, `auto` (the default) picks data for models that allow it and whose
   * products are small.
   */
  readonly parallelism?: 'auto' | 'data' | 'split';
  /** Micro-shards per batch in data-parallel training (1, 2, 4, 8 or 16; default 2), whatever the threads. */
  readonly shards?: number;
  /** Stop when a validation metric has not improved for `patience` epochs. */
  readonly earlyStopping?: EarlyStopping;
  /** When training stops for any reason, the model saved is the best validation epoch's. */
  readonly restoreBest?: boolean;
  /** Scale the gradients down when their global L2 norm exceeds this. */
  readonly clipNorm?: number;
  /** Linear warm-up of any schedule's learning rate over this many epochs (fractions allowed). */
  readonly warmupEpochs?: number;
}

export type ValidationMonitor = 'validation.loss' | 'validation.accuracy';

export interface EarlyStopping {
  readonly monitor: ValidationMonitor;
  /** Epochs without improvement before stopping. */
  readonly patience: number;
  /** Smallest change that counts as an improvement. */
  readonly minDelta: number;
}

export interface ExperimentConfig {
  readonly name: string;
  readonly seed: number;
  readonly plugins: readonly string[];
  readonly data: DataConfig;
  readonly model: ModelConfig;
  readonly loss: PluginOptions;
  readonly optimiser: PluginOptions;
  readonly schedule: PluginOptions;
  readonly training: TrainingConfig;
}
