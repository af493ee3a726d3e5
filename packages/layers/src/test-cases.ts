import type { LayerPlugin, Mode } from '@scratchnet/spec';
import type { Rng, Shape } from '@scratchnet/tensor';
import type { Padding, SizePair } from './window-options.js';

/**
 * Seeded generators of random layer configurations for the property-based gradient checks
 * (gradients.property.test.ts; excluded from the build by the `test-*` pattern). fast-check is
 * not in the lockfile, so cases come from @scratchnet/tensor's Rng: one case per seed, replayable.
 *
 * Window layers get their input size derived from a chosen output size (rather than drawn and
 * filtered), so every case is valid and the expected output shape is known independently of the
 * plugin's own outputShape, which the property then checks too.
 */

/** One generated gradient-check case: layer options and the check's per-sample shape, batch and mode. */
export interface LayerCase {
  readonly options: Record<string, unknown>;
  readonly inputShape: Shape;
  readonly batch: number;
  readonly mode: Mode;
  /** The per-sample output shape the generator derived, when it derived one. */
  readonly outputShape?: Shape;
}

export type CaseGenerator = (rng: Rng) => LayerCase;

/** An integer in [low, high]. */
export const intIn = (rng: Rng, low: number, high: number): number => low + rng.int(high - low + 1);

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)]!;

export const coin = (rng: Rng): boolean => rng.next() < 0.5;

/** Batch sizes 1..5 (2..5 where the layer needs two samples, as batch-norm does in training). */
const batchSize = (rng: Rng, minimum = 1): number => intIn(rng, minimum, 5);

/**
 * A shape of `rank` sides, each 1..maxSide, holding at most `maxSize` values: sides are drawn
 * one by one within what the size budget leaves, so no draw is thrown away.
 */
export function randomShape(rng: Rng, rank: number, maxSide: number, maxSize: number): number[] {
  const shape: number[] = [];
  let budget = maxSize;
  for (let d = 0; d < rank; d++) {
    // Leave at least 1 per remaining side.
    const side = intIn(rng, 1, Math.max(1, Math.min(maxSide, budget)));
    shape.push(side);
    budget = Math.floor(budget / side);
  }
  return shape;
}

/** `size` as `rank` factors in random order, e.g. 12 -> [2, 1, 6]: another shape with the same values. */
export function factorShape(rng: Rng, size: number, rank: number): number[] {
  const shape: number[] = [];
  let rest = size;
  for (let d = 0; d < rank - 1; d++) {
    const divisors = Array.from({ length: rest }, (_, i) => i + 1).filter((k) => rest % k === 0);
    const side = pick(rng, divisors);
    shape.push(side);
    rest /= side;
  }
  shape.push(rest);
  return shape;
}

/** [height, width] as the option would be written: the scalar form when both agree and a coin says so. */
function sizePair(rng: Rng, height: number, width: number): SizePair {
  return height === width && coin(rng) ? height : [height, width];
}

/** Per-sample shapes of rank 1..4 (small, so every element is checked): layers that keep or only reshape any sample. */
function anySample(rng: Rng, maxSize = 24): number[] {
  return randomShape(rng, intIn(rng, 1, 4), 4, maxSize);
}

/** A case for a layer that accepts any per-sample shape and has the given options. */
function anyShapeCase(rng: Rng, options: Record<string, unknown>, mode: Mode = 'train'): LayerCase {
  const inputShape = anySample(rng);
  return { options, inputShape, batch: batchSize(rng), mode, outputShape: inputShape };
}

/**
 * One axis of a sliding window: kernel k, stride t, dilation d, padding a (before) + b (after),
 * input s and output o with o = floor((s + a + b − d(k − 1) − 1) / t) + 1 (window-options.ts).
 */
interface Axis {
  readonly input: number;
  readonly output: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly padding: number;
}

/**
 * An axis with output 1..3 and symmetric padding a <= maxPadding: s = (o − 1)t + d(k − 1) + 1 − 2a + r
 * for a remainder r in [0, t) (the floor drops it). a is capped so that s >= 1, so every draw is valid.
 */
