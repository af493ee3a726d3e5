import { type PluginRef, SPEC_VERSION, defineLayer, gradientFor, outFor, pluginRefSchema, requireFeatures } from '@scratchnet/spec';
import type { Tensor } from '@scratchnet/tensor';

export interface DenseOptions {
  /** Output features (integer >= 1). */
  readonly units: number;
  /** Initialiser of the weight [in, units]. */
  readonly weightInit: PluginRef;
  /** Initialiser of the bias [units]. */
  readonly biasInit: PluginRef;
  readonly useBias: boolean;
}

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
  create(options, context) {
    const inputs = requireFeatures('dense', context.inputShape);
    const { units, useBias } = options;
    const fan = { fanIn: inputs, fanOut: units };
    const weight = context.initialise(options.weightInit, [inputs, units], fan);
    const bias = useBias ? context.initialise(options.biasInit, [units], fan) : undefined;
    const backend = context.backend;
    const params: Record<string, Tensor> = bias === undefined ? { weight } : { weight, bias };
    // The first layer with parameters skips dx = dy·Wᵀ: nothing before it learns.
    const inputGradient = context.inputGradient !== false;
    return {
      params,
      decayed: ['weight'],
      forward(input, _mode, buffers) {
        const output = backend.matmul(input, weight, {}, outFor(buffers, 'output', [input.rows, units], input.dtype));
        if (bias !== undefined) backend.addRowVector(output, bias, output);
        return {
          output,
          backward(outputGrad, grads) {
            backend.matmul(input, outputGrad, { transposeA: true }, gradientFor(grads, 'weight', 'dense'));
            if (bias !== undefined) backend.sumRows(outputGrad, gradientFor(grads, 'bias', 'dense'));
            if (!inputGradient) return undefined;
            const out = outFor(buffers, 'inputGrad', input.shape, input.dtype);
            return backend.matmul(outputGrad, weight, { transposeB: true }, out);
          },
        };
      },
    };
  },
});
