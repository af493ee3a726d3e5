import type { PluginOptions, PluginRegistry, PreprocessState, Preprocessor } from '@scratchnet/spec';
import { formatShape, shapeSize, type Shape } from '@scratchnet/tensor';
import type { PreprocessEntry } from './model-json.js';

/** Images with the shape of one sample, sample-major. */
export interface Samples {
  readonly images: Float32Array;
  readonly sampleShape: Shape;
}

/** Sample-major images as a data set holds them: bytes, or floats. */
export type ImageValues = Float32Array | Float64Array | Uint8Array;

/** Raw samples as loaded, before preprocessing. */
export interface RawSamples {
  readonly images: ImageValues;
  readonly sampleShape: Shape;
}

/** One fitted step, ready to run on float32 samples. */
export interface PreparedStep {
  /** Its plugin id, for messages. */
  readonly type: string;
  /** Per-sample shape it takes. */
  readonly inputShape: Shape;
  /** Per-sample shape it makes. */
  readonly outputShape: Shape;
  /** The plugin's apply with the fitted state: in place, or into a new array it returns. */
  apply(images: Float32Array): Float32Array;
}

/**
 * Fitted preprocessing as training, evaluation and prediction run it: on each batch, after the
 * batch is gathered and converted to float32, so no preprocessed copy of a data set is made.
 */
export interface BatchPreprocess {
  /** The steps with their fitted state, as model.json stores them. */
  readonly fitted: readonly PreprocessEntry[];
  readonly steps: readonly PreparedStep[];
  /** Per-sample shape of the raw images the steps take. */
  readonly inputShape: Shape;
  /** Per-sample shape of what they make: the network's input. */
  readonly outputShape: Shape;
  /**
   * byteTables[k][v] (256 float32 values): what the first k steps make of a pixel whose byte
   * value is v, for k = 0 (v itself) up to the number of leading elementwise steps. Made by
   * those steps' own apply (on the 256 values as one sample of shape [256]), so a byte looked
   * up in the last table is bit for bit what the steps make of it in a batch: gathering a batch
   * of bytes through that table converts it and runs those steps in one pass.
   */
  readonly byteTables: readonly Float32Array[];
}

/** The 256 byte values as float32: the table of no steps. */
function byteValues(): Float32Array {
  return Float32Array.from({ length: 256 }, (_, v) => v);
}

function prepareStep(step: Preprocessor, type: string, state: PreprocessState, inputShape: Shape): PreparedStep {
  return { type, inputShape, outputShape: step.outputShape(inputShape), apply: (images) => step.apply(images, inputShape, state) };
}

/** The tables of the leading elementwise steps (see BatchPreprocess.byteTables). */
function tablesOf(created: readonly Preprocessor[], fitted: readonly PreprocessEntry[]): Float32Array[] {
  const tables = [byteValues()];
  for (const [index, step] of created.entries()) {
    if (step.elementwise !== true) break;
    // A copy: apply may work in place, and every table is kept.
    const table = step.apply(tables[index]!.slice(), [256], fitted[index]!.state);
    if (table.length !== 256) {
      throw new Error(
        `preprocess step ${index} (${fitted[index]!.options.type}) declares itself elementwise, but apply made ${table.length} values of 256; ` +
          'an elementwise step maps each value to one value. This is a bug in the preprocess plugin.',
      );
    }
    tables.push(table);
  }
  return tables;
}

function assemble(created: readonly Preprocessor[], fitted: readonly PreprocessEntry[], inputShape: Shape): BatchPreprocess {
  const steps: PreparedStep[] = [];
  let shape = inputShape;
  for (const [index, step] of created.entries()) {
    const prepared = prepareStep(step, fitted[index]!.options.type, fitted[index]!.state, shape);
    steps.push(prepared);
    shape = prepared.outputShape;
  }
  return { fitted, steps, inputShape, outputShape: shape, byteTables: tablesOf(created, fitted) };
}

