import type { Tensor } from '@scratchnet/tensor';

/** The gradient buffer for parameter `name`; a missing one is a caller bug worth a clear message. */
export function gradientFor(grads: Readonly<Record<string, Tensor>>, name: string, type: string): Tensor {
  const grad = grads[name];
  if (grad === undefined) {
    throw new TypeError(`${type} backward: grads has no "${name}" tensor; pass one buffer per entry of layer.params.`);
  }
  return grad;
}