function paddedAxis(rng: Rng, kernel: number, stride: number, dilation: number, maxPadding: number): Axis {
  const output = intIn(rng, 1, 3);
  const unpadded = (output - 1) * stride + dilation * (kernel - 1) + 1 + rng.int(stride);
  const padding = intIn(rng, 0, Math.min(maxPadding, Math.floor((unpadded - 1) / 2)));
  return { input: unpadded - 2 * padding, output, kernel, stride, dilation, padding };
}

/** An axis under padding 'same': any input 1..7 gives ceil(s / t) outputs. */
function sameAxis(rng: Rng, kernel: number, stride: number, dilation: number): Axis {
  const input = intIn(rng, 1, 7);
  return { input, output: Math.ceil(input / stride), kernel, stride, dilation, padding: 0 };
}

type PaddingKind = 'valid' | 'explicit' | 'same';

/** The padding option for two axes drawn with `kind` (explicit: [height, width], or one integer when equal). */
function paddingOption(rng: Rng, kind: PaddingKind, [h, w]: readonly [Axis, Axis]): Padding {
  if (kind === 'valid' || kind === 'same') return kind;
  return h.padding === w.padding && coin(rng) ? h.padding : [h.padding, w.padding];
}

/** Two axes of a window: `maxPadding(kernel)` bounds explicit padding (a pool's must stay below its window). */
function windowAxes(
  rng: Rng,
  kind: PaddingKind,
  draw: () => { kernel: number; stride: number; dilation: number },
  maxPadding: (kernel: number) => number,
): readonly [Axis, Axis] {
  const axis = (): Axis => {
    const { kernel, stride, dilation } = draw();
    if (kind === 'same') return sameAxis(rng, kernel, stride, dilation);
    return paddedAxis(rng, kernel, stride, dilation, kind === 'valid' ? 0 : maxPadding(kernel));
  };
  return [axis(), axis()];
}

const conv2dCase: CaseGenerator = (rng) => {
  const kind = pick<PaddingKind>(rng, ['valid', 'explicit', 'same']);
  const [h, w] = windowAxes(rng, kind, () => ({ kernel: intIn(rng, 1, 3), stride: intIn(rng, 1, 3), dilation: intIn(rng, 1, 2) }), () => 2);
  const channels = intIn(rng, 1, 3);
  const filters = intIn(rng, 1, 3);
  const options = {
    filters,
    kernelSize: sizePair(rng, h.kernel, w.kernel),
    stride: sizePair(rng, h.stride, w.stride),
    padding: paddingOption(rng, kind, [h, w]),
    dilation: sizePair(rng, h.dilation, w.dilation),
    useBias: coin(rng),
  };
  return { options, inputShape: [channels, h.input, w.input], batch: batchSize(rng), mode: 'train', outputShape: [filters, h.output, w.output] };
};

/** max-pool2d and avg-pool2d: padding below the pool size; stride left out (= poolSize) in about a third of cases. */
const pool2dCase: CaseGenerator = (rng) => {
  const kind = pick<PaddingKind>(rng, ['valid', 'explicit', 'same']);
  const defaultStride = rng.int(3) === 0;
  const [h, w] = windowAxes(
    rng,
    kind,
    () => {
      const kernel = intIn(rng, 1, 3);
      return { kernel, stride: defaultStride ? kernel : intIn(rng, 1, 3), dilation: 1 };
    },
    (kernel) => kernel - 1,
  );
  const channels = intIn(rng, 1, 3);
  const options = {
    poolSize: sizePair(rng, h.kernel, w.kernel),
    ...(defaultStride ? {} : { stride: sizePair(rng, h.stride, w.stride) }),
    padding: paddingOption(rng, kind, [h, w]),
  };
  return { options, inputShape: [channels, h.input, w.input], batch: batchSize(rng), mode: 'train', outputShape: [channels, h.output, w.output] };
};

