import { definePreprocess } from '@scratchnet/spec';
import { shapeSize } from '@scratchnet/tensor';

/**
 * Per-sample shape [c, h, w] -> [c * h * w]. The data is already sample-major, so only the
 * shape changes: apply returns the same array (elementwise: every value stays).
 */
export const flatten = definePreprocess<object>({
  kind: 'preprocess',
  type: 'flatten',
  specVersion: 1,
  description: 'Turns each sample into a flat vector ([1, 28, 28] -> [784])',
  optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
  create() {
    return {
      outputShape: (inputShape) => [shapeSize(inputShape)],
      elementwise: true,
      apply: (images) => images,
    };
  },
});
