import type { Dataset } from '@scratchnet/spec';
import { ConfigError, type ConfigPath } from '@scratchnet/spec';
import { shapeSize, type Rng } from '@scratchnet/tensor';

export interface ValidationSplitOptions {
  /** Fraction of the samples held out for validation, in (0, 1). */
  readonly fraction: number;
  /** Keep each class's share the same in both parts (default false). */
  readonly stratify?: boolean;
}

export interface SplitResult {
  readonly train: Dataset;
  readonly validation: Dataset;
}

/**
 * Holds out round(fraction * count) samples chosen with `rng` (same seed, same split). Both
 * parts keep the original sample order. With `stratify`, each class contributes its share
 * (largest-remainder rounding, ties to the lower class index). Both parts are copies.
 * `path` names the config option for errors.
 */
export function splitValidation(dataset: Dataset, options: ValidationSplitOptions, rng: Rng, path: ConfigPath = ['data', 'validation', 'fromTrain']): SplitResult {
  const { fraction } = options;
  const total = Math.round(fraction * dataset.count);
  if (!(fraction > 0 && fraction < 1) || total < 1 || total >= dataset.count) {
    throw new ConfigError([
      {
        path,
        message:
          `a validation fraction of ${fraction} of ${dataset.count} samples holds out ${Number.isFinite(total) ? total : 'no'} samples; ` +
          `it must leave at least one sample in each part (use a fraction between ${(1 / dataset.count).toPrecision(2)} and ${(1 - 1 / dataset.count).toPrecision(3)})`,
      },
    ]);
  }
  const held = new Uint8Array(dataset.count);
  if (options.stratify) {
    for (const indices of heldOutByClass(dataset, fraction, total, rng)) for (const i of indices) held[i] = 1;
  } else {
    const order = rng.shuffle(Uint32Array.from({ length: dataset.count }, (_, i) => i));
    for (let k = 0; k < total; k++) held[order[k]!] = 1;
  }
  const trainIndices: number[] = [];
  const validationIndices: number[] = [];
  for (let i = 0; i < dataset.count; i++) (held[i] ? validationIndices : trainIndices).push(i);
  const percent = `${+(fraction * 100).toFixed(2)}%`;
  return {
    train: gather(dataset, trainIndices, `${dataset.source} [training part, ${percent} held out]`),
    validation: gather(dataset, validationIndices, `${dataset.source} [${percent} validation part]`),
  };
}

/** Per class, a random choice of its quota of indices. */
function heldOutByClass(dataset: Dataset, fraction: number, total: number, rng: Rng): number[][] {
  const byClass: number[][] = dataset.classNames.map(() => []);
  for (let i = 0; i < dataset.count; i++) byClass[dataset.labels[i]!]?.push(i);
  const exact = byClass.map((indices) => indices.length * fraction);
  const quota = exact.map(Math.floor);
  let remaining = total - quota.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((value, c) => ({ c, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.c - b.c);
  for (const { c } of byRemainder) {
    if (remaining <= 0) break;
    if (quota[c]! < byClass[c]!.length) {
      quota[c] = quota[c]! + 1;
      remaining--;
    }
  }
  return byClass.map((indices, c) => rng.shuffle(indices).slice(0, quota[c]));
}

/** A new dataset holding the samples at `indices`, in that order, with images of the same type (bytes stay bytes). */
export function gather(dataset: Dataset, indices: readonly number[], source: string): Dataset {
  const size = shapeSize(dataset.sampleShape);
  const images = dataset.images instanceof Uint8Array ? new Uint8Array(indices.length * size) : new Float32Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  indices.forEach((from, to) => {
    images.set(dataset.images.subarray(from * size, (from + 1) * size), to * size);
    labels[to] = dataset.labels[from]!;
  });
  return { images, labels, sampleShape: dataset.sampleShape, count: indices.length, classNames: dataset.classNames, source };
}
