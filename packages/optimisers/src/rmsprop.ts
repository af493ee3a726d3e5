import { SPEC_VERSION, defineOptimiser } from '@scratchnet/spec';
import { type ParameterUpdate, createSlotOptimiser } from './slot-optimiser.js';
import { epsilonProperty, fractionProperty, momentumProperty, objectSchema, weightDecayProperty } from './schema.js';
import { stepMomentum } from './step-momentum.js';

export interface RmspropOptions {
  readonly alpha: number;
  readonly epsilon: number;
  readonly momentum: number;
  readonly weightDecay: number;
}

/**
 * RMSprop (Tieleman & Hinton 2012) in PyTorch's arithmetic (torch.optim.RMSprop, not
 * centred), per element:
 *
 *   g = grad + weightDecay * w                 (weightDecay only for decayed parameters)
 *   s = alpha * s + (1 - alpha) * g^2          (s starts at 0)
 *   u = g / (sqrt(s) + epsilon)
 *   b = momentum * b + u;  w = w - lr * b      (momentum > 0)
 *   w = w - lr * u                             (momentum = 0)
 *
 * There is no bias correction, so the first steps are large: with s = (1 - alpha) * g^2 the
 * first update is lr / sqrt(1 - alpha) (10 lr for alpha 0.99) in the gradient's direction.
 * A step's StepOptions.momentum (a schedule such as one-cycle cycling it) replaces momentum for
 * that step; it needs a configured momentum > 0 (otherwise there is no velocity b: a
 * ConfigError says so).
 * Buffers: `<param>.squareAverage`, plus `<param>.velocity` when momentum > 0.
 */
export const rmsprop = defineOptimiser<RmspropOptions>({
  kind: 'optimiser',
  type: 'rmsprop',
  specVersion: SPEC_VERSION,
  description: 'RMSprop: steps divided by a running root-mean-square of the gradient',
  optionsSchema: objectSchema({
    alpha: fractionProperty(0.99, 'Decay rate of the squared-gradient average, in [0, 1).'),
    epsilon: epsilonProperty,
    momentum: momentumProperty,
    weightDecay: weightDecayProperty(0, 'L2 penalty: weightDecay * w is added to the gradient of decayed parameters.'),
  }),
  create(options, { params, backend }) {
    const { alpha, epsilon, momentum, weightDecay } = options;
    // One fused backend kernel per parameter (Backend.rmspropStep), as for sgd.
    const slots = momentum > 0 ? ['squareAverage', 'velocity'] : ['squareAverage'];
    const update: ParameterUpdate = (param, _buffers, learningRate, _step, [squareAverage, velocity], stepOptions) => {
      const decay = param.decay ? weightDecay : 0;
      const mu = stepMomentum('rmsprop', 'momentum', momentum, stepOptions, velocity !== undefined);
      return backend.rmspropStep(param.value, param.grad, squareAverage!, velocity, { learningRate, alpha, epsilon, momentum: mu, weightDecay: decay });
    };
    return createSlotOptimiser('rmsprop', params, slots, update, backend);
  },
});
