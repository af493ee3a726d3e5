import {
  ConfigError,
  type PluginRef,
  SPEC_VERSION,
  bufferOrNew,
  defineLayer,
  gradientFor,
  outFor,
  pluginRefSchema,
  requireSampleShape,
} from '@scratchnet/spec';
import { type BatchStatistics, shapeSize } from '@scratchnet/tensor';

export interface BatchNormOptions {
  /** Weight of the newest batch in the running averages, in [0, 1] (PyTorch's momentum). */
  readonly momentum: number;
  /** Added to the variance before the square root (> 0). */
  readonly epsilon: number;
  /** Initialiser of gamma [channels] (default: ones). */
  readonly gammaInit: PluginRef;
  /** Initialiser of beta [channels] (default: zeros). */
  readonly betaInit: PluginRef;
}

/**
 * Batch normalisation (Ioffe & Szegedy 2015), per channel: the first per-sample axis. Input
 * [c, h, w] images normalise each channel over the batch and all positions (PyTorch's
 * BatchNorm2d); [features] input each feature over the batch (BatchNorm1d). With x viewed as
 * [n, c, s] and m = n·s values per channel, parameters gamma [c] and beta [c]:
 *   train: mean, var = the batch's per-channel mean and biased variance
 *          y = (x − mean) / sqrt(var + ε) · gamma + beta
 *          running = (1 − momentum)·running + momentum·batch statistic, the variance unbiased
 *          (var·m / (m − 1)), as PyTorch does
 *          dbeta = Σ dy   dgamma = Σ dy·x̂   dx = gamma/sqrt(var + ε) · (dy − mean(dy) − x̂·mean(dy·x̂))
 *   eval:  the same y with the running mean and variance; dx = dy · gamma / sqrt(var + ε)
 * (x̂ = (x − mean) / sqrt(var + ε); the backend's batchNorm* kernels compute all of it).
 * The running mean (init 0) and variance (init 1) are the layer's `state`: saved with the model
 * and in checkpoints, never trained. No weight decay on gamma and beta. Training needs at least
 * 2 samples per batch (a ConfigError pointing at training.batchSize otherwise). Given buffers,
 * y goes into buffer `output`, dx into `inputGrad` and the statistics into `mean` and `variance`.
 */
export const batchNorm = defineLayer<BatchNormOptions>({
  kind: 'layer',
  type: 'batch-norm',
  specVersion: SPEC_VERSION,
  description: 'Batch normalisation per channel ([c, h, w]) or feature ([features]), with running statistics for eval',
  optionsSchema: {
    type: 'object',
    properties: {
      momentum: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        default: 0.1,
        description: 'Weight of each new batch in the running mean and variance (PyTorch semantics; Keras momentum = 1 - this).',
      },
      epsilon: { type: 'number', exclusiveMinimum: 0, default: 1e-5, description: 'Added to the variance before the square root.' },
      gammaInit: pluginRefSchema({ type: 'constant', value: 1 }, 'Initialiser of the scale gamma [channels].'),
      betaInit: pluginRefSchema('zeros', 'Initialiser of the shift beta [channels].'),
    },
    additionalProperties: false,
  },
  references: { gammaInit: 'initialiser', betaInit: 'initialiser' },
  outputShape(inputShape) {
    return requireSampleShape('batch-norm', inputShape);
  },
  create(options, context) {
    const shape = requireSampleShape('batch-norm', context.inputShape);
    const channels = shape[0]!;
    const perChannel = shapeSize(shape) / channels;
    const { momentum, epsilon } = options;
    const { backend, dtype } = context;
    const fan = { fanIn: 1, fanOut: 1 };
    const gamma = context.initialise(options.gammaInit, [channels], fan);
    const beta = context.initialise(options.betaInit, [channels], fan);
    const runningMean = backend.zeros([channels], dtype);
    const runningVariance = backend.fill(backend.zeros([channels], dtype), 1);
    const inputGradient = context.inputGradient !== false;
    return {
      params: { gamma, beta },
      decayed: [],
      state: { runningMean, runningVariance },
      minTrainingBatch: 2,
      forward(input, mode, buffers) {
        const n = input.shape[0] ?? 0;
        const statsOut = (): BatchStatistics => ({
          mean: bufferOrNew(buffers, 'mean', [channels], input.dtype),
          variance: bufferOrNew(buffers, 'variance', [channels], input.dtype),
        });
        let statistics: BatchStatistics;
        const train = mode === 'train';
        if (train) {
          if (n < 2) throw oneSampleBatch(n);
          statistics = backend.batchNormStatistics(input, statsOut());
          // PyTorch: the running variance follows the unbiased batch variance.
          const m = n * perChannel;
          const unbiased = m / (m - 1);
          for (let ch = 0; ch < channels; ch++) {
            runningMean.data[ch] = (1 - momentum) * runningMean.data[ch]! + momentum * statistics.mean.data[ch]!;
            runningVariance.data[ch] = (1 - momentum) * runningVariance.data[ch]! + momentum * statistics.variance.data[ch]! * unbiased;
          }
        } else {
          // A copy, so this forward's backward sees the statistics its output was computed with.
          statistics = statsOut();
          statistics.mean.data.set(runningMean.data);
          statistics.variance.data.set(runningVariance.data);
        }
        const output = backend.batchNorm(input, statistics, gamma, beta, epsilon, outFor(buffers, 'output', input.shape, input.dtype));
        return {
          output,
          backward(outputGrad, grads) {
            const out = inputGradient ? outFor(buffers, 'inputGrad', input.shape, input.dtype) : undefined;
            return backend.batchNormBackward(
              input,
              outputGrad,
              statistics,
              gamma,
              epsilon,
              gradientFor(grads, 'gamma', 'batch-norm'),
              gradientFor(grads, 'beta', 'batch-norm'),
              { batchStatistics: train, inputGradient },
              out,
            );
          },
        };
      },
    };
  },
});

function oneSampleBatch(n: number): ConfigError {
  return new ConfigError([
    {
      path: ['training', 'batchSize'],
      plugin: 'batch-norm',
      message:
        `a training batch of ${n} sample${n === 1 ? '' : 's'} reached a batch-norm layer, which needs at least 2 samples per ` +
        "batch in training (it normalises with the batch's own mean and variance). Use batchSize >= 2; if the training " +
        'set leaves a last batch of 1 (samples % batchSize = 1), set training.lastBatch: drop or choose another batchSize.',
    },
  ]);
}
