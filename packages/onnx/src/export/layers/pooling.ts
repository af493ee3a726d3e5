import { flattenNode, type LayerMapping } from './layer-mapping.js';
import { resolveWindow, type Padding, type SizePair } from './window.js';

interface Pool2dOptions {
  readonly poolSize: SizePair;
  readonly stride?: SizePair;
  readonly padding: Padding;
}

function poolAttributes(options: Pool2dOptions, inputShape: readonly number[]) {
  const window = resolveWindow({ kernelSize: options.poolSize, stride: options.stride ?? options.poolSize, padding: options.padding, dilation: 1 }, inputShape);
  return { kernel_shape: { ints: window.kernel }, strides: { ints: window.stride }, pads: { ints: window.pads } };
}

/** max-pool2d -> MaxPool. Padding cells never win in either (ONNX pads MaxPool with -inf in effect). */
export const maxPool2dToOnnx: LayerMapping = ({ input, output, options, inputShape }) => [
  { opType: 'MaxPool', inputs: [input], outputs: [output], attributes: poolAttributes(options as Pool2dOptions, inputShape) },
];

/**
 * avg-pool2d -> AveragePool with count_include_pad = 0: scratchnet averages only the window
 * cells inside the image, which is that setting (written out although it is ONNX's default).
 */
export const avgPool2dToOnnx: LayerMapping = ({ input, output, options, inputShape }) => [
  {
    opType: 'AveragePool',
    inputs: [input],
    outputs: [output],
    attributes: { ...poolAttributes(options as Pool2dOptions, inputShape), count_include_pad: { int: 0 } },
  },
];

/**
 * global-avg-pool -> GlobalAveragePool, which keeps [N, C, 1, 1], then Flatten to scratchnet's
 * [N, C] (what a following dense layer takes).
 */
export const globalAvgPoolToOnnx: LayerMapping = ({ input, output, uniqueName }) => {
  const pooled = uniqueName('pooled');
  return [{ opType: 'GlobalAveragePool', inputs: [input], outputs: [pooled] }, flattenNode(pooled, output)];
};
