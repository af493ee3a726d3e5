import { SPEC_VERSION, defineLayer, requireSampleShape } from '@scratchnet/spec';
import { shapeSize } from '@scratchnet/tensor';
import { viewLayer } from './view-layer.js';

/**
 * [c, h, w] (any per-sample shape) -> [c*h*w], row-major, so a dense layer can follow an image
 * input. Forward and backward are reshapes of the same memory (no copy); given buffers, the same
 * tensor gets the same view object back, so a training step creates nothing here.
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
    return viewLayer([shapeSize(context.inputShape)], context.inputGradient !== false);
  },
});
