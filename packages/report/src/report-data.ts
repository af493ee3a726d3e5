/**
 * What a run report shows, as plain data. The runner reads it from a run folder (run.json,
 * config.resolved.yaml, metrics.jsonl, evaluation.json, the model and the test set's pixels);
 * this package only turns it into HTML, so it runs in Node and in browsers alike.
 */

export type RunStatus = 'completed' | 'interrupted' | 'diverged' | 'running';

/** One line of metrics.jsonl. */
export interface EpochMetrics {
  readonly epoch: number;
  readonly epochs: number;
  readonly train: SplitMetrics;
  readonly validation?: SplitMetrics;
  readonly learningRate: number;
  readonly samplesPerSecond: number;
  readonly seconds: number;
}

export interface SplitMetrics {
  readonly loss: number;
  readonly accuracy: number;
}

/** A grey image, row-major; values are drawn from `range[0]` (black) to `range[1]` (white). */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: ArrayLike<number>;
  /** Default: the image's own minimum and maximum. */
  readonly range?: readonly [number, number];
}

/** A test sample with what the model made of it. */
export interface PredictedSample {
  /** Index in the test set. */
  readonly index: number;
  readonly image: GreyImage;
  readonly label: string;
  readonly predicted: string;
  /** The model's probability (or score) for `predicted`. */
  readonly confidence: number;
}

export interface TestResults {
  readonly loss: number;
  readonly accuracy: number;
  readonly count: number;
  readonly classNames: readonly string[];
  /** confusion[label][predicted] = count. */
  readonly confusion: readonly (readonly number[])[];
  /** Up to 100, most confident mistakes first. */
  readonly misclassified: readonly PredictedSample[];
  /** The most confident correct predictions. */
  readonly confidentCorrect: readonly PredictedSample[];
}

export interface LayerRow {
  readonly index: number;
  readonly type: string;
  readonly outputShape: readonly number[];
  readonly parameters: number;
}

/** What the first trained layer learnt: one image per unit (dense) or per filter channel (conv). */
export interface FirstLayerView {
  readonly layer: string;
  readonly caption: string;
  readonly images: readonly GreyImage[];
}

/** Training samples as the batches saw them after data.augment: each original, then its versions. */
export interface AugmentedView {
  readonly caption: string;
  /** Rows of equal length: the original first. */
  readonly rows: readonly (readonly GreyImage[])[];
}

export interface RunReport {
  readonly name: string;
  readonly status: RunStatus;
  /** The run folder as the user would name it. */
  readonly runDir: string;
  /** config.resolved.yaml as written. */
  readonly configYaml: string;
  readonly seed: number;
  readonly createdAt?: string;
  /** Package versions and Node's (run.json). */
  readonly versions: Readonly<Record<string, string>>;
  readonly machine?: { readonly platform: string; readonly arch: string; readonly cpus: number; readonly cpuModel?: string };
  readonly backend: string;
  readonly threads: number;
  readonly epochs: readonly EpochMetrics[];
  /** Planned epochs (training.epochs). */
  readonly plannedEpochs: number;
  readonly totalSeconds?: number;
  readonly samplesPerSecond?: number;
  readonly inputShape: readonly number[];
  readonly layers: readonly LayerRow[];
  readonly test?: TestResults;
  readonly firstLayer?: FirstLayerView;
  /** Present when the run augments its training data. */
  readonly augmented?: AugmentedView;
  /** Shown near the top when present, e.g. the divergence message. */
  readonly note?: string;
}

/** One run in a comparison page. */
export interface ComparedRun {
  readonly name: string;
  readonly runDir: string;
  readonly status: RunStatus;
  /** Resolved config as plain data, for the table of settings that differ. */
  readonly config: unknown;
  readonly epochs: readonly EpochMetrics[];
  readonly test?: SplitMetrics;
  readonly totalSeconds?: number;
}
