import type { Backend } from '@scratchnet/tensor';
import type { Optimiser, Parameter } from '@scratchnet/spec';
import { type ParameterUpdate, createSlotOptimiser } from './slot-optimiser.js';
import { epsilonProperty, fractionProperty, objectSchema, weightDecayProperty } from './schema.js';
import type { JsonSchema } from '@scratchnet/spec';

export interface AdamOptions {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
}

/** The options schema of adam and adamw; they differ only in weight decay's default and meaning. */
export function adamSchema(weightDecayDefault: number, weightDecayDescription: string): JsonSchema {
  return objectSchema({
    beta1: fractionProperty(0.9, 'Decay rate of the gradient average (first moment), in [0, 1).'),
    beta2: fractionProperty(0.999, 'Decay rate of the squared-gradient average (second moment), in [0, 1).'),
    epsilon: epsilonProperty,
    weightDecay: weightDecayProperty(weightDecayDefault, weightDecayDescription),
  });
}

/**
 * Adam (Kingma & Ba 2015) in PyTorch's arithmetic, per element, at step t = 1, 2, ...:
 *
 *   w = w * (1 - lr * weightDecay)                          (decoupled: adamw only)
 *   g = grad + weightDecay * w                              (L2: adam only)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   w = w - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)
 *
 * i.e. w -= lr * mHat / (sqrt(vHat) + epsilon) with the bias-corrected moments mHat, vHat.
 * Weight decay of either kind applies only to parameters with decay: true.
 * One fused backend kernel per parameter (Backend.adamStep: float64 in the JS backend, rounded
 * once per stored value; float32 SIMD lanes in the wasm one), given this step's
 * stepSize = lr / (1 - beta1^t) and rootCorrection = sqrt(1 - beta2^t).
 * Buffers: `<param>.m` and `<param>.v`.
 */
export function createAdam(
  type: string,
  options: AdamOptions,
  params: readonly Parameter[],
  decay: 'l2' | 'decoupled',
  backend: Backend,
): Optimiser {
  const { beta1, beta2, epsilon, weightDecay } = options;
  const update: ParameterUpdate = (param, _buffers, learningRate, t, [m, v]) => {
    backend.adamStep(param.value, param.grad, m!, v!, {
      stepSize: learningRate / (1 - beta1 ** t),
      rootCorrection: Math.sqrt(1 - beta2 ** t),
      beta1,
      beta2,
      epsilon,
      weightDecay: param.decay && decay === 'l2' ? weightDecay : 0,
      decoupledDecay: param.decay && decay === 'decoupled' ? learningRate * weightDecay : 0,
    });
  };
  return createSlotOptimiser(type, params, ['m', 'v'], update, backend);
}
