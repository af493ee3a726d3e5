import type { Tensor } from '../tensor.js';
import type { BoundDense, DenseActivation, DenseBinding, DenseGrads, DenseKernels } from './dense.js';
import { checkActivation, checkBias, checkDisjoint, checkDtype, checkGrads, checkMatrix, weightSizes } from './dense-checks.js';

/**
 * Backend.bindDense over a family's kernel table. What the binding holds is checked here, once;
 * what each step passes (x, dy, the gradients) is checked when it is not the tensor checked the
 * step before. A Tensor never changes its shape or its data array, so a tensor seen before
 * passes the same checks again; in a training loop every one of them is, after the first step.
 */
export function bindDenseKernels(kernels: DenseKernels, binding: DenseBinding): BoundDense {
  const kernel = 'bindDense';
  const { weight, bias, output, inputGrad } = binding;
  checkActivation(kernel, binding.activation);
  // A copy: the caller's object may change after binding, the checked values may not.
  const activation: DenseActivation = { ...binding.activation };
  const { inputs, units } = weightSizes(weight);
  const rows = output.rows;
  const dtype = weight.dtype;
  checkMatrix(kernel, 'output', output, rows, units, `a batch of ${rows} rows of the weight's units`);
  if (bias !== undefined) checkBias(kernel, 'bias', bias, units);
  if (inputGrad !== undefined) checkMatrix(kernel, 'inputGrad', inputGrad, rows, inputs, `the input of ${rows} rows`);
  checkDtype(kernel, dtype, ['bias', bias], ['output', output], ['inputGrad', inputGrad]);
  checkDisjoint(kernel, [['output', output], ['inputGrad', inputGrad]], [['weight', weight], ['bias', bias]]);

  const fix = 'bind another call for another batch size';
  const checkInput = (method: string, x: Tensor): void => {
    checkMatrix(method, 'x', x, rows, inputs, 'the bound input', fix);
    checkDtype(method, dtype, ['x', x]);
    checkDisjoint(method, [['output', output], ['inputGrad', inputGrad]], [['x', x]]);
  };

  let forwardX: Tensor | undefined;
  let backwardX: Tensor | undefined;
  let backwardDy: Tensor | undefined;
  let backwardWeight: Tensor | undefined;
  let backwardBias: Tensor | undefined;

  const w = weight.data;
  const b = bias?.data;
  const y = output.data;
  const dx = inputGrad?.data;
  return {
    forward(x) {
      if (x !== forwardX) {
        checkInput('BoundDense.forward', x);
        forwardX = x;
      }
      kernels.denseForward(x.data, w, b, y, rows, inputs, units, activation);
      return output;
    },
    backward(x, dy, grads: DenseGrads) {
      if (x !== backwardX || dy !== backwardDy || grads.weight !== backwardWeight || grads.bias !== backwardBias) {
        const method = 'BoundDense.backward';
        checkInput(method, x);
        checkMatrix(method, 'dy', dy, rows, units, 'the bound output', fix);
        checkDtype(method, dtype, ['dy', dy]);
        checkGrads(method, grads, weight, dtype);
        checkDisjoint(
          method,
          [['grads.weight', grads.weight], ['grads.bias', grads.bias], ['inputGrad', inputGrad]],
          [['x', x], ['weight', weight], ['output', output], ['dy', dy]],
        );
        backwardX = x;
        backwardDy = dy;
        backwardWeight = grads.weight;
        backwardBias = grads.bias;
      }
      kernels.denseBackward(x.data, w, y, dy.data, grads.weight.data, grads.bias?.data, dx, rows, inputs, units, activation);
      return inputGrad;
    },
  };
}
