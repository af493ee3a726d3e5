import type { Layer, LayerPlugin, Mode, Options } from '@scratchnet/spec';
import { type Backend, type FloatArray, type Rng, type Shape, Tensor, createRng, formatShape, shapesEqual } from '@scratchnet/tensor';
import { createTestContext, optionsWithDefaults } from './build-context.js';
import { type GradientCheckReport, GradientTally } from './gradient-report.js';
import { type PassValues, checkBufferedPasses, comparePasses, runPass } from './layer-passes.js';
import { nanLike, sameValues, sampleIndices, uniformTensor } from './random-tensors.js';

export interface GradientCheckOptions {
  /** Per-sample input shape. */
  readonly inputShape: Shape;
  /** Samples per batch (default 3). */
  readonly batch?: number;
  /** One full check per seed (default [1, 2, 3]). */
  readonly seeds?: readonly number[];
  /** Largest allowed relative error (default 1e-6). */
  readonly tolerance?: number;
  /** Central-difference step (default 1e-6). */
  readonly epsilon?: number;
  /** Mode passed to forward (default 'train', so train-time paths such as dropout are checked). */
  readonly mode?: Mode;
  /** Inputs `[batch, ...inputShape]` to use instead of random ones (a function gets the seed). */
  readonly inputs?: Tensor | ((seed: number) => Tensor);
  /**
   * Random inputs are uniform in [-2, 2] with |x| >= 0.05 (true, the default) so no central
   * difference straddles a kink at 0; false allows any value; a number sets the gap.
   */
  readonly keepAwayFromKinks?: boolean | number;
  /** Tensors larger than this get a seeded sample of this many elements (default 200). */
  readonly maxElementsPerTensor?: number;
  /** Default: the JS reference backend. */
  readonly backend?: Backend;
  /**
   * Also run the layer given LayerBuffers (default true): per seed, two forward/backward passes
   * with one `createLayerBuffers(backend)` (the second on other values written into the same
   * input and outputGrad tensors) must equal the passes without buffers within 1e-12, and
   * change neither input nor outputGrad.
   */
  readonly buffers?: boolean;
  /**
   * Also build the layer with `inputGradient: false` (default true): its backward must write the
   * same parameter gradients and output, and return undefined or the same input gradient.
   */
  readonly inputGradientFalse?: boolean;
}

export const DEFAULT_KINK_GAP = 0.05;

/**
 * Checks a layer's backward pass against float64 central differences, for the input and every
 * parameter element (a seeded sample of at most `maxElementsPerTensor` per tensor when larger).
 *
 * The scalar checked is loss = sum(output * R) with a fixed random R ~ U[-1, 1], so
 * dLoss/dOutput = R is what `backward` receives, and
 * numeric = sum((output(v + eps) - output(v - eps)) * R) / 2eps (see centralDifferenceOfDot).
 * The layer's `context.rng` state is saved after `create` and restored before every forward, so
 * train-time randomness (dropout masks) is identical in every pass. Gradient buffers start as
 * NaN, so a backward that skips or accumulates into a gradient fails. It also fails when
 * forward changes its input, backward changes its outputGrad, or shapes disagree with
 * `outputShape`. Once the gradients pass, it checks the buffers path and the
 * `inputGradient: false` build (see `buffers` and `inputGradientFalse`), which must give the
 * same results as the plain allocating pass.
 *
 * Returns a report; throws an Error listing the worst elements (tensor, index, analytic,
 * numeric) when the relative error (see `relativeError`) exceeds the tolerance anywhere.
 */
