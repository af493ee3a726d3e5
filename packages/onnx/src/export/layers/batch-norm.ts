import type { LayerMapping } from './layer-mapping.js';

interface BatchNormOptions {
  readonly momentum: number;
  readonly epsilon: number;
}

/**
 * batch-norm -> BatchNormalization in its inference form: y = (x − runningMean) /
 * sqrt(runningVariance + ε) · gamma + beta per channel (axis 1), exactly scratchnet's eval mode.
 * ONNX's momentum weighs the old running value (PyTorch exports 1 − its momentum); it only
 * matters to training, and is written for completeness. ONNX takes [N, C, ...] of any rank >= 2,
 * so the same node serves [features] input (BatchNorm1d) and [C, H, W] images (BatchNorm2d).
 */
export const batchNormToOnnx: LayerMapping = ({ input, output, options, parameters, state, addInitializer }) => {
  const { epsilon, momentum } = options as BatchNormOptions;
  const inputs = [
    input,
    addInitializer('gamma', parameters['gamma']!),
    addInitializer('beta', parameters['beta']!),
    addInitializer('runningMean', state['runningMean']!),
    addInitializer('runningVariance', state['runningVariance']!),
  ];
  return [{ opType: 'BatchNormalization', inputs, outputs: [output], attributes: { epsilon: { float: epsilon }, momentum: { float: 1 - momentum } } }];
};
