import { type JsonSchema, ShapeError } from '@scratchnet/spec';
import { type ConvWindow, type Shape, formatShape } from '@scratchnet/tensor';

/**
 * The sliding-window options that conv and pooling layers share (kernelSize, stride, padding,
 * dilation): their JSON schemas, and their normalisation into the backend's ConvWindow
 * { kernel [kh, kw], stride [sh, sw], padding [top, left, bottom, right], dilation [dh, dw] }
 * for an image [channels, height, width].
 *
 * Output size of one side (input size s, kernel k, stride t, dilation d, padding a before and
 * b after): floor((s + a + b − d·(k − 1) − 1) / t) + 1, the formula of PyTorch, ONNX and TF.
 * Padding 'same' gives ceil(s / t) outputs, as in TensorFlow (and PyTorch for stride 1): the
 * total padding is max((ceil(s / t) − 1)·t + d·(k − 1) + 1 − s, 0), split with the odd pixel
 * at the bottom/right.
 */

/** An integer for both sides, or [height, width]. */
export type SizePair = number | readonly [number, number];

/** 'valid' (no padding), 'same' (see above), an integer for every side, or [height, width] (each on both ends). */
export type Padding = 'valid' | 'same' | number | readonly [number, number];

export interface WindowOptions {
  readonly kernelSize: SizePair;
  readonly stride: SizePair;
  readonly padding: Padding;
  readonly dilation: SizePair;
}

/** An image shape [channels, height, width]. */
export type ImageShape = readonly [number, number, number];

const pairItems = (minimum: number): JsonSchema => ({ type: 'integer', minimum });

/**
 * Schema of an option that is an integer >= `minimum` or a [height, width] pair of them
 * (`kernelSize: 3`, `stride: [2, 1]`). No `default` when `defaultValue` is undefined (a
 * required option, or one whose default depends on another, such as a pool's stride).
 */
export function sizePairSchema(description: string, defaultValue?: SizePair, minimum = 1): JsonSchema {
  return {
    type: ['integer', 'array'],
    minimum,
    items: pairItems(minimum),
    minItems: 2,
    maxItems: 2,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    description,
  };
}

/** Schema of `padding`: 'valid', 'same', an integer >= 0 or [height, width] of them. */
export function paddingSchema(description: string, defaultValue: Padding = 'valid'): JsonSchema {
  return {
    type: ['string', 'integer', 'array'],
    anyOf: [
      { enum: ['valid', 'same'] },
      { type: 'integer', minimum: 0 },
      { type: 'array', items: pairItems(0), minItems: 2, maxItems: 2 },
    ],
    default: defaultValue,
    description,
  };
}

/** [height, width] of an int-or-pair option. */
export function toPair(value: SizePair): readonly [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/** [before, after] padding of one side of `size` for 'same': ceil(size / stride) outputs. */
function samePadding(size: number, kernel: number, stride: number, dilation: number): readonly [number, number] {
  const outputs = Math.ceil(size / stride);
  const total = Math.max((outputs - 1) * stride + dilation * (kernel - 1) + 1 - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The backend's window for an image of `height` x `width`: padding resolved to [top, left, bottom, right]. */
export function resolveWindow(options: WindowOptions, height: number, width: number): ConvWindow {
  const kernel = toPair(options.kernelSize);
  const stride = toPair(options.stride);
  const dilation = toPair(options.dilation);
  const { padding } = options;
  let pad: readonly [number, number, number, number];
  if (padding === 'same') {
    const [top, bottom] = samePadding(height, kernel[0], stride[0], dilation[0]);
    const [left, right] = samePadding(width, kernel[1], stride[1], dilation[1]);
    pad = [top, left, bottom, right];
  } else {
    const [ph, pw] = padding === 'valid' ? [0, 0] : toPair(padding);
    pad = [ph, pw, ph, pw];
  }
  return { kernel, stride, padding: pad, dilation };
}

/** Output size of one side; below 1 when the (dilated) kernel is larger than the padded input. */
export function windowOutputSize(size: number, kernel: number, stride: number, padBefore: number, padAfter: number, dilation: number): number {
  return Math.floor((size + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1;
}

const isSize = (d: number): boolean => Number.isInteger(d) && d >= 1;

/** A [channels, height, width] to suggest for `shape` (a square 1-D size, or a 2-D image), if any. */
function imageFor(shape: Shape): string | undefined {
  if (shape.length === 2 && shape.every(isSize)) return formatShape([1, ...shape]);
  const side = Math.round(Math.sqrt(shape[0] ?? 0));
  if (shape.length === 1 && side >= 2 && side * side === shape[0]) return formatShape([1, side, side]);
  return undefined;
}

/**
 * `shape` as [channels, height, width] (every dimension an integer >= 1); otherwise a
 * ShapeError naming the layer, with a fix (a reshape before it, or another model.input).
 */
export function requireImageShape(type: string, shape: Shape): ImageShape {
  if (shape.length !== 3 || !shape.every(isSize)) {
    const image = imageFor(shape) ?? '[1, 28, 28]';
    throw new ShapeError(
      undefined,
      type,
      '[channels, height, width] (3-D)',
      formatShape(shape),
      `A ${type} layer needs images: use model.input ${image} or add { type: reshape, shape: ${image} } before it ` +
        '(after a flatten, move the flatten after the last conv or pooling layer).',
    );
  }
  return shape as unknown as ImageShape;
}

/**
 * The output [channels, oh, ow] of `window` over `image` (`channels`: the output's, i.e. a conv's
 * filters or a pool's input channels); a ShapeError naming the shapes and a fix when the
 * (dilated) kernel is larger than the padded input, i.e. an output side would be < 1.
 */
export function windowOutputShape(type: string, image: ImageShape, window: ConvWindow, channels: number): ImageShape {
  const [c, h, w] = image;
  const [kh, kw] = window.kernel;
  const [sh, sw] = window.stride;
  const [pt, pl, pb, pr] = window.padding;
  const [dh, dw] = window.dilation;
  const oh = windowOutputSize(h, kh, sh, pt, pb, dh);
  const ow = windowOutputSize(w, kw, sw, pl, pr, dw);
  if (oh < 1 || ow < 1) {
    const minimum = [c, Math.max(1, dh * (kh - 1) + 1 - pt - pb), Math.max(1, dw * (kw - 1) + 1 - pl - pr)];
    throw new ShapeError(
      undefined,
      type,
      `at least ${formatShape(minimum)} for kernelSize [${kh}, ${kw}], dilation [${dh}, ${dw}] and padding ` +
        `[${window.padding.join(', ')}] (top, left, bottom, right)`,
      formatShape(image),
      `The window does not fit (the output would be [${channels}, ${Math.max(oh, 0)}, ${Math.max(ow, 0)}]): ` +
        "use a smaller kernelSize or dilation, padding: 'same', or fewer pooling or strided layers before this one.",
    );
  }
  return [channels, oh, ow];
}
