import type { LayerMapping } from './layer-mapping.js';

/**
 * dense -> Gemm. scratchnet stores the weight as [in, units] (y = x·W + b), which is Gemm's B
 * with transB = 0: the initialiser holds the very bytes of weights.safetensors, no transpose
 * (PyTorch's Linear stores [units, in] and exports transB = 1; both are standard Gemm). No bias
 * (useBias: false): Gemm's optional C left out.
 */
export const denseToOnnx: LayerMapping = ({ input, output, parameters, addInitializer }) => {
  const { weight, bias } = parameters;
  const inputs = [input, addInitializer('weight', weight!)];
  if (bias !== undefined) inputs.push(addInitializer('bias', bias));
  return [{ opType: 'Gemm', inputs, outputs: [output] }];
};