export function checkGradients<O>(
  plugin: LayerPlugin<O>,
  options: Partial<O>,
  check: GradientCheckOptions,
): GradientCheckReport {
  const seeds = check.seeds ?? [1, 2, 3];
  const tolerance = check.tolerance ?? 1e-6;
  const epsilon = check.epsilon ?? 1e-6;
  const gap = kinkGap(check.keepAwayFromKinks);
  const maxElements = check.maxElementsPerTensor ?? 200;
  const mode = check.mode ?? 'train';
  const what = `checkGradients(${plugin.type})`;
  const full = optionsWithDefaults(plugin, options);
  const tally = new GradientTally();
  const contractChecks: Array<() => void> = [];

  for (const seed of seeds) {
    const context = createTestContext({ inputShape: check.inputShape, seed, dtype: 'float64', backend: check.backend });
    const layer = plugin.create(full, context);
    const dataRng = createRng(seed).fork();
    const input = testInputs(check, seed, dataRng, gap);
    const expected = [input.shape[0]!, ...plugin.outputShape(check.inputShape, full)];
    const rngState = context.rng.state();
    const run = (x: Tensor) => {
      context.rng.setState(rngState);
      return layer.forward(x, mode);
    };

    const before = input.clone();
    const result = run(input);
    if (!shapesEqual(result.output.shape, expected)) {
      throw new Error(
        `${what}: forward returned ${formatShape(result.output.shape)} but outputShape() says ${formatShape(expected)} ` +
          `for input ${formatShape(input.shape)}. Make forward and outputShape agree.`,
      );
    }
    if (!sameValues(before.data, input.data)) {
      throw new Error(`${what}: forward changed its input tensor. Write results to new tensors; inputs are shared.`);
    }
    const r = uniformTensor(dataRng, expected, -1, 1);
    const outputGrad = r.clone();
    const grads = Object.fromEntries(Object.entries(layer.params).map(([name, p]) => [name, nanLike(p)]));
    const inputGrad = result.backward(outputGrad, grads);
    if (inputGrad === undefined) {
      throw new Error(`${what}: backward returned undefined, but the layer was not built with inputGradient: false. Return dLoss/dInput.`);
    }
    if (!sameValues(outputGrad.data, r.data)) {
      throw new Error(`${what}: backward changed its outputGrad tensor. Write results to new tensors.`);
    }
    if (inputGrad.size !== input.size) {
      throw new Error(
        `${what}: backward returned ${formatShape(inputGrad.shape)} for input ${formatShape(input.shape)}; ` +
          'the input gradient needs the input shape.',
      );
    }

    // Outputs are copied: an identity layer may return its input, which the next step perturbs.
    const outputs = () => run(input).output.data.slice();
    const tensors: Array<[string, Tensor, Tensor]> = [
      ['input', input, inputGrad],
      ...Object.entries(layer.params).map(([name, p]): [string, Tensor, Tensor] => [name, p, grads[name]!]),
    ];
    for (const [name, value, grad] of tensors) {
      for (const index of sampleIndices(dataRng, value.size, maxElements)) {
        const numeric = centralDifferenceOfDot(value, index, epsilon, outputs, r.data);
        tally.compare(seed, name, value.shape, index, grad.data[index]!, numeric);
      }
    }

    const setup = { what, layer, mode, beforeForward: () => context.rng.setState(rngState) };
    const plain = runPass(setup, input, r);
    if (check.buffers !== false) {
      // Given inputs may have a restricted domain: reuse their values, rows reversed.
      const x2 = check.inputs === undefined ? uniformTensor(dataRng, input.shape, -2, 2, gap) : reverseRows(input);
      const dy2 = uniformTensor(dataRng, expected, -1, 1);
      const cases = [
        { x: input, dy: r, label: `the first of two passes given one createLayerBuffers (seed ${seed})`, expected: plain },
        { x: x2, dy: dy2, label: `the second of two passes given one createLayerBuffers (seed ${seed})`, expected: runPass(setup, x2, dy2) },
      ];
      contractChecks.push(() => checkBufferedPasses(setup, context.backend, cases, BUFFERS_TOLERANCE));
    }
    if (check.inputGradientFalse !== false) {
      contractChecks.push(() => checkInputGradientFalse(plugin, full, { ...check, seed }, layer, mode, input, r, plain));
    }
  }
  const report = tally.finish(what, seeds, tolerance);
  for (const contractCheck of contractChecks) contractCheck();
  return report;
}

/** Relative tolerance of the buffers and inputGradient comparisons: the same float64 maths, maybe reordered. */
const BUFFERS_TOLERANCE = 1e-12;

