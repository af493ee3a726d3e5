import { ConfigError, SPEC_VERSION, defineOptimiser } from '@scratchnet/spec';
import { type ParameterUpdate, createSlotOptimiser } from './slot-optimiser.js';
import { momentumProperty, objectSchema, weightDecayProperty } from './schema.js';
import { stepMomentum } from './step-momentum.js';

export interface SgdOptions {
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
}

/**
 * Stochastic gradient descent with PyTorch's semantics (torch.optim.SGD, dampening 0), per
 * element of every parameter w with gradient grad:
 *
 *   g    = grad + weightDecay * w          (weightDecay only for parameters with decay: true)
 *   v    = momentum * v + g                (v starts at 0; only when momentum > 0)
 *   step = g + momentum * v   (nesterov)
 *        = v                  (momentum, not nesterov)
 *        = g                  (no momentum)
 *   w    = w - learningRate * step
 *
 * The velocity accumulates raw gradients and the learning rate scales the whole step, so a
 * schedule that lowers the rate takes effect at once (unlike v = mu*v - lr*g formulations).
 * A step's StepOptions.momentum (a schedule such as one-cycle cycling it) replaces momentum in
 * both places for that step, as PyTorch's OneCycleLR does by setting the group's momentum; it
 * needs a configured momentum > 0 (otherwise there is no velocity: a ConfigError says so).
 * Buffers: `<param>.velocity` when momentum > 0, none otherwise.
 */
export const sgd = defineOptimiser<SgdOptions>({
  kind: 'optimiser',
  type: 'sgd',
  specVersion: SPEC_VERSION,
  description: 'Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay',
  optionsSchema: objectSchema(
    {
      momentum: momentumProperty,
      nesterov: {
        type: 'boolean',
        default: false,
        description: 'Nesterov momentum (looks ahead along the velocity); needs momentum > 0.',
      },
      weightDecay: weightDecayProperty(0, 'L2 penalty: weightDecay * w is added to the gradient of decayed parameters.'),
    },
    {
      // nesterov: true needs momentum > 0 (with momentum 0 it would silently be plain SGD).
      if: { type: 'object', properties: { nesterov: { const: true } }, required: ['nesterov'] },
      // dependentRequired (not required) so a missing momentum is reported as needed by nesterov.
      then: {
        type: 'object',
        properties: { momentum: { type: 'number', exclusiveMinimum: 0 } },
        dependentRequired: { nesterov: ['momentum'] },
      },
    },
  ),
  create(options, { params, backend }) {
    const { momentum, nesterov } = options;
    // Repeated here because create() may be called with options that never saw the schema.
    if (nesterov && !(momentum > 0)) {
      throw new ConfigError([
        {
          path: ['optimiser', 'nesterov'],
          plugin: 'sgd',
          message: `nesterov needs momentum > 0, got momentum ${momentum}; set momentum (e.g. 0.9) or remove nesterov`,
        },
      ]);
    }
    // One backend kernel per parameter (wasm SIMD on parameters in wasm memory) rather than a
    // JS loop: the update touches every weight each step, and reports whether they stay finite.
    const slots = momentum > 0 ? ['velocity'] : [];
    const update: ParameterUpdate = (param, _buffers, learningRate, _step, [velocity], stepOptions) => {
      const weightDecay = param.decay ? options.weightDecay : 0;
      const mu = stepMomentum('sgd', 'momentum', momentum, stepOptions, velocity !== undefined);
      return backend.sgdStep(param.value, param.grad, velocity, { learningRate, momentum: mu, weightDecay, nesterov });
    };
    return createSlotOptimiser('sgd', params, slots, update, backend);
  },
});
