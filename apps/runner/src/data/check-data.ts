import type { Dataset } from '@scratchnet/spec';
import { formatShape, shapeSize, type Shape } from '@scratchnet/tensor';
import type { NonFiniteValue } from '@scratchnet/train';
import { dataError } from '../exit-codes.js';

/**
 * Checks on what a dataset plugin or a preprocessing step hands to training. The built-in
 * loaders check their own formats, but a third-party plugin, a bug in one, or a custom
 * preprocessing step can return NaN or Infinity. Training would only notice that as a diverged
 * loss many batches later (exit 4, "lower the learning rate"), far from the sample to blame, so
 * it is refused here (exit 3) with the sample's index.
 */

/** Index of the first value that is NaN or +-Infinity, or -1 (always for bytes). */
export function firstNonFinite(values: Float32Array | Uint8Array): number {
  if (values instanceof Uint8Array) return -1;
  for (let i = 0; i < values.length; i++) {
    // v - v is 0 for every finite v and NaN for NaN and +-Infinity; cheaper than Number.isFinite.
    const v = values[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}

/** "sample 4, pixel 9 of [1, 8, 8] (row 1, col 1)" for flat index `index` into the images. */
function describePixel(index: number, sampleShape: Shape): string {
  const size = shapeSize(sampleShape);
  const sample = Math.floor(index / size);
  const pixel = index % size;
  const [, rows, cols] = sampleShape;
  const position = sampleShape.length === 3 && rows !== undefined && cols !== undefined
    ? ` (channel ${Math.floor(pixel / (rows * cols))}, row ${Math.floor((pixel % (rows * cols)) / cols)}, col ${pixel % cols}, counting from 0)`
    : '';
  return `sample ${sample}, pixel ${pixel} of ${formatShape(sampleShape)}${position}`;
}

/**
 * Checks a data set as its plugin returned it (before skip/take, so indices are those of the
 * file): array sizes that agree with count and sampleShape, labels inside the classes, finite
 * pixels. `slot` is its config path (`data.train`, `--data`), `type` its dataset plugin.
 */
export function checkLoadedDataset(dataset: Dataset, slot: string, type: string): void {
  const where = `${slot} (type ${type}, from ${dataset.source})`;
  const size = shapeSize(dataset.sampleShape);
  const plugin = 'This is a bug in the dataset plugin, not in your config.';
  if (!Number.isInteger(dataset.count) || dataset.count < 1) {
    throw dataError(`${where}: the data set has ${dataset.count} samples; expected at least 1. ${plugin}`);
  }
  if (dataset.images.length !== dataset.count * size) {
    throw dataError(
      `${where}: expected ${dataset.count} samples x ${size} values (${formatShape(dataset.sampleShape)}) = ${dataset.count * size} pixel values, ` +
        `found ${dataset.images.length}. ${plugin}`,
    );
  }
  if (dataset.labels.length !== dataset.count) {
    throw dataError(`${where}: expected ${dataset.count} labels (one per sample), found ${dataset.labels.length}. ${plugin}`);
  }
  const classes = dataset.classNames.length;
  for (let i = 0; i < dataset.count; i++) {
    const label = dataset.labels[i]!;
    if (label >= classes) {
      throw dataError(
        `${where}: sample ${i} (counting from 0, before skip/take) has label ${label}, ` +
          `but the data set has ${classes} classes (labels 0..${classes - 1}). Fix the labels, or the class names the plugin declares.`,
      );
    }
  }
  const bad = firstNonFinite(dataset.images);
  if (bad !== -1) {
    throw dataError(
      `${where}: expected finite pixel values, found ${dataset.images[bad]} at ${describePixel(bad, dataset.sampleShape)}; ` +
        'sample indices count from 0, before skip/take. NaN or Infinity in the data would only show up later as a diverged loss: ' +
        'fix the data, or the dataset plugin that produced it.',
    );
  }
}

/** Refuses the non-finite value preprocessing made of `split` (findNonFinite), naming its step and sample. */
export function checkPreprocessed(found: NonFiniteValue | undefined, split: string): void {
  if (found === undefined) return;
  const { step, type, value, index, sampleShape } = found;
  throw dataError(
    `data.preprocess[${step}] (${type}) turned finite ${split} data into ${value} at ${describePixel(index, sampleShape)} ` +
      `(indices count from 0 within the ${split} samples). Check the step's options, or the preprocess plugin that defines it.`,
  );
}
