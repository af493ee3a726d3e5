import { defineLayer, defineLoss, type LayerPlugin } from '@scratchnet/spec';
import { Tensor } from '@scratchnet/tensor';

/**
 * Tiny plugins for the testkit's own tests (excluded from the build by the `test-*` pattern).
 * `linear` computes y = x·W and can be told to get one thing wrong, so each failure the checks
 * must catch has a plugin that shows it.
 */
export type LinearBug =
  | 'none'
  | 'double-input-grad'
  | 'accumulate'
  | 'skip-weight'
  | 'mutate-input'
  | 'mutate-grad'
  | 'mix-batch'
  /** Given buffers, adds into the output buffer instead of overwriting it. */
  | 'stale-buffer'
  /** Given buffers, uses outputGrad as scratch space. */
  | 'mutate-grad-with-buffers'
  /** Keeps the first output buffer it got, whatever the batch size. */
  | 'first-buffer'
  /** Built with inputGradient: false, skips the weight gradient too. */
  | 'skip-all-without-input-gradient'
  /** Returns undefined from backward although built normally. */
  | 'no-input-grad';

export interface LinearOptions {
  readonly units: number;
  readonly bug: LinearBug;
}

export const linear: LayerPlugin<LinearOptions> = defineLayer<LinearOptions>({
  kind: 'layer',
  type: 'test-linear',
  specVersion: 1,
  description: 'y = x·W, optionally with a deliberate bug',
  optionsSchema: {
    type: 'object',
    properties: { units: { type: 'integer', minimum: 1 }, bug: { type: 'string', default: 'none' } },
    required: ['units'],
    additionalProperties: false,
  },
  outputShape: (_input, options) => [options.units],
  create(options, context) {
    const inputs = context.inputShape[0]!;
    const { units, bug } = options;
    const weight = context.initialise('ignored', [inputs, units], { fanIn: inputs, fanOut: units });
    const backend = context.backend;
    const inputGradient = context.inputGradient !== false;
    let firstBuffer: Tensor | undefined;
    return {
      params: { weight },
      forward(input, _mode, buffers) {
        let out = buffers?.get('output', [input.rows, units], input.dtype);
        if (bug === 'first-buffer' && out !== undefined) out = firstBuffer ??= out;
        const output = backend.matmul(input, weight, { accumulate: bug === 'stale-buffer' && out !== undefined }, out);
        if (bug === 'mutate-input') input.data[0] = 0;
        if (bug === 'mix-batch') {
          // Adds the batch mean of the first column: each row now depends on the others.
          let mean = 0;
          for (let r = 0; r < input.rows; r++) mean += input.data[r * inputs]! / input.rows;
          for (let i = 0; i < output.size; i++) output.data[i] = output.data[i]! + mean;
        }
        return {
          output,
          backward(outputGrad, grads) {
            if (bug === 'mutate-grad-with-buffers' && buffers !== undefined) backend.scale(outputGrad, 0.5, outputGrad);
            if (bug === 'no-input-grad' || (bug === 'skip-all-without-input-gradient' && !inputGradient)) return undefined;
            const dW = grads['weight']!;
            if (bug === 'accumulate') backend.matmul(input, outputGrad, { transposeA: true, accumulate: true }, dW);
            else if (bug !== 'skip-weight') backend.matmul(input, outputGrad, { transposeA: true }, dW);
            if (!inputGradient) return undefined;
            const dx = backend.matmul(outputGrad, weight, { transposeB: true }, buffers?.get('inputGrad', input.shape, input.dtype));
            if (bug === 'double-input-grad') backend.scale(dx, 2, dx);
            if (bug === 'mutate-grad') outputGrad.data.fill(0);
            return dx;
          },
        };
      },
    };
  },
});

/** y = x * u with u ~ U[0.5, 1.5) drawn from context.rng on every forward (dropout-like). */
export const noisy = defineLayer<Record<never, never>>({
  kind: 'layer',
  type: 'test-noisy',
  specVersion: 1,
  description: 'multiplies by fresh uniform noise from context.rng',
  optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
  outputShape: (input) => input,
  create(_options, context) {
    return {
      params: {},
      forward(input) {
        const noise = Tensor.zeros(input.shape, input.dtype);
        for (let i = 0; i < noise.size; i++) noise.data[i] = context.rng.uniform(0.5, 1.5);
        const output = context.backend.mul(input, noise);
        return { output, backward: (outputGrad) => context.backend.mul(outputGrad, noise) };
      },
    };
  },
});

/** loss = (1/2) sum p^2 + p[i, label_i]; `wrong` halves the gradient of the label term. */
export const toyLoss = defineLoss<{ wrong: boolean }>({
  kind: 'loss',
  type: 'test-toy-loss',
  specVersion: 1,
  description: 'a smooth toy loss',
  optionsSchema: { type: 'object', properties: { wrong: { type: 'boolean', default: false } }, additionalProperties: false },
  create(options, { backend }) {
    return {
      forward(predictions, labels) {
        const classes = predictions.columns;
        let loss = backend.sumOfSquares(predictions) / 2;
        for (let i = 0; i < labels.length; i++) loss += predictions.data[i * classes + labels[i]!]!;
        return {
          loss,
          backward() {
            const grad = predictions.clone();
            for (let i = 0; i < labels.length; i++) grad.data[i * classes + labels[i]!]! += options.wrong ? 0.5 : 1;
            return grad;
          },
        };
      },
      probabilities: (predictions) => predictions,
    };
  },
});
