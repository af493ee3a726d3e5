import type { FloatArray } from '../tensor.js';

/**
 * One SGD step per element, in place (PyTorch's torch.optim.SGD, dampening 0):
 *   g = grad + decay·w;  v = momentum·v + g (with a velocity);  w -= lr·(nesterov ? g + momentum·v : v)
 * without a velocity w -= lr·g. Computed in float64, each stored value rounded once.
 */
export function sgdStepKernel(
  w: FloatArray,
  grad: FloatArray,
  velocity: FloatArray | undefined,
  n: number,
  learningRate: number,
  momentum: number,
  decay: number,
  nesterov: boolean,
): void {
  if (velocity === undefined) {
    for (let i = 0; i < n; i++) w[i] = w[i]! - learningRate * (grad[i]! + decay * w[i]!);
    return;
  }
  for (let i = 0; i < n; i++) {
    const g = grad[i]! + decay * w[i]!;
    const v = momentum * velocity[i]! + g;
    velocity[i] = v;
    w[i] = w[i]! - learningRate * (nesterov ? g + momentum * v : v);
  }
}
