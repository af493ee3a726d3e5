import type { Dataset } from '@scratchnet/spec';
import { formatShape, shapeSize } from '@scratchnet/tensor';

export interface DatasetSummary {
  readonly count: number;
  /** Samples per class, in classNames order. */
  readonly perClass: readonly number[];
  /** Smallest and largest pixel value. */
  readonly min: number;
  readonly max: number;
}

const isSize = (d: unknown): boolean => Number.isInteger(d) && (d as number) >= 1;

/**
 * Checks a Dataset as a dataset plugin's `load` returned it, the way training and evaluation
 * will read it: `count` >= 1 samples of `sampleShape` (each dimension an integer >= 1) in a
 * Float32Array (or, for whole values 0..255, a Uint8Array) of count * product(sampleShape) finite
 * values, `count` labels in a Uint8Array,
 * each an index into `classNames` (non-empty, distinct strings), and a `source` to name in
 * messages. Returns the counts per class and the value range (to check by hand); throws an
 * Error listing every problem.
 */
export function checkDataset(dataset: Dataset): DatasetSummary {
  const problems: string[] = [];
  const { images, labels, sampleShape, count, classNames, source } = dataset;
  if (typeof source !== 'string' || source === '') problems.push('source must name where the data came from (e.g. the file path).');
  const shapeOk = Array.isArray(sampleShape) && sampleShape.length > 0 && sampleShape.every(isSize);
  if (!shapeOk) problems.push(`sampleShape must be a per-sample shape such as [1, 28, 28] (every dimension an integer >= 1), got ${JSON.stringify(sampleShape)}.`);
  if (!isSize(count)) problems.push(`count must be an integer >= 1, got ${count}; a loader should throw a DataFormatError for a file without samples.`);
  const namesOk = Array.isArray(classNames) && classNames.length > 0 && classNames.every((name) => typeof name === 'string');
  if (!namesOk) problems.push('classNames must be a non-empty list of strings (one per class, in label order).');
  else if (new Set(classNames).size !== classNames.length) problems.push(`classNames must be distinct, got ${classNames.join(', ')}.`);
  if (!(images instanceof Float32Array || images instanceof Uint8Array)) problems.push('images must be a Float32Array (or a Uint8Array of bytes).');
  else if (shapeOk && isSize(count) && images.length !== count * shapeSize(sampleShape)) {
    problems.push(`images has ${images.length} values; ${count} samples of ${formatShape(sampleShape)} need ${count * shapeSize(sampleShape)} (sample-major).`);
  }
  if (!(labels instanceof Uint8Array)) problems.push('labels must be a Uint8Array.');
  else if (labels.length !== count) problems.push(`labels has ${labels.length} entries for ${count} samples; give one label per sample.`);
  if (problems.length > 0) throw new Error(`checkDataset(${String(source)}):\n${problems.map((problem) => `- ${problem}`).join('\n')}`);

  const perClass = classNames.map(() => 0);
  for (let i = 0; i < count; i++) {
    const label = labels[i]!;
    if (label >= classNames.length) {
      throw new Error(`checkDataset(${source}): label ${label} of sample ${i} is not an index into the ${classNames.length} classNames.`);
    }
    perClass[label]! += 1;
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < images.length; i++) {
    const value = images[i]!;
    if (!Number.isFinite(value)) {
      throw new Error(`checkDataset(${source}): value ${i} (sample ${Math.floor(i / shapeSize(sampleShape))}) is ${value}; every value must be finite.`);
    }
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return { count, perClass, min, max };
}
