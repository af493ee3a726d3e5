import { SPEC_VERSION, defineLayer, outFor } from '@scratchnet/spec';
import type { PoolWindow } from '@scratchnet/tensor';
import { requireImageShape } from './window-options.js';

/**
 * Global average pooling: the mean of each channel's plane. Input x [n, c, h, w], output
 * y [n, c]:
 *   y[b, ch] = Σ_{r, q} x[b, ch, r, q] / (h·w)          dx[b, ch, r, q] = dy[b, ch] / (h·w)
 * (ONNX GlobalAveragePool, Keras GlobalAveragePooling2D), computed by the backend's avgPool2d
 * with one h×w window per plane. Per-sample input must be [c, h, w]; output [c], ready for a
 * dense layer. No options and no parameters. Given buffers, y goes into buffer `output` and dx
 * into `inputGrad`.
 */
export const globalAvgPool = defineLayer<Record<never, never>>({
  kind: 'layer',
  type: 'global-avg-pool',
  specVersion: SPEC_VERSION,
  description: 'Mean of each channel over height and width ([channels, height, width] -> [channels])',
  optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
  outputShape(inputShape) {
    return [requireImageShape('global-avg-pool', inputShape)[0]];
  },
  create(_options, context) {
    const image = requireImageShape('global-avg-pool', context.inputShape);
    const [channels, height, width] = image;
    const window: PoolWindow = { kernel: [height, width], stride: [1, 1], padding: [0, 0, 0, 0] };
    const backend = context.backend;
    const inputGradient = context.inputGradient !== false;
    return {
      params: {},
      forward(input, _mode, buffers) {
        // The pooled [n, c, 1, 1] values written straight into an [n, c] tensor.
        const out = outFor(buffers, 'output', [input.rows, channels], input.dtype);
        const pooled = backend.avgPool2d(input, window, out);
        const output = out ?? pooled.reshape([input.rows, channels]);
        return {
          output,
          backward(outputGrad) {
            if (!inputGradient) return undefined;
            return backend.avgPool2dBackward(outputGrad, image, window, outFor(buffers, 'inputGrad', input.shape, input.dtype));
          },
        };
      },
    };
  },
});