const createStep = (registry: PluginRegistry, options: PluginOptions): Preprocessor => registry.get('preprocess', options.type).create(options as never);

/**
 * Fits each preprocessing step on the training images, in order, each on what the steps before
 * it make of them. Only steps with `fit` need those images, as float32: one copy of the training
 * set is made when the first such step comes (and the steps before it run on it) and dropped
 * after the last; without such a step (scale, flatten) no copy is made at all. Returns the
 * fitted steps, which model.json stores and batches run.
 */
export function fitPreprocess(steps: readonly PluginOptions[], registry: PluginRegistry, train: RawSamples): BatchPreprocess {
  const created = steps.map((options) => createStep(registry, options));
  const fitted: PreprocessEntry[] = [];
  const shapes: Shape[] = [train.sampleShape];
  let floats: Float32Array | undefined;
  let applied = 0;
  for (const [index, step] of created.entries()) {
    let state: PreprocessState = {};
    if (step.fit !== undefined) {
      floats ??= Float32Array.from(train.images);
      for (; applied < index; applied++) floats = created[applied]!.apply(floats, shapes[applied]!, fitted[applied]!.state);
      state = step.fit(floats, shapes[index]!);
    }
    fitted.push({ options: steps[index]!, state });
    shapes.push(step.outputShape(shapes[index]!));
  }
  return assemble(created, fitted, train.sampleShape);
}

/**
 * Fitted steps (from training or from model.json) ready for batches of raw samples of
 * `inputShape`: the one path from a raw sample to the network's input, in Node (eval, predict)
 * and in the browser page alike. Throws what a step's outputShape throws for a shape it cannot take.
 */
export function createPreprocess(fitted: readonly PreprocessEntry[], registry: PluginRegistry, inputShape: Shape): BatchPreprocess {
  return assemble(
    fitted.map(({ options }) => createStep(registry, options)),
    fitted,
    inputShape,
  );
}

/**
 * Runs steps `from`.. of `preprocess` on float32 samples (sample-major, of the shape step `from`
 * takes); returns the result, which is `images` itself when every step works in place.
 */
export function runSteps(preprocess: BatchPreprocess, images: Float32Array, from = 0): Float32Array {
  let current = images;
  for (let k = from; k < preprocess.steps.length; k++) current = preprocess.steps[k]!.apply(current);
  return current;
}

/** Throws a RangeError unless `sampleShape` is the shape `preprocess` was prepared for. */
export function checkPreprocessInput(preprocess: BatchPreprocess, sampleShape: Shape, what: string): void {
  if (formatShape(sampleShape) !== formatShape(preprocess.inputShape)) {
    throw new RangeError(
      `${what}: the samples are ${formatShape(sampleShape)} (${shapeSize(sampleShape)} values) but the preprocessing was prepared ` +
        `for ${formatShape(preprocess.inputShape)}; create it (createPreprocess) for the shape of these samples`,
    );
  }
}

/**
 * Called after each step with what it produced, e.g. to refuse NaN naming the step. Steps are
 * numbered from 0 in config order.
 */
export type PreprocessCheck = (result: Samples, step: number, type: string) => void;

/**
 * Applies fitted steps to whole float32 arrays of samples (in place where the steps work in
 * place). Training, evaluation and prediction run the steps per batch instead (createPreprocess,
 * and a BatchPreprocess on the data); this is for a few samples at hand.
 */
export function applyPreprocess(fitted: readonly PreprocessEntry[], registry: PluginRegistry, samples: Samples, check?: PreprocessCheck): Samples {
  let current = samples;
  for (const [index, { options, state }] of fitted.entries()) {
    const step = createStep(registry, options);
    current = { images: step.apply(current.images, current.sampleShape, state), sampleShape: step.outputShape(current.sampleShape) };
    check?.(current, index, options.type);
  }
  return current;
}
