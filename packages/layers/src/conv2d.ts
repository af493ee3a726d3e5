import { type PluginRef, SPEC_VERSION, defineLayer, gradientFor, outFor, pluginRefSchema } from '@scratchnet/spec';
import type { Tensor } from '@scratchnet/tensor';
import {
  type Padding,
  type SizePair,
  paddingSchema,
  requireImageShape,
  resolveWindow,
  sizePairSchema,
  windowOutputShape,
} from './window-options.js';

export interface Conv2dOptions {
  /** Output channels (integer >= 1). */
  readonly filters: number;
  /** Kernel [kh, kw] (an integer for both). */
  readonly kernelSize: SizePair;
  readonly stride: SizePair;
  readonly padding: Padding;
  readonly dilation: SizePair;
  readonly useBias: boolean;
  /** Initialiser of the weight [filters, channels, kh, kw]. */
  readonly weightInit: PluginRef;
  /** Initialiser of the bias [filters]. */
  readonly biasInit: PluginRef;
}

/**
 * 2-D convolution (cross-correlation, as in PyTorch) over NCHW images. Input x [n, c, h, w],
 * weight W [f, c, kh, kw], bias b [f], output y [n, f, oh, ow]:
 *   y[b, o, i, j] = b[o] + Σ_{ch, p, q} x[b, ch, i·sh − pt + p·dh, j·sw − pl + q·dw] · W[o, ch, p, q]
 *   dW = Σ over the batch and output positions of dy times the window of x    [f, c, kh, kw]
 *   db = Σ_{b, i, j} dy[b, o, i, j]    [f]        dx = the transposed convolution of dy with W    [n, c, h, w]
 * (zeros outside x; window-options.ts gives the output size and the 'same' padding). The backend's
 * conv2d, conv2dBackwardWeight and conv2dBackwardInput compute them. Per-sample input must be
 * [c, h, w]. Weight decay applies to W only. fan = { fanIn: c·kh·kw, fanOut: f·kh·kw }.
 * Given buffers, y goes into buffer `output` and dx into `inputGrad`; built with
 * `inputGradient: false`, backward writes dW and db only and returns undefined.
 */
export const conv2d = defineLayer<Conv2dOptions>({
  kind: 'layer',
  type: 'conv2d',
  specVersion: SPEC_VERSION,
  description: '2-D convolution over [channels, height, width] images',
  optionsSchema: {
    type: 'object',
    properties: {
      filters: { type: 'integer', minimum: 1, description: 'Number of output channels.' },
      kernelSize: sizePairSchema('Kernel size: an integer >= 1 (both sides) or [height, width].'),
      stride: sizePairSchema('Step between windows: an integer >= 1 (both sides) or [height, width].', 1),
      padding: paddingSchema(
        "Zeros around the input: 'valid' (none), 'same' (output size ceil(input / stride); the odd pixel goes " +
          'bottom/right), an integer >= 0 for every side, or [height, width] (both ends of each).',
      ),
      dilation: sizePairSchema('Spacing between kernel taps: an integer >= 1 (both sides) or [height, width].', 1),
      useBias: { type: 'boolean', default: true, description: 'Add a learnt bias to every output channel.' },
      weightInit: pluginRefSchema('he-uniform', 'Initialiser of the weight [filters, channels, kh, kw].'),
      biasInit: pluginRefSchema('zeros', 'Initialiser of the bias [filters].'),
    },
    required: ['filters', 'kernelSize'],
    additionalProperties: false,
  },
  references: { weightInit: 'initialiser', biasInit: 'initialiser' },
  outputShape(inputShape, options) {
    const image = requireImageShape('conv2d', inputShape);
    return windowOutputShape('conv2d', image, resolveWindow(options, image[1], image[2]), options.filters);
  },
  create(options, context) {
    const image = requireImageShape('conv2d', context.inputShape);
    const [channels, height, width] = image;
    const { filters, useBias } = options;
    const window = resolveWindow(options, height, width);
    const [, oh, ow] = windowOutputShape('conv2d', image, window, filters);
    const [kh, kw] = window.kernel;
    const fan = { fanIn: channels * kh * kw, fanOut: filters * kh * kw };
    const weight = context.initialise(options.weightInit, [filters, channels, kh, kw], fan);
    const bias = useBias ? context.initialise(options.biasInit, [filters], fan) : undefined;
    const backend = context.backend;
    const params: Record<string, Tensor> = bias === undefined ? { weight } : { weight, bias };
    // The first layer with parameters skips dx: nothing before it learns.
    const inputGradient = context.inputGradient !== false;
    return {
      params,
      decayed: ['weight'],
      forward(input, _mode, buffers) {
        const out = outFor(buffers, 'output', [input.rows, filters, oh, ow], input.dtype);
        const output = backend.conv2d(input, weight, bias, window, out);
        return {
          output,
          backward(outputGrad, grads) {
            const biasGrad = bias === undefined ? undefined : gradientFor(grads, 'bias', 'conv2d');
            backend.conv2dBackwardWeight(input, outputGrad, window, gradientFor(grads, 'weight', 'conv2d'), biasGrad);
            if (!inputGradient) return undefined;
            const dx = outFor(buffers, 'inputGrad', input.shape, input.dtype);
            return backend.conv2dBackwardInput(outputGrad, weight, image, window, dx);
          },
        };
      },
    };
  },
});
