import type { Backend, DType, Rng, Shape, Tensor } from '@scratchnet/tensor';
import type { ConfigIssue, ConfigPath } from './errors.js';
import type { AugmentationPlugin, DatasetPlugin, PreprocessPlugin } from './data-plugins.js';
import type { ExperimentConfig, PluginOptions } from './experiment.js';
import type { OnnxLayerContext, OnnxNode } from './onnx-hook.js';

/**
 * The plugin contract. A plugin is a plain object: an id (`type`), a JSON Schema for its
 * options (the only place defaults live) and one factory. Shapes given to and returned by
 * plugins are per-sample (no batch dimension); tensors passed at run time carry the batch as
 * their first dimension.
 */
export const SPEC_VERSION = 1 as const;

export type PluginKind = 'layer' | 'loss' | 'optimiser' | 'schedule' | 'initialiser' | 'dataset' | 'preprocess' | 'augmentation';
export const PLUGIN_KINDS: readonly PluginKind[] = [
  'layer',
  'loss',
  'optimiser',
  'schedule',
  'initialiser',
  'dataset',
  'preprocess',
  'augmentation',
];

/** A JSON Schema (draft 2020-12 subset that ajv compiles in strict mode). */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** How a config names a plugin: `"relu"` is shorthand for `{ type: "relu" }`. */
export type PluginRef = string | { readonly type: string; readonly [option: string]: unknown };

export interface PluginBase<K extends PluginKind> {
  readonly kind: K;
  /** kebab-case id; third-party ids are `namespace/name`. */
  readonly type: string;
  readonly specVersion: typeof SPEC_VERSION;
  /** One line for `runner plugins`. */
  readonly description: string;
  /** Object schema of the options (without `type`), with defaults. */
  readonly optionsSchema: JsonSchema;
  /**
   * Options that name another plugin (e.g. a dense layer's `weightInit` names an initialiser).
   * The registry validates them as plugin references of that kind.
   */
  readonly references?: { readonly [option: string]: PluginKind };
}

/** Validated options always carry their `type`; plugin-specific fields follow. */
export type Options<O> = O & { readonly type: string };

// ---------------------------------------------------------------------------------------------
// Layers

export interface Fan {
  readonly fanIn: number;
  readonly fanOut: number;
}

export interface BuildContext {
  /** Per-sample input shape. */
  readonly inputShape: Shape;
  /** Seeded stream for initial weights and for train-time randomness such as dropout masks. */
  readonly rng: Rng;
  readonly backend: Backend;
  readonly dtype: DType;
  /** A new parameter tensor of `shape`, filled by the referenced initialiser. */
  initialise(ref: PluginRef, shape: Shape, fan: Fan): Tensor;
  /**
   * Whether the network needs dLoss/dInput from this layer's backward. Networks build the first
   * layer with parameters with `false` (nothing before it learns), so it may skip that product,
   * which for a dense layer on images is as large as its weight gradient. Absent means true.
   */
  readonly inputGradient?: boolean;
}

/**
 * Tensors a layer may reuse from one forward to the next instead of allocating new ones, so a
 * training step allocates nothing after its first batch.
 */
export interface LayerBuffers {
  /**
   * A tensor of this shape and dtype that only this layer writes: the same one on every call
   * with the same key and shape (allocated once with backend.zeros). Its contents are whatever
   * the layer last wrote into it.
   */
  get(key: string, shape: Shape, dtype: DType): Tensor;
}

export type Mode = 'train' | 'eval';

export interface ForwardResult {
  readonly output: Tensor;
  /**
   * Given dLoss/dOutput, writes dLoss/dParam into `grads[name]` (overwriting) for each
   * parameter and returns dLoss/dInput, or undefined when the layer was built with
   * `inputGradient: false`. May be called once per forward; must not write into `outputGrad`.
   */
  backward(outputGrad: Tensor, grads: Readonly<Record<string, Tensor>>): Tensor | undefined;
}

export interface Layer {
  /** Trainable parameters by name (empty for parameter-free layers). */
  readonly params: Readonly<Record<string, Tensor>>;
  /** Names of parameters subject to weight decay (default: every parameter). */
  readonly decayed?: readonly string[];
  /**
   * Non-trained tensors the layer updates itself, by name (e.g. batch norm's running mean and
   * variance, updated by each train-mode forward). Saved with the model and in checkpoints and
   * restored on load, like parameters, but never given to the optimiser: no gradient, no weight
   * decay. The layer must update them in place (loading writes into these same tensors).
   */
  readonly state?: Readonly<Record<string, Tensor>>;
  /**
   * The smallest batch the layer can train on (batch norm: 2, since it normalises with the
   * batch's own statistics). Training refuses a plan with a smaller batch before its first step.
   */
  readonly minTrainingBatch?: number;
  /**
   * Training and evaluation loops pass `buffers`: the layer should then write its output and
   * gradients into tensors from it, and what it returns (output, backward and the tensor that
   * returns) stays valid only until its next forward given buffers. Without `buffers` every call
   * allocates, and two forwards never overwrite each other.
   */
  forward(input: Tensor, mode: Mode, buffers?: LayerBuffers): ForwardResult;
}

