import { ConfigError, type Augmenter, type PluginOptions, type PluginRegistry } from '@scratchnet/spec';
import { createRng, type Rng, type Shape } from '@scratchnet/tensor';

/** One configured augmentation: the plugin's augmenter and the registry's probability option. */
export interface AugmentStep {
  readonly type: string;
  readonly augmenter: Augmenter;
  /** Chance that a sample is transformed (the registry's common option, default 1). */
  readonly probability: number;
}

/**
 * Creates the augmenters of `data.augment` (validated options) for training samples of
 * `sampleShape`. A plugin's ConfigError (options that do not fit together, or an image shape it
 * cannot transform) is re-thrown with its paths under data.augment[i].
 */
export function createAugmentation(steps: readonly PluginOptions[], registry: PluginRegistry, sampleShape: Shape): AugmentStep[] {
  return steps.map((options, index) => {
    let augmenter: Augmenter;
    try {
      augmenter = registry.get('augmentation', options.type).create(options as never, { sampleShape });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ConfigError(error.issues.map((issue) => ({ ...issue, path: ['data', 'augment', index, ...issue.path] })));
    }
    return { type: options.type, augmenter, probability: typeof options.probability === 'number' ? options.probability : 1 };
  });
}

/**
 * The random stream of one batch: derived from the epoch's augmentation seed and the batch's
 * index alone, so a run resumed mid-epoch augments its remaining batches exactly as the
 * uninterrupted run did, whatever batches came before.
 */
export function batchStream(epochSeed: number, batch: number): Rng {
  return createRng((epochSeed ^ Math.imul(batch + 1, 0x9e3779b1)) >>> 0);
}

/**
 * Applies the steps in order to a batch in place: per step, one draw per sample decides whether
 * it is transformed (none when the probability is 1), then the augmenter transforms those.
 */
export function augmentBatch(steps: readonly AugmentStep[], images: Float32Array | Float64Array, count: number, sampleShape: Shape, rng: Rng): void {
  for (const { augmenter, probability } of steps) {
    const which: number[] = [];
    for (let i = 0; i < count; i++) if (probability >= 1 || rng.next() < probability) which.push(i);
    if (which.length > 0) augmenter.apply(images, sampleShape, which, rng);
  }
}
