import { type PluginRef, SPEC_VERSION, bufferOrNew, defineLayer, pluginRefSchema, requireFeatures, gradientFor } from '@scratchnet/spec';
import type { Tensor } from '@scratchnet/tensor';

export interface MaxoutOptions {
  /** Output features (integer >= 1). */
  readonly units: number;
  /** Linear pieces per output feature (integer >= 2). */
  readonly pieces: number;
  /** Initialiser of the weight [in, units * pieces]. */
  readonly weightInit: PluginRef;
  /** Initialiser of the bias [units * pieces]. */
  readonly biasInit: PluginRef;
}

/**
 * Maxout (Goodfellow et al., 2013): `pieces` affine maps per output, keep the largest.
 * Input x [n, in], weight W [in, units·pieces], bias b [units·pieces]; column u·pieces + k is
 * piece k of unit u, and w(i, u) is the winning piece of sample i:
 *   z = x·W + b                   [n, units·pieces]
 *   y[i, u] = z[i, u·pieces + w(i, u)] = max over k of z[i, u·pieces + k]     [n, units]
 *   dz = dy routed to the winning columns, 0 elsewhere
 *   dW = xᵀ·dz    db = sum over rows of dz    dx = dz·Wᵀ
 * Ties go to the lowest k. fan = { fanIn: in, fanOut: units·pieces }; weight decay on W only.
 * backward finds the winners again in z (kept by the forward closure, or in buffer `z`); given
 * LayerBuffers, z, y, dz and dx are reused tensors. Built with `inputGradient: false`, it skips dx.
 */
export const maxout = defineLayer<MaxoutOptions>({
  kind: 'layer',
  type: 'maxout',
  specVersion: SPEC_VERSION,
  description: 'Maxout: the largest of several affine pieces per output feature',
  optionsSchema: {
    type: 'object',
    properties: {
      units: { type: 'integer', minimum: 1, description: 'Number of output features.' },
      pieces: { type: 'integer', minimum: 2, default: 2, description: 'Affine pieces per output feature.' },
      weightInit: pluginRefSchema('xavier-uniform', 'Initialiser of the weight matrix [in, units * pieces].'),
      biasInit: pluginRefSchema('zeros', 'Initialiser of the bias vector [units * pieces].'),
    },
    required: ['units'],
    additionalProperties: false,
  },
  references: { weightInit: 'initialiser', biasInit: 'initialiser' },
  outputShape(inputShape, options) {
    requireFeatures(options.type, inputShape);
    return [options.units];
  },
  create(options, context) {
    const inputs = requireFeatures(options.type, context.inputShape);
    const { units, pieces } = options;
    const columns = units * pieces;
    const fan = { fanIn: inputs, fanOut: columns };
    const weight = context.initialise(options.weightInit, [inputs, columns], fan);
    const bias = context.initialise(options.biasInit, [columns], fan);
    const backend = context.backend;
    const type = options.type;
    const inputGradient = context.inputGradient !== false;
    return {
      params: { weight, bias },
      decayed: ['weight'],
      forward(input, _mode, buffers) {
        const n = input.rows;
        const z = backend.matmul(input, weight, {}, buffers?.get('z', [n, columns], input.dtype));
        backend.addRowVector(z, bias, z);
        const output = bufferOrNew(buffers, 'output', [n, units], input.dtype);
        for (let i = 0; i < n * units; i++) output.data[i] = z.data[winner(z, i, pieces)]!;
        return {
          output,
          backward(outputGrad, grads) {
            // Every column is written: a reused dz holds the previous batch's routing.
            const dz = bufferOrNew(buffers, 'dz', [n, columns], input.dtype);
            backend.fill(dz, 0);
            for (let i = 0; i < n * units; i++) dz.data[winner(z, i, pieces)] = outputGrad.data[i]!;
            backend.matmul(input, dz, { transposeA: true }, gradientFor(grads, 'weight', type));
            backend.sumRows(dz, gradientFor(grads, 'bias', type));
            if (!inputGradient) return undefined;
            return backend.matmul(dz, weight, { transposeB: true }, buffers?.get('inputGrad', input.shape, input.dtype));
          },
        };
      },
    };
  },
});

/** Column of z holding output value `i` (row-major over [n, units]): its largest piece, ties to the lowest. */
function winner(z: Tensor, i: number, pieces: number): number {
  const first = i * pieces;
  let best = first;
  for (let c = first + 1; c < first + pieces; c++) if (z.data[c]! > z.data[best]!) best = c;
  return best;
}
