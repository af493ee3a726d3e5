import type { Dataset } from '@scratchnet/spec';
import { ConfigError, type ConfigPath } from '@scratchnet/spec';
import { shapeSize } from '@scratchnet/tensor';

export interface RangeOptions {
  /** Samples dropped from the start (applied before `take`); default 0. */
  readonly skip?: number;
  /** Keep at most this many samples; default all that remain. */
  readonly take?: number;
}

/**
 * Samples [skip, skip + take) as views sharing memory with `dataset` (no copy). `path` names the
 * config slot (e.g. ['data', 'test']) for errors: a skip that leaves no samples is a ConfigError.
 */
export function selectRange(dataset: Dataset, options: RangeOptions, path: ConfigPath = []): Dataset {
  const skip = options.skip ?? 0;
  const take = options.take;
  const check = (key: 'skip' | 'take', value: number, minimum: number): void => {
    if (!Number.isInteger(value) || value < minimum) {
      throw new ConfigError([{ path: [...path, key], message: `must be an integer >= ${minimum}, got ${value}` }]);
    }
  };
  check('skip', skip, 0);
  if (take !== undefined) check('take', take, 1);
  if (skip === 0 && (take === undefined || take >= dataset.count)) return dataset;
  if (skip >= dataset.count) {
    throw new ConfigError([
      { path: [...path, 'skip'], message: `skip ${skip} leaves no samples: ${dataset.source} has ${dataset.count}. Use a skip below ${dataset.count}.` },
    ]);
  }
  const end = take === undefined ? dataset.count : Math.min(dataset.count, skip + take);
  const size = shapeSize(dataset.sampleShape);
  return {
    images: dataset.images.subarray(skip * size, end * size),
    labels: dataset.labels.subarray(skip, end),
    sampleShape: dataset.sampleShape,
    count: end - skip,
    classNames: dataset.classNames,
    source: `${dataset.source} [samples ${skip}..${end - 1}]`,
  };
}
