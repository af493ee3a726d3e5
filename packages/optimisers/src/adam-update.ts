import type { Backend } from '@scratchnet/tensor';
import type { Optimiser, Parameter } from '@scratchnet/spec';
import { type ParameterUpdate, createSlotOptimiser } from './slot-optimiser.js';
import { epsilonProperty, fractionProperty, objectSchema, weightDecayProperty } from './schema.js';
import type { JsonSchema } from '@scratchnet/spec';
import { stepMomentum } from './step-momentum.js';

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
 *
 * A step's StepOptions.momentum (a schedule such as one-cycle cycling it) replaces beta1 for that
 * step, both in m's update and in its bias correction, which stays 1 - beta1^t with the current
 * beta1 and the step count t: what PyTorch's Adam/AdamW do when OneCycleLR sets the group's betas
 * (and what fastai does). The exactly unbiased correction for a varying beta1 would be
 * 1 - prod(beta1 of steps 1..t): the two agree while beta1 is constant and differ by less than
 * max(beta1)^t otherwise (under 0.01 after 90 steps for beta1 <= 0.95); this one keeps the state
 * to the step count and the moment buffers, so checkpoints and resuming do not change.
 *
 * One fused backend kernel per parameter (Backend.adamStep: float64 in the JS backend, rounded
 * once per stored value; float32 SIMD lanes in the wasm one), given this step's
 * stepSize = lr / (1 - beta1^t) and rootCorrection = sqrt(1 - beta2^t), which also reports
 * whether the parameter's weights stay finite (Optimiser.step's `nonFinite`).
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
  const update: ParameterUpdate = (param, _buffers, learningRate, t, [m, v], stepOptions) => {
    const b1 = stepMomentum(type, 'beta1', beta1, stepOptions);
    return backend.adamStep(param.value, param.grad, m!, v!, {
      stepSize: learningRate / (1 - b1 ** t),
      rootCorrection: Math.sqrt(1 - beta2 ** t),
      beta1: b1,
      beta2,
      epsilon,
      weightDecay: param.decay && decay === 'l2' ? weightDecay : 0,
      decoupledDecay: param.decay && decay === 'decoupled' ? learningRate * weightDecay : 0,
    });
  };
  return createSlotOptimiser(type, params, ['m', 'v'], update, backend);
}
