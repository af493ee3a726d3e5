import { SPEC_VERSION, defineLayer, reshapeMemo, requireSampleShape } from '@scratchnet/spec';
import { type Shape, type Tensor, shapeSize } from '@scratchnet/tensor';

const reshape = (tensor: Tensor, shape: Shape): Tensor => tensor.reshape(shape);

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
    const features = shapeSize(context.inputShape);
    const inputGradient = context.inputGradient !== false;
    // Memoised views only with buffers: without them two forwards must not share anything.
    const outputView = reshapeMemo();
    const inputView = reshapeMemo();
    return {
      params: {},
      forward(input, _mode, buffers) {
        const toOutput = buffers === undefined ? reshape : outputView;
        const toInput = buffers === undefined ? reshape : inputView;
        return {
          output: toOutput(input, [input.rows, features]),
          backward: (outputGrad) => (inputGradient ? toInput(outputGrad, input.shape) : undefined),
        };
      },
    };
  },
});
