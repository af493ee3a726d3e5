import { flattenNode, reshapeKeepingBatch, unary, type LayerMapping } from './layer-mapping.js';

export const reluToOnnx = unary('Relu');
export const sigmoidToOnnx = unary('Sigmoid');
export const tanhToOnnx = unary('Tanh');

/** leaky-relu -> LeakyRelu with alpha = slope (both give x for x > 0, slope·x otherwise; 0 at 0). */
export const leakyReluToOnnx: LayerMapping = ({ input, output, options }) => [
  { opType: 'LeakyRelu', inputs: [input], outputs: [output], attributes: { alpha: { float: (options as { slope: number }).slope } } },
];

/**
 * softmax -> Softmax over all of a sample's values. From opset 13 Softmax works along one axis,
 * so a [c, h, w] sample is flattened first and reshaped back after.
 */
export const softmaxToOnnx: LayerMapping = (context) => {
  const { input, output, inputShape, uniqueName } = context;
  if (inputShape.length === 1) return [{ opType: 'Softmax', inputs: [input], outputs: [output], attributes: { axis: { int: 1 } } }];
  const flat = uniqueName('flat');
  const soft = uniqueName('softmax');
  return [
    flattenNode(input, flat),
    { opType: 'Softmax', inputs: [flat], outputs: [soft], attributes: { axis: { int: 1 } } },
    reshapeKeepingBatch(context, soft, inputShape, output),
  ];
};