export interface LayerPlugin<O = Record<string, unknown>> extends PluginBase<'layer'> {
  /** Pure; lets the builder check every shape before any weight exists. Throws ShapeError. */
  outputShape(inputShape: Shape, options: Options<O>): Shape;
  create(options: Options<O>, context: BuildContext): Layer;
  /**
   * Optional: the layer at inference as ONNX operators, for `runner export --format onnx`.
   * Without it, a model that uses the layer cannot be exported (built-in layers are mapped by
   * @scratchnet/onnx itself). See OnnxLayerContext and docs/plugins.md.
   */
  toOnnx?(context: OnnxLayerContext<O>): readonly OnnxNode[];
}

// ---------------------------------------------------------------------------------------------
// Losses

export interface LossResult {
  /** Scalar loss for the batch. */
  readonly loss: number;
  /** dLoss/dPredictions, same shape as the predictions. */
  backward(): Tensor;
}

export interface Loss {
  /** predictions [n, classes]; labels: n integer class indices. */
  forward(predictions: Tensor, labels: ArrayLike<number>): LossResult;
  /** Turns network outputs into class scores for predict() (e.g. softmax of logits). */
  probabilities(predictions: Tensor): Tensor;
  /**
   * How `forward` combines samples: `mean` (the default) averages over the batch, `sum` adds
   * them up. Evaluation uses it to report a per-sample loss whatever its batch size.
   */
  readonly reduction?: 'mean' | 'sum';
  /**
   * What `probabilities` returns: `probabilities` (the default) sum to 1 per sample, as a
   * softmax does; `scores` are independent per-class values (e.g. sigmoid outputs trained with a
   * squared error) that need not, so predict shows them as scores rather than percentages.
   */
  readonly outputs?: 'probabilities' | 'scores';
}

export interface LossPlugin<O = Record<string, unknown>> extends PluginBase<'loss'> {
  create(options: Options<O>, context: { readonly backend: Backend }): Loss;
}

// ---------------------------------------------------------------------------------------------
// Optimisers and schedules

export interface Parameter {
  /** Unique name, e.g. `layers.0.weight`. */
  readonly name: string;
  readonly value: Tensor;
  readonly grad: Tensor;
  /** Whether weight decay applies. */
  readonly decay: boolean;
}

/** Serialisable optimiser state: a step count and named buffers (e.g. `layers.0.weight.m`). */
export interface OptimiserState {
  readonly step: number;
  readonly buffers: Readonly<Record<string, Float32Array | Float64Array>>;
}

/** Per-step settings a schedule may vary besides the learning rate (one-cycle cycles momentum). */
export interface StepOptions {
  /**
   * Momentum for this step in place of the configured one: SGD's momentum, Adam's beta1 (the
   * first-moment decay). Optimisers without momentum ignore it.
   */
  readonly momentum?: number;
}

/** What an optimiser's step found out about the weights it wrote. */
export interface OptimiserStepResult {
  /** Name of the first parameter whose weights are no longer all finite after this step, if any. */
  readonly nonFinite?: string;
}

export interface Optimiser {
  /**
   * Updates every parameter in place from its grad. Returning a result says the step checked
   * the weights it wrote (the built-in optimisers' kernels do it in the same pass), so training
   * stops on `nonFinite` and scans nothing itself. Returning nothing is fine too: training then
   * scans every weight after the step, so optimisers written before results existed keep working
   * unchanged.
   */
  step(learningRate: number, options?: StepOptions): OptimiserStepResult | void;
  state(): OptimiserState;
  loadState(state: OptimiserState): void;
}

export interface OptimiserPlugin<O = Record<string, unknown>> extends PluginBase<'optimiser'> {
  create(options: Options<O>, context: { readonly params: readonly Parameter[]; readonly backend: Backend }): Optimiser;
}

export interface ScheduleContext {
  readonly iterationsPerEpoch: number;
  readonly totalIterations: number;
}

/** What a schedule may learn from at the end of each epoch (e.g. reduce-on-plateau). */
export interface EpochMetrics {
  /** 1-based. */
  readonly epoch: number;
  readonly train: { readonly loss: number; readonly accuracy: number };
  readonly validation?: { readonly loss: number; readonly accuracy: number };
}

