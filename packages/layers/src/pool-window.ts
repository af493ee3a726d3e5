import { type JsonSchema, type LayerPlugin, SPEC_VERSION, ShapeError, defineLayer, outFor } from '@scratchnet/spec';
import { type Backend, type PoolWindow, type Shape, type Tensor, formatShape } from '@scratchnet/tensor';
import {
  type ImageShape,
  type Padding,
  type SizePair,
  paddingSchema,
  requireImageShape,
  resolveWindow,
  sizePairSchema,
  windowOutputSize,
} from './window-options.js';

/**
 * What max-pool2d and avg-pool2d share: their options (the window options of window-options.ts,
 * named as in Keras: `poolSize`, `stride` defaulting to the pool size, `padding`), the checks of
 * a pool window against an image, and the layer itself over a pair of backend kernels.
 *
 * Output side: floor((s + a + b − k) / t) + 1 for input side s, pool size k, stride t and padding
 * a before and b after; 'same' gives ceil(s / t) (TensorFlow's rule, see window-options.ts).
 * Padding cells are not values: they never win a max and never count in an average, so every
 * padding side must be smaller than the pool size on its axis ('same' always is).
 */
export interface Pool2dOptions {
  /** Window [height, width] (an integer for both); default 2. */
  readonly poolSize: SizePair;
  /** Step between windows; default: the pool size (windows side by side). */
  readonly stride?: SizePair;
  readonly padding: Padding;
}

export const pool2dOptionsSchema: JsonSchema = {
  type: 'object',
  properties: {
    poolSize: sizePairSchema('Window size: an integer >= 1 (both sides) or [height, width].', 2),
    stride: sizePairSchema('Step between windows: an integer >= 1 (both sides) or [height, width]; default: poolSize.'),
    padding: paddingSchema(
      "Padding around the input, never pooled: 'valid' (none), 'same' (output size ceil(input / stride)), an integer " +
        '>= 0 for every side, or [height, width] (both ends of each); each side must be smaller than poolSize.',
    ),
  },
  additionalProperties: false,
};

/** The pool's backend window for `image` [channels, height, width]. */
export function poolWindow(options: Pool2dOptions, image: ImageShape): PoolWindow {
  const { kernel, stride, padding } = resolveWindow(
    { kernelSize: options.poolSize, stride: options.stride ?? options.poolSize, padding: options.padding, dilation: 1 },
    image[1],
    image[2],
  );
  return { kernel, stride, padding };
}

/**
 * The output [channels, oh, ow] of pooling `image` with `window`; a ShapeError naming the shapes
 * and a fix when a padding side reaches a whole window, or when the window does not fit.
 */
export function poolOutputShape(type: string, image: ImageShape, window: PoolWindow): ImageShape {
  const [c, h, w] = image;
  const [kh, kw] = window.kernel;
  const [sh, sw] = window.stride;
  const [pt, pl, pb, pr] = window.padding;
  const padding = `padding [${window.padding.join(', ')}] (top, left, bottom, right)`;
  if (Math.max(pt, pb) >= kh || Math.max(pl, pr) >= kw) {
    throw new ShapeError(
      undefined,
      type,
      `[channels, height, width] with every padding side smaller than poolSize [${kh}, ${kw}]`,
      `${formatShape(image)} with ${padding}`,
      "A window of padding alone has nothing to pool: use less padding, or padding: 'same'.",
    );
  }
  const oh = windowOutputSize(h, kh, sh, pt, pb, 1);
  const ow = windowOutputSize(w, kw, sw, pl, pr, 1);
  if (oh < 1 || ow < 1) {
    const minimum = [c, Math.max(1, kh - pt - pb), Math.max(1, kw - pl - pr)];
    throw new ShapeError(
      undefined,
      type,
      `at least ${formatShape(minimum)} for poolSize [${kh}, ${kw}] and ${padding}`,
      formatShape(image),
      `The pool window does not fit (the output would be [${c}, ${Math.max(oh, 0)}, ${Math.max(ow, 0)}]): use a smaller ` +
        "poolSize, padding: 'same', or fewer pooling or strided layers before this one.",
    );
  }
  return [c, oh, ow];
}

/** The image, window and output shape of a pool layer for a per-sample input shape (ShapeError when invalid). */
export function resolvePool(type: string, inputShape: Shape, options: Pool2dOptions) {
  const image = requireImageShape(type, inputShape);
  const window = poolWindow(options, image);
  return { image, window, outputShape: poolOutputShape(type, image, window) };
}

/** How one kind of pooling runs on a backend. */
export interface PoolKernelPair {
  forward(backend: Backend, x: Tensor, window: PoolWindow, out: Tensor | undefined): Tensor;
  backward(backend: Backend, x: Tensor, dy: Tensor, image: ImageShape, window: PoolWindow, out: Tensor | undefined): Tensor;
}

/**
 * A pooling layer: [c, h, w] -> [c, oh, ow] per channel, no parameters. Given buffers, y goes into
 * buffer `output` and dx into `inputGrad`; built with `inputGradient: false`, backward returns
 * undefined without computing anything.
 */
export function definePool2d(type: string, description: string, kernels: PoolKernelPair): LayerPlugin<Pool2dOptions> {
  return defineLayer<Pool2dOptions>({
    kind: 'layer',
    type,
    specVersion: SPEC_VERSION,
    description,
    optionsSchema: pool2dOptionsSchema,
    outputShape(inputShape, options) {
      return [...resolvePool(type, inputShape, options).outputShape];
    },
    create(options, context) {
      const { image, window, outputShape } = resolvePool(type, context.inputShape, options);
      const backend = context.backend;
      const inputGradient = context.inputGradient !== false;
      return {
        params: {},
        forward(input, _mode, buffers) {
          const output = kernels.forward(backend, input, window, outFor(buffers, 'output', [input.rows, ...outputShape], input.dtype));
          return {
            output,
            backward(outputGrad) {
              if (!inputGradient) return undefined;
              const out = outFor(buffers, 'inputGrad', input.shape, input.dtype);
              return kernels.backward(backend, input, outputGrad, image, window, out);
            },
          };
        },
      };
    },
  });
}
