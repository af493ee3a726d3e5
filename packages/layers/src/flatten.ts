import { SPEC_VERSION, defineLayer } from '@scratchnet/spec';
import { shapeSize } from '@scratchnet/tensor';
import { requireSampleShape } from './shapes.js';

/**
 * [c, h, w] (any per-sample shape) -> [c*h*w], row-major, so a dense layer can follow an image
 * input. Forward and backward are reshapes of the same memory (no copy).
 */
export const flatten = defineLayer<Record<never, never>>({
  kind: 'layer',
  type: 'flatten',
  specVersion: SPEC_VERSION,
  description: 'Flattens each sample to one dimension ([c, h, w] -> [c*h*w])',
  optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
  outputShape(inputShape) {
    requireSampleShape('flatten', inputShape);
    return [shapeSize(inputShape)];
  },
  create(_options, context) {
    requireSampleShape('flatten', context.inputShape);
    const features = shapeSize(context.inputShape);
    return {
      params: {},
      forward(input) {
        return {
          output: input.reshape([input.rows, features]),
          backward: (outputGrad) => outputGrad.reshape(input.shape),
        };
      },
    };
  },
});
