import type { AugmentedView, GreyImage } from '@scratchnet/report';
import type { Dataset, ExperimentConfig, PluginRegistry } from '@scratchnet/spec';
import { augmentBatch, batchStream, createAugmentation, createBatcher, createPreprocess, type PreprocessEntry } from '@scratchnet/train';
import { imageLayout, sampleImage, valueRange } from './sample-images.js';

/** Rows of the report's augmentation section, and the versions shown per training digit. */
const DIGITS = 6;
const VERSIONS = 5;

/**
 * The first training digits and what data.augment makes of them, as training does it: a batch
 * of them with the model's fitted preprocessing, then every step with its probability, drawn
 * from a seeded stream (the run's seed), so the report shows the same pictures every time it is
 * rebuilt.
 * Undefined when the run does not augment or its samples are not images.
 */
export function augmentedSamples(
  experiment: Pick<ExperimentConfig, 'seed' | 'data'>,
  registry: PluginRegistry,
  train: Dataset,
  preprocess: readonly PreprocessEntry[],
): AugmentedView | undefined {
  if (experiment.data.augment.length === 0 || train.count === 0) return undefined;
  const count = Math.min(DIGITS, train.count);
  // The digits as a training batch holds them: gathered, converted and preprocessed.
  const batcher = createBatcher(
    { ...train, preprocess: createPreprocess(preprocess, registry, train.sampleShape) },
    { batchSize: count, shuffle: false },
  );
  const prepared = { images: batcher.batch(0).images.data as Float32Array, sampleShape: batcher.sampleShape };
  const layout = imageLayout(prepared.sampleShape) ?? imageLayout(train.sampleShape);
  if (layout === undefined) return undefined;
  const sampleSize = prepared.images.length / count;
  const batch = new Float32Array(count * VERSIONS * sampleSize);
  for (let digit = 0; digit < count; digit++) {
    for (let version = 0; version < VERSIONS; version++) {
      batch.set(prepared.images.subarray(digit * sampleSize, (digit + 1) * sampleSize), (digit * VERSIONS + version) * sampleSize);
    }
  }
  const steps = createAugmentation(experiment.data.augment, registry, prepared.sampleShape);
  // The whole batch goes through the steps, as in training; each row's first picture is then put back as stored.
  const originals = Array.from({ length: count }, (_, digit) => batch.slice(digit * VERSIONS * sampleSize, (digit * VERSIONS + 1) * sampleSize));
  augmentBatch(steps, batch, count * VERSIONS, prepared.sampleShape, batchStream(experiment.seed >>> 0, 0));
  originals.forEach((original, digit) => batch.set(original, digit * VERSIONS * sampleSize));
  const range = valueRange(prepared.images);
  const rows: GreyImage[][] = Array.from({ length: count }, (_, digit) =>
    Array.from({ length: VERSIONS }, (_, version) => sampleImage(batch, layout, digit * VERSIONS + version, range)),
  );
  return {
    caption: `In groups of ${VERSIONS}: a training digit after preprocessing, then ${VERSIONS - 1} versions of it as training batches see them (data.augment: ${experiment.data.augment.map((step) => step.type).join(', ')}, each step with its probability).`,
    rows,
  };
}