export interface Schedule {
  /** Learning rate for a 0-based iteration (optimiser step) count. */
  learningRate(iteration: number): number;
  /** Momentum for the iteration, when the schedule cycles it (one-cycle); else undefined. */
  momentum?(iteration: number): number | undefined;
  /**
   * Called after every epoch (validation included). A schedule that reacts to metrics keeps what
   * it learnt in state(), which checkpoints save and loadState() restores on resume.
   */
  observe?(metrics: EpochMetrics): void;
  state?(): unknown;
  loadState?(state: unknown): void;
}

export interface SchedulePlugin<O = Record<string, unknown>> extends PluginBase<'schedule'> {
  create(options: Options<O>, context: ScheduleContext): Schedule;
}

// ---------------------------------------------------------------------------------------------
// Initialisers

export interface Initialiser {
  /** Fills `target` in place. */
  fill(target: Tensor, fan: Fan, rng: Rng): void;
}

export interface InitialiserPlugin<O = Record<string, unknown>> extends PluginBase<'initialiser'> {
  create(options: Options<O>): Initialiser;
}

export type Plugin =
  | LayerPlugin<never>
  | LossPlugin<never>
  | OptimiserPlugin<never>
  | SchedulePlugin<never>
  | InitialiserPlugin<never>
  | DatasetPlugin<never>
  | PreprocessPlugin<never>
  | AugmentationPlugin<never>;

// ---------------------------------------------------------------------------------------------
// Third-party packages

export interface PluginPackage {
  readonly meta: { readonly name: string; readonly version: string; readonly namespace: string };
  readonly layers?: readonly LayerPlugin<never>[];
  readonly losses?: readonly LossPlugin<never>[];
  readonly optimisers?: readonly OptimiserPlugin<never>[];
  readonly schedules?: readonly SchedulePlugin<never>[];
  readonly initialisers?: readonly InitialiserPlugin<never>[];
  readonly datasets?: readonly DatasetPlugin<never>[];
  readonly preprocessors?: readonly PreprocessPlugin<never>[];
  readonly augmentations?: readonly AugmentationPlugin<never>[];
}

/**
 * A plugin package a saved model needs, as model.json records it: the package's meta, and where
 * it was loaded from when the model was written (a package name, or for a local module a path
 * relative to the model folder, absolute when the two share no folder but the root), so a loader
 * can import it again.
 */
export interface PluginRecord {
  readonly name: string;
  readonly version: string;
  readonly namespace: string;
  readonly from?: string;
}

// ---------------------------------------------------------------------------------------------
// Schema helpers

/**
 * Schema of an option that names another plugin (`"he-normal"` or `{ type: "normal", std: 0.1 }`).
 * Pair it with the plugin's `references` entry so the registry validates the named plugin too.
 */
export function pluginRefSchema(defaultRef?: PluginRef, description?: string): JsonSchema {
  return {
    type: ['string', 'object'],
    ...(description === undefined ? {} : { description }),
    ...(defaultRef === undefined ? {} : { default: defaultRef }),
  };
}

// ---------------------------------------------------------------------------------------------
// The registry, as the rest of scratchnet sees it (implemented by @scratchnet/registry)

export interface PluginsByKind {
  layer: LayerPlugin<never>;
  loss: LossPlugin<never>;
  optimiser: OptimiserPlugin<never>;
  schedule: SchedulePlugin<never>;
  initialiser: InitialiserPlugin<never>;
  dataset: DatasetPlugin<never>;
  preprocess: PreprocessPlugin<never>;
  augmentation: AugmentationPlugin<never>;
}

export interface ValidationResult<T> {
  /** Present when there are no issues. */
  readonly value?: T;
  readonly issues: readonly ConfigIssue[];
}

export interface PluginRegistry {
  /** Adds one plugin; `source` names where it came from (package name or file) for messages. */
  register(plugin: Plugin, source?: string): void;
  /** Adds every plugin of a third-party package, with ids `namespace/type`. */
  registerPackage(pkg: PluginPackage, source?: string): void;
  /** Throws UnknownPluginError (with the known ids and a did-you-mean) for an unknown type. */
  get<K extends PluginKind>(kind: K, type: string): PluginsByKind[K];
  has(kind: PluginKind, type: string): boolean;
  list<K extends PluginKind>(kind: K): readonly PluginsByKind[K][];
  /** Where a registered plugin came from. */
  sourceOf(kind: PluginKind, type: string): string | undefined;
  /** No more registrations after this. */
  freeze(): void;
  /**
   * Validates one plugin reference (string shorthand or object) of `kind` found at `path`:
   * unknown type, bad values and unknown keys all reported; defaults filled in the result.
   */
  validateOptions(
    kind: PluginKind,
    ref: unknown,
    path?: ConfigPath,
  ): ValidationResult<PluginOptions>;
  /** Validates a whole experiment (envelope + every plugin slot), collecting all issues. */
  validateExperiment(raw: unknown): ValidationResult<ExperimentConfig>;
  /** The composed JSON Schema of an experiment file, for editor completion. */
  experimentSchema(): JsonSchema;
}
