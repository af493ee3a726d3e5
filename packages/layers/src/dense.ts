import {
  type BuildContext,
  type Layer,
  type Options,
  type PluginRef,
  SPEC_VERSION,
  defineLayer,
  gradientFor,
  pluginRefSchema,
  requireFeatures,
} from '@scratchnet/spec';
import type { BoundDense, DenseActivation, DenseGrads, Tensor } from '@scratchnet/tensor';

export interface DenseOptions {
  /** Output features (integer >= 1). */
  readonly units: number;
  /** Initialiser of the weight [in, units]. */
  readonly weightInit: PluginRef;
  /** Initialiser of the bias [units]. */
  readonly biasInit: PluginRef;
  readonly useBias: boolean;
}

const IDENTITY: DenseActivation = { type: 'identity' };

/**
 * Fully connected layer. Input x [n, in], weight W [in, units], bias b [units]:
 *   y = x·W + b                       [n, units]
 *   dW = xᵀ·dy  [in, units]    db = sum over rows of dy  [units]    dx = dy·Wᵀ  [n, in]
 * Per-sample input must be 1-D. Weight decay applies to W only. fan = { fanIn: in, fanOut: units }.
 * Given buffers, y goes into buffer `output` and dx into `inputGrad`; built with
 * `inputGradient: false`, backward writes dW and db only and returns undefined.
 */
export const dense = defineLayer<DenseOptions>({
  kind: 'layer',
  type: 'dense',
  specVersion: SPEC_VERSION,
  description: 'Fully connected layer y = x·W + b',
  optionsSchema: {
    type: 'object',
    properties: {
      units: { type: 'integer', minimum: 1, description: 'Number of output features.' },
      weightInit: pluginRefSchema('xavier-uniform', 'Initialiser of the weight matrix [in, units].'),
      biasInit: pluginRefSchema('zeros', 'Initialiser of the bias vector [units].'),
      useBias: { type: 'boolean', default: true, description: 'Add a learnt bias to every output.' },
    },
    required: ['units'],
    additionalProperties: false,
  },
  references: { weightInit: 'initialiser', biasInit: 'initialiser' },
  outputShape(inputShape, { units }) {
    requireFeatures('dense', inputShape);
    return [units];
  },
  create: (options, context) => createDense(options, context, IDENTITY),
});

/**
 * A dense layer that applies `activation` itself: y = act(x·W + b), and backward starts from
 * dz = dy ⊙ act'(y) (see fuseLayers in dense-fusion.ts). Each direction is one backend call
 * (denseForward, denseBackward); given buffers, a call bound to that batch size's buffers
 * (bindDense, checked once) instead. Parameters, their names and initialisation are the dense
 * plugin's, whatever the activation.
 */
export function createDense(options: Options<DenseOptions>, context: BuildContext, activation: DenseActivation): Layer {
  const inputs = requireFeatures('dense', context.inputShape);
  const { units, useBias } = options;
  const fan = { fanIn: inputs, fanOut: units };
  const weight = context.initialise(options.weightInit, [inputs, units], fan);
  const bias = useBias ? context.initialise(options.biasInit, [units], fan) : undefined;
  const backend = context.backend;
  const params: Record<string, Tensor> = bias === undefined ? { weight } : { weight, bias };
  // The first layer with parameters skips dx = dz·Wᵀ: nothing before it learns.
  const inputGradient = context.inputGradient !== false;
  const gradsOf = (grads: Readonly<Record<string, Tensor>>): DenseGrads => ({
    weight: gradientFor(grads, 'weight', 'dense'),
    bias: bias === undefined ? undefined : gradientFor(grads, 'bias', 'dense'),
  });
  // One bound call per output buffer, i.e. per batch size, made by its first forward.
  const bound = new WeakMap<Tensor, BoundDense>();
  return {
    params,
    decayed: ['weight'],
    forward(input, _mode, buffers) {
      if (buffers === undefined) {
        const output = backend.denseForward(input, weight, bias, activation);
        return {
          output,
          backward: (outputGrad, grads) =>
            backend.denseBackward(input, weight, output, outputGrad, activation, gradsOf(grads), inputGradient ? undefined : false),
        };
      }
      const output = buffers.get('output', [input.rows, units], input.dtype);
      let call = bound.get(output);
      if (call === undefined) {
        const inputGrad = inputGradient ? buffers.get('inputGrad', input.shape, input.dtype) : undefined;
        call = backend.bindDense({ weight, bias, activation, output, inputGrad });
        bound.set(output, call);
      }
      const step = call;
      step.forward(input);
      return { output, backward: (outputGrad, grads) => step.backward(input, outputGrad, gradsOf(grads)) };
    },
  };
}
