import { SPEC_VERSION, bufferOrNew, defineLayer, outFor, requireSampleShape } from '@scratchnet/spec';

export interface DropoutOptions {
  /** Probability of zeroing each unit during training, in [0, 1). */
  readonly rate: number;
}

/**
 * Inverted dropout. Train: y = x * m with m_i = 0 with probability `rate`, else 1/(1 - rate),
 * drawn from the build context's rng on every forward; dx = dy * m. Eval: y = x, dx = dy (the
 * 1/(1 - rate) scaling at train time keeps expectations equal, so nothing rescales at eval).
 * Any shape. Given buffers, the mask, y and dx live in buffers `mask`, `output` and `inputGrad`
 * (the mask is redrawn into its buffer on every train forward).
 */
export const dropout = defineLayer<DropoutOptions>({
  kind: 'layer',
  type: 'dropout',
  specVersion: SPEC_VERSION,
  description: 'Inverted dropout: zeroes units with probability rate while training',
  optionsSchema: {
    type: 'object',
    properties: {
      rate: {
        type: 'number',
        minimum: 0,
        exclusiveMaximum: 1,
        default: 0.5,
        description: 'Probability of dropping each unit while training.',
      },
    },
    additionalProperties: false,
  },
  outputShape(inputShape) {
    requireSampleShape('dropout', inputShape);
    return inputShape;
  },
  create({ rate }, context) {
    requireSampleShape('dropout', context.inputShape);
    const { backend, rng } = context;
    const keptScale = 1 / (1 - rate);
    const inputGradient = context.inputGradient !== false;
    return {
      params: {},
      forward(input, mode, buffers) {
        if (mode === 'eval' || rate === 0) {
          return { output: input, backward: (outputGrad) => (inputGradient ? outputGrad : undefined) };
        }
        const mask = bufferOrNew(buffers, 'mask', input.shape, input.dtype);
        const m = mask.data;
        for (let i = 0; i < m.length; i++) m[i] = rng.next() < rate ? 0 : keptScale;
        return {
          output: backend.mul(input, mask, outFor(buffers, 'output', input.shape, input.dtype)),
          backward: (outputGrad) =>
            inputGradient ? backend.mul(outputGrad, mask, outFor(buffers, 'inputGrad', input.shape, input.dtype)) : undefined,
        };
      },
    };
  },
});
