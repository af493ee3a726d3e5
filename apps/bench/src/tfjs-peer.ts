import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { Dataset } from '@scratchnet/spec';
import type { GemmContestant } from './gemm.js';
import type { Recipe } from './recipes.js';
import { type Summary, summarise } from './stats.js';

/** Switches TensorFlow.js to its WebAssembly (XNNPACK) backend and describes it. */
export async function startTfjs(): Promise<{ version: string; backend: string; simd: boolean; threads: boolean }> {
  if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js could not start its wasm backend');
  await tf.ready();
  return {
    version: tf.version.tfjs,
    backend: tf.getBackend(),
    simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    threads: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
  };
}

export const tfjsGemm: GemmContestant = {
  name: 'tfjs wasm',
  prepare(n, a, b) {
    const ta = tf.tensor2d(a, [n, n]);
    const tb = tf.tensor2d(b, [n, n]);
    return () => tf.tidy(() => tf.matMul(ta, tb).dataSync());
  },
};

export interface TfjsTraining {
  /** Samples/s of each timed chunk of the epoch. */
  readonly chunks: Summary;
  /** Samples/s over the whole timed part of the epoch. */
  readonly samplesPerSecond: number;
  readonly samples: number;
  readonly seconds: number;
  /** Whether the timed samples cover a whole epoch. */
  readonly fullEpoch: boolean;
  readonly testAccuracy?: number;
}

function buildModel(recipe: Recipe): tf.Sequential {
  const model = tf.sequential();
  const widths = recipe.widths;
  for (let i = 1; i < widths.length; i++) {
    model.add(
      tf.layers.dense({
        units: widths[i]!,
        inputShape: i === 1 ? [widths[0]!] : undefined,
        activation: i < widths.length - 1 ? 'relu' : 'linear',
        kernelInitializer: 'heNormal',
        biasInitializer: 'zeros',
        // L2 of weight·||W||² has gradient 2·weight·W: half the SGD weight decay.
        kernelRegularizer: recipe.weightDecay > 0 ? tf.regularizers.l2({ l2: recipe.weightDecay / 2 }) : undefined,
      }),
    );
  }
  const optimizer = recipe.momentum > 0 ? tf.train.momentum(recipe.learningRate, recipe.momentum) : tf.train.sgd(recipe.learningRate);
  model.compile({ optimizer, loss: (labels: tf.Tensor, logits: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, logits) });
  return model;
}

/**
 * The recipe with model.fit, TensorFlow.js's standard training loop. A short fit on a throwaway
 * model warms up first; then one epoch over the first `samples` training samples (all by
 * default), split into `chunks` timed parts (batch-end timestamps), and test accuracy after it.
 */
export async function trainTfjs(
  recipe: Recipe,
  data: { train: Dataset; test: Dataset },
  options: { samples: number; chunks: number; warmupSamples: number },
): Promise<TfjsTraining> {
  const count = Math.min(options.samples, data.train.count);
  const xs = tf.tensor2d(data.train.images.subarray(0, count * 784), [count, 784]);
  const ys = tf.oneHot(tf.tensor1d(Int32Array.from(data.train.labels.subarray(0, count)), 'int32'), 10).toFloat();
  try {
    const warm = buildModel(recipe);
    await warm.fit(xs.slice(0, options.warmupSamples), ys.slice(0, options.warmupSamples), {
      batchSize: recipe.batchSize,
      epochs: 1,
      yieldEvery: 'never',
      verbose: 0,
    });
    warm.dispose();

    const model = buildModel(recipe);
    const stamps: number[] = [];
    const batches = Math.ceil(count / recipe.batchSize);
    let started = 0;
    await model.fit(xs, ys, {
      batchSize: recipe.batchSize,
      epochs: 1,
      shuffle: true,
      yieldEvery: 'never',
      verbose: 0,
      callbacks: {
        onEpochBegin: async () => {
          started = performance.now();
        },
        onBatchEnd: async () => {
          stamps.push(performance.now());
        },
      },
    });
    const seconds = (stamps[stamps.length - 1]! - started) / 1000;
    const perChunk = Math.floor(batches / options.chunks);
    const chunkRates: number[] = [];
    for (let c = 0; c < options.chunks; c++) {
      const from = c === 0 ? started : stamps[c * perChunk - 1]!;
      const to = stamps[(c + 1) * perChunk - 1]!;
      chunkRates.push((perChunk * recipe.batchSize) / ((to - from) / 1000));
    }
    const testAccuracy = tf.tidy(() => {
      const x = tf.tensor2d(data.test.images, [data.test.count, 784]);
      const predicted = (model.predict(x) as tf.Tensor).argMax(1).dataSync();
      let correct = 0;
      for (let i = 0; i < data.test.count; i++) if (predicted[i] === data.test.labels[i]) correct++;
      return correct / data.test.count;
    });
    model.dispose();
    return { chunks: summarise(chunkRates), samplesPerSecond: count / seconds, samples: count, seconds, fullEpoch: count === data.train.count, testAccuracy };
  } finally {
    xs.dispose();
    ys.dispose();
  }
}
