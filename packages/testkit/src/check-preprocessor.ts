import type { PreprocessPlugin, PreprocessState } from '@scratchnet/spec';
import { type Shape, formatShape, shapeSize } from '@scratchnet/tensor';
import { optionsWithDefaults } from './build-context.js';
import { sameValues } from './random-tensors.js';

export interface PreprocessorCheckOptions {
  /** Training images, sample-major: count * product(sampleShape) values. Not changed. */
  readonly images: Float32Array;
  /** Per-sample shape of `images`. */
  readonly sampleShape: Shape;
  /** Samples checked one at a time against the whole-set result (default 8). */
  readonly singleSamples?: number;
}

export interface PreprocessorReport {
  /** What fit learnt (as model.json will store it). */
  readonly state: PreprocessState;
  readonly outputShape: Shape;
  /** apply(images) with that state. */
  readonly output: Float32Array;
}

function stateProblem(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null || Array.isArray(state) || Object.getPrototypeOf(state) !== Object.prototype) {
    return `fit must return a plain object, got ${Array.isArray(state) ? 'an array' : String(state)}`;
  }
  for (const [key, value] of Object.entries(state)) {
    const finite = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);
    if (!(typeof value === 'string' || finite(value) || (Array.isArray(value) && value.every(finite)))) {
      return `state.${key} must be a finite number, a string or a plain array of finite numbers (model.json stores it as JSON), got ${String(value)}`;
    }
  }
  return undefined;
}

/**
 * Checks a preprocessing step the way training and prediction use it: `fit` on the training
 * images leaves them unchanged and returns the same JSON-safe state every time (numbers, strings
 * and arrays of numbers: model.json stores it); `apply` returns count * product(outputShape)
 * values; it gives the same values with the state read back from JSON; and each sample
 * transformed on its own (as `runner predict` does, with a new step from the same options)
 * equals its row of the whole-set result. Returns the state and the output, to check by hand;
 * throws an Error naming the first problem.
 */
export function checkPreprocessor<O>(plugin: PreprocessPlugin<O>, options: Partial<O>, check: PreprocessorCheckOptions): PreprocessorReport {
  const what = `checkPreprocessor(${plugin.type})`;
  const fail = (message: string): never => {
    throw new Error(`${what}: ${message}`);
  };
  const { images, sampleShape } = check;
  const inSize = shapeSize(sampleShape);
  const count = images.length / inSize;
  if (!Number.isInteger(count) || count < 1) fail(`images has ${images.length} values, not a whole number (>= 1) of ${formatShape(sampleShape)} samples.`);
  const create = () => plugin.create(optionsWithDefaults(plugin, options));

  const step = create();
  const input = images.slice();
  // A step without fit learns nothing: its state is {}, as training stores it.
  const fitOf = (s: typeof step, values: Float32Array): PreprocessState => s.fit?.(values, sampleShape) ?? {};
  const state = fitOf(step, input);
  if (!sameValues(input, images)) fail('fit changed the images it was given; fit only learns, apply transforms.');
  const problem = stateProblem(state);
  if (problem !== undefined) fail(`${problem}.`);
  const again = JSON.stringify(fitOf(create(), images.slice()));
  if (again !== JSON.stringify(state)) fail(`two fits on the same images returned different states (${JSON.stringify(state)} and ${again}); fit must be deterministic.`);
  const stored = JSON.parse(JSON.stringify(state)) as PreprocessState;

  const outputShape = step.outputShape(sampleShape);
  if (!(outputShape.length > 0 && outputShape.every((d) => Number.isInteger(d) && d >= 1))) {
    fail(`outputShape(${formatShape(sampleShape)}) is ${formatShape(outputShape)}; it must be a per-sample shape (every dimension an integer >= 1).`);
  }
  const outSize = shapeSize(outputShape);
  const output = step.apply(images.slice(), sampleShape, state);
  if (!(output instanceof Float32Array) || output.length !== count * outSize) {
    fail(`apply returned ${output?.length} values; ${count} samples of outputShape ${formatShape(outputShape)} need ${count * outSize} in a Float32Array.`);
  }
  if (!sameValues(create().apply(images.slice(), sampleShape, stored), output)) {
    fail('apply gives other values with the state read back from JSON; keep the state to JSON-safe values (model.json stores it).');
  }
  const singles = Math.min(count, check.singleSamples ?? 8);
  for (let i = 0; i < singles; i++) {
    const one = create().apply(images.slice(i * inSize, (i + 1) * inSize), sampleShape, stored);
    if (!sameValues(one, output.subarray(i * outSize, (i + 1) * outSize))) {
      fail(
        `sample ${i} transformed on its own differs from its row of the whole set. apply must transform each sample using only ` +
          'the sample and the fitted state (prediction transforms one image at a time).',
      );
    }
  }
  return { state, outputShape, output };
}
