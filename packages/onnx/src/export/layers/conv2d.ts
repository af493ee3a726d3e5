import type { LayerMapping } from './layer-mapping.js';
import { resolveWindow, type Padding, type SizePair } from './window.js';

interface Conv2dOptions {
  readonly kernelSize: SizePair;
  readonly stride: SizePair;
  readonly padding: Padding;
  readonly dilation: SizePair;
}

/**
 * conv2d -> Conv. The weight [filters, channels, kh, kw] is ONNX's (and PyTorch's) layout, and
 * both are cross-correlations, so it goes in as stored; padding, stride and dilation become
 * explicit pads, strides and dilations (group 1).
 */
export const conv2dToOnnx: LayerMapping = ({ input, output, options, inputShape, parameters, addInitializer }) => {
  const window = resolveWindow(options as Conv2dOptions, inputShape);
  const { weight, bias } = parameters;
  const inputs = [input, addInitializer('weight', weight!)];
  if (bias !== undefined) inputs.push(addInitializer('bias', bias));
  return [
    {
      opType: 'Conv',
      inputs,
      outputs: [output],
      attributes: {
        kernel_shape: { ints: window.kernel },
        strides: { ints: window.stride },
        dilations: { ints: window.dilation },
        pads: { ints: window.pads },
        group: { int: 1 },
      },
    },
  ];
};
