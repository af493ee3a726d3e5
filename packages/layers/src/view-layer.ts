import { type Layer, reshapeMemo } from '@scratchnet/spec';
import type { Shape, Tensor } from '@scratchnet/tensor';

const view = (tensor: Tensor, shape: Shape): Tensor => tensor.reshape(shape);

/**
 * A parameter-free layer whose forward views each sample as `sampleShape` and whose backward
 * views the gradient back as the input's shape: reshapes of the same memory, no copy (flatten,
 * reshape). Given buffers, the same tensor gets the same view object back, so a training step
 * creates nothing; without them two forwards never share a view.
 */
export function viewLayer(sampleShape: Shape, inputGradient: boolean): Layer {
  const outputView = reshapeMemo();
  const inputView = reshapeMemo();
  return {
    params: {},
    forward(input, _mode, buffers) {
      const toOutput = buffers === undefined ? view : outputView;
      const toInput = buffers === undefined ? view : inputView;
      return {
        output: toOutput(input, [input.rows, ...sampleShape]),
        backward: (outputGrad) => (inputGradient ? toInput(outputGrad, input.shape) : undefined),
      };
    },
  };
}