/** Generators by layer type (and mode where the layer has two paths); every built-in layer needs one. */
export const layerCases = {
  dense: (rng) => {
    const features = intIn(rng, 1, 8);
    const units = intIn(rng, 1, 6);
    return { options: { units, useBias: coin(rng) }, inputShape: [features], batch: batchSize(rng), mode: 'train', outputShape: [units] };
  },
  sigmoid: (rng) => anyShapeCase(rng, {}),
  tanh: (rng) => anyShapeCase(rng, {}),
  relu: (rng) => anyShapeCase(rng, {}),
  // Slopes of either sign and above 1: the maths holds for any, and 0 is plain ReLU.
  'leaky-relu': (rng) => anyShapeCase(rng, { slope: rng.int(5) === 0 ? 0 : rng.uniform(-0.5, 1.5) }),
  softmax: (rng) => anyShapeCase(rng, {}),
  // Train mode: checkGradients restores the rng before every forward, so each case has one fixed mask.
  'dropout (train)': (rng) => anyShapeCase(rng, { rate: rng.int(5) === 0 ? 0 : rng.uniform(0.05, 0.9) }, 'train'),
  'dropout (eval)': (rng) => anyShapeCase(rng, { rate: rng.uniform(0, 0.9) }, 'eval'),
  flatten: (rng) => {
    const inputShape = anySample(rng);
    return { options: {}, inputShape, batch: batchSize(rng), mode: 'train', outputShape: [inputShape.reduce((a, b) => a * b, 1)] };
  },
  reshape: (rng) => {
    const inputShape = anySample(rng);
    const shape = factorShape(rng, inputShape.reduce((a, b) => a * b, 1), intIn(rng, 1, 4));
    return { options: { shape }, inputShape, batch: batchSize(rng), mode: 'train', outputShape: shape };
  },
  conv2d: conv2dCase,
  'max-pool2d': pool2dCase,
  'avg-pool2d': pool2dCase,
  'global-avg-pool': (rng) => {
    const inputShape = [intIn(rng, 1, 4), intIn(rng, 1, 5), intIn(rng, 1, 5)];
    return { options: {}, inputShape, batch: batchSize(rng), mode: 'train', outputShape: [inputShape[0]!] };
  },
  'batch-norm (train)': (rng) => batchNormCase(rng, 'train'),
  'batch-norm (eval)': (rng) => batchNormCase(rng, 'eval'),
} satisfies Record<string, CaseGenerator>;

/**
 * Channels first, rank 1..3. Training needs two samples per batch, and here at least 3 values per
 * channel (batch × positions): with 2, x̂ = ±d/sqrt(d² + ε) is ±1 up to ε, so dx is ~ε times
 * smaller than the outputs whose central differences measure it and float64 rounding alone exceeds
 * the tolerance. The property test checks that case against its closed form instead.
 */
function batchNormCase(rng: Rng, mode: Mode): LayerCase {
  const inputShape = randomShape(rng, intIn(rng, 1, 3), 4, 24);
  const positions = inputShape.slice(1).reduce((a, b) => a * b, 1);
  const minimum = mode === 'eval' ? 1 : positions === 1 ? 3 : 2;
  const options = { momentum: rng.uniform(0, 1), epsilon: coin(rng) ? 1e-5 : rng.uniform(1e-3, 0.5) };
  return { options, inputShape, batch: batchSize(rng, minimum), mode, outputShape: inputShape };
}

/**
 * `plugin` with its `state` tensors (batch-norm's running mean and variance) refilled after
 * create: means uniform in [-1, 1], variances in [0.2, 2], so eval mode is checked away from the
 * initial 0 and 1. Drawn from the context's seeded rng, so every build for one seed gets the same
 * statistics (checkGradients builds the layer again with `inputGradient: false` and copies
 * parameters only).
 */
export function withRandomState<O>(plugin: LayerPlugin<O>): LayerPlugin<O> {
  return {
    ...plugin,
    create(options, context) {
      const layer = plugin.create(options, context);
      for (const [name, tensor] of Object.entries(layer.state ?? {})) {
        const variance = /variance/i.test(name);
        for (let i = 0; i < tensor.size; i++) tensor.data[i] = variance ? context.rng.uniform(0.2, 2) : context.rng.uniform(-1, 1);
      }
      return layer;
    },
  };
}