/**
 * Builds the layer again with `inputGradient: false` and the same parameters, runs one pass on
 * (x, dy) and compares it with `plain`, the pass of the normally built layer.
 */
function checkInputGradientFalse<O>(
  plugin: LayerPlugin<O>,
  full: Options<O>,
  check: GradientCheckOptions & { readonly seed: number },
  built: Layer,
  mode: Mode,
  x: Tensor,
  dy: Tensor,
  plain: PassValues,
): void {
  const what = `checkGradients(${plugin.type})`;
  const context = createTestContext({ inputShape: check.inputShape, seed: check.seed, dtype: 'float64', backend: check.backend, inputGradient: false });
  const layer = plugin.create(full, context);
  for (const [name, value] of Object.entries(built.params)) layer.params[name]?.data.set(value.data);
  const rngState = context.rng.state();
  const pass = runPass({ what, layer, mode, beforeForward: () => context.rng.setState(rngState) }, x, dy);
  comparePasses(
    {
      what,
      label: `the layer built with inputGradient: false (seed ${check.seed})`,
      sides: ['with inputGradient: false', 'without'],
      advice: 'inputGradient: false may only skip dLoss/dInput (backward then returns undefined); output and parameter gradients must not change.',
      inputGradOptional: true,
      tolerance: BUFFERS_TOLERANCE,
    },
    pass,
    plain,
  );
}

/** A copy of a batch with its rows in reverse order. */
function reverseRows(batch: Tensor): Tensor {
  const reversed = Tensor.zeros(batch.shape, batch.dtype);
  const columns = batch.columns;
  for (let row = 0; row < batch.rows; row++) {
    reversed.data.set(batch.data.subarray(row * columns, (row + 1) * columns), (batch.rows - 1 - row) * columns);
  }
  return reversed;
}

/** (f(v + eps) - f(v - eps)) / 2eps for element `index` of `tensor`, restoring it afterwards. */
export function centralDifference(tensor: Tensor, index: number, epsilon: number, f: () => number): number {
  const original = tensor.data[index]!;
  tensor.data[index] = original + epsilon;
  const plus = f();
  tensor.data[index] = original - epsilon;
  const minus = f();
  tensor.data[index] = original;
  return (plus - minus) / (2 * epsilon);
}

/**
 * The same derivative for loss = sum(f() * r), summed as sum((f(v + eps) - f(v - eps)) * r):
 * subtracting outputs before summing keeps the rounding of large sums out of the difference,
 * so outputs that do not depend on the element contribute exactly zero.
 */
export function centralDifferenceOfDot(
  tensor: Tensor,
  index: number,
  epsilon: number,
  f: () => FloatArray,
  r: ArrayLike<number>,
): number {
  const original = tensor.data[index]!;
  tensor.data[index] = original + epsilon;
  const plus = f();
  tensor.data[index] = original - epsilon;
  const minus = f();
  tensor.data[index] = original;
  let total = 0;
  for (let j = 0; j < r.length; j++) total += (plus[j]! - minus[j]!) * r[j]!;
  return total / (2 * epsilon);
}

export function kinkGap(keepAwayFromKinks: boolean | number | undefined): number {
  if (keepAwayFromKinks === undefined || keepAwayFromKinks === true) return DEFAULT_KINK_GAP;
  if (keepAwayFromKinks === false) return 0;
  return keepAwayFromKinks;
}

function testInputs(check: GradientCheckOptions, seed: number, rng: Rng, gap: number): Tensor {
  const batch = check.batch ?? 3;
  if (check.inputs === undefined) return uniformTensor(rng, [batch, ...check.inputShape], -2, 2, gap);
  const given = typeof check.inputs === 'function' ? check.inputs(seed) : check.inputs;
  if (!shapesEqual(given.shape.slice(1), check.inputShape)) {
    throw new Error(
      `checkGradients: inputs have shape ${formatShape(given.shape)}, expected [batch, ...${formatShape(check.inputShape)}].`,
    );
  }
  // A float64 copy: the caller's tensor is perturbed element by element and must stay untouched.
  return given.to('float64');
}
