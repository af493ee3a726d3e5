import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { Dataset } from '@scratchnet/spec';
import type { GemmContestant } from './gemm.js';
import type { Recipe } from './recipes.js';
import { type Summary, summarise } from './stats.js';
import { buildTfjsModel, tfjsImages } from './tfjs-model.js';

/** TF.js backends the bench trains with: wasm (XNNPACK, its fastest here) and cpu (plain JS, every kernel). */
export type TfjsBackend = 'wasm' | 'cpu';

/** Runs `body` with `backend` as TF.js's global backend, then puts the previous one back. */
async function onBackend<T>(backend: TfjsBackend, body: () => Promise<T>): Promise<T> {
  const previous = tf.getBackend();
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js could not start its ${backend} backend`);
  try {
    return await body();
  } finally {
    await tf.setBackend(previous);
  }
}

/**
 * The error TF.js throws when training one batch of the recipe on `backend`, or undefined when it
 * trains. Its wasm backend lacks some gradient kernels (Conv2DBackpropFilter): a finding to report.
 */
export async function tfjsTrainingError(recipe: Recipe, data: { train: Dataset }, backend: TfjsBackend): Promise<string | undefined> {
  return onBackend(backend, async () => {
    const count = recipe.batchSize;
    const xs = tfjsImages(recipe, data.train.images, count);
    const ys = tf.oneHot(tf.tensor1d(Int32Array.from(data.train.labels.subarray(0, count)), 'int32'), 10).toFloat();
    const model = buildTfjsModel(recipe);
    try {
      await model.fit(xs, ys, { batchSize: count, epochs: 1, yieldEvery: 'never', verbose: 0 });
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      model.dispose();
      xs.dispose();
      ys.dispose();
    }
  });
}

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

function accuracy(model: tf.Sequential, recipe: Recipe, test: Dataset): number {
  return tf.tidy(() => {
    const x = tfjsImages(recipe, test.images, test.count);
    const predicted = (model.predict(x, { batchSize: 1000 }) as tf.Tensor).argMax(1).dataSync();
    let correct = 0;
    for (let i = 0; i < test.count; i++) if (predicted[i] === test.labels[i]) correct++;
    return correct / test.count;
  });
}

/**
 * The recipe with model.fit, TensorFlow.js's standard training loop. A short fit on a throwaway
 * model warms up first; then one epoch over the first `samples` training samples on `backend`,
 * split into `chunks` timed parts (batch-end timestamps), and test accuracy after a full epoch.
 */
export async function trainTfjs(
  recipe: Recipe,
  data: { train: Dataset; test: Dataset },
  options: { samples: number; chunks: number; warmupSamples: number; backend: TfjsBackend },
): Promise<TfjsTraining> {
  return onBackend(options.backend, () => fitAndTime(recipe, data, options));
}

async function fitAndTime(
  recipe: Recipe,
  data: { train: Dataset; test: Dataset },
  options: { samples: number; chunks: number; warmupSamples: number },
): Promise<TfjsTraining> {
  const count = Math.min(options.samples, data.train.count);
  const xs = tfjsImages(recipe, data.train.images, count);
  const ys = tf.oneHot(tf.tensor1d(Int32Array.from(data.train.labels.subarray(0, count)), 'int32'), 10).toFloat();
  try {
    const warm = buildTfjsModel(recipe);
    await warm.fit(xs.slice(0, options.warmupSamples), ys.slice(0, options.warmupSamples), {
      batchSize: recipe.batchSize,
      epochs: 1,
      yieldEvery: 'never',
      verbose: 0,
    });
    warm.dispose();

    const model = buildTfjsModel(recipe);
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
    // Accuracy after part of an epoch compares with nothing; on the cpu backend it would also take minutes.
    const fullEpoch = count === data.train.count;
    const testAccuracy = fullEpoch ? accuracy(model, recipe, data.test) : undefined;
    model.dispose();
    return { chunks: summarise(chunkRates), samplesPerSecond: count / seconds, samples: count, seconds, fullEpoch, ...(testAccuracy === undefined ? {} : { testAccuracy }) };
  } finally {
    xs.dispose();
    ys.dispose();
  }
}
