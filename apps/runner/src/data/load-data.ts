import { selectRange, splitValidation } from '@scratchnet/datasets';
import { createNodeDataSource } from '@scratchnet/datasets/node';
import {
  formatPath,
  isScratchnetError,
  type ConfigPath,
  type DataSource,
  type Dataset,
  type DatasetOptions,
  type ExperimentConfig,
  type PluginRegistry,
} from '@scratchnet/spec';
import type { Rng } from '@scratchnet/tensor';
import { dataError } from '../exit-codes.js';
import { checkLoadedDataset } from './check-data.js';
import { withDigests } from './digest-source.js';
import type { InputFormat } from '../run-dir/model-files.js';
import { fitPreprocess, applyPreprocess, type FittedStep } from './preprocess.js';

export interface PreparedData {
  readonly train: Dataset;
  readonly validation?: Dataset;
  readonly test?: Dataset;
  readonly preprocess: readonly FittedStep[];
  /** The raw training samples' format, for PNG prediction later. */
  readonly input: InputFormat;
  readonly classNames: readonly string[];
}

/** Config paths resolve against the config's folder first, then the data directory. */
export function createDataSource(configDir: string, dataDir: string | undefined): DataSource {
  return createNodeDataSource({ baseDir: configDir, dataDir: dataDir ?? null });
}

/**
 * Loads one dataset slot (`data.train`, an eval `--data`), checks what the plugin returned
 * (sizes, labels, finite pixels), then applies skip/take.
 */
export async function loadDataset(
  registry: PluginRegistry,
  slot: DatasetOptions,
  path: ConfigPath,
  source: DataSource,
): Promise<Dataset> {
  const plugin = registry.get('dataset', slot.type);
  try {
    const digests = slot.sha256 === undefined ? undefined : withDigests(source, slot.sha256, path);
    const dataset = await plugin.load(slot as never, digests?.source ?? source);
    digests?.checkAllRead();
    checkLoadedDataset(dataset, formatPath(path), slot.type);
    const range = { ...(slot.skip === undefined ? {} : { skip: slot.skip }), ...(slot.take === undefined ? {} : { take: slot.take }) };
    return selectRange(dataset, range, path);
  } catch (error) {
    if (isScratchnetError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) {
      const file = (error as NodeJS.ErrnoException).path;
      // Without a path it is not a file-system error (e.g. ERR_STRING_TOO_LONG inside the
      // plugin): say what the plugin hit, not where files are looked for.
      if (file === undefined) {
        throw dataError(`${formatPath(path)} (${slot.type}): the data set could not be loaded: ${(error as Error).message} (${code}).`, error);
      }
      const problem = code === 'ENOENT' ? `not found: ${file}` : `cannot read ${file}: ${code}`;
      throw dataError(
        `${formatPath(path)} (${slot.type}): ${problem}. Relative paths resolve against the config's folder, then the data directory (--data-dir or SCRATCHNET_DATA).`,
        error,
      );
    }
    throw error;
  }
}

/**
 * Everything `fit` needs from the `data:` section: train (minus the seeded validation split),
 * validation, test, with preprocessing fitted on the training part only and applied to all.
 */
export async function prepareData(
  experiment: ExperimentConfig,
  registry: PluginRegistry,
  source: DataSource,
  splitRng: Rng,
): Promise<PreparedData> {
  const { data } = experiment;
  const [fullTrain, rawTest] = await Promise.all([
    loadDataset(registry, data.train, ['data', 'train'], source),
    data.test ? loadDataset(registry, data.test, ['data', 'test'], source) : Promise.resolve(undefined),
  ]);
  if (rawTest && !sameClasses(fullTrain.classNames, rawTest.classNames)) {
    throw dataError(
      `data.test has classes ${rawTest.classNames.join(', ')} but data.train has ${fullTrain.classNames.join(', ')}. Use test data of the same classes.`,
    );
  }
  const input = describeInput(data.train.type, fullTrain);
  let rawTrain = fullTrain;
  let rawValidation: Dataset | undefined;
  if (data.validation && data.validation.fromTrain > 0) {
    const split = splitValidation(fullTrain, { fraction: data.validation.fromTrain, stratify: data.validation.stratify }, splitRng);
    rawTrain = split.train;
    rawValidation = split.validation;
  }
  const fitted = fitPreprocess(data.preprocess, registry, rawTrain);
  const train: Dataset = { ...rawTrain, ...fitted.train };
  const transform = (dataset: Dataset | undefined, split: string): Dataset | undefined =>
    dataset && { ...dataset, ...applyPreprocess(fitted.fitted, registry, dataset, split) };
  const validation = transform(rawValidation, 'validation');
  const test = transform(rawTest, 'test');
  return {
    train,
    ...(validation ? { validation } : {}),
    ...(test ? { test } : {}),
    preprocess: fitted.fitted,
    input,
    classNames: fullTrain.classNames,
  };
}

function sameClasses(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** Value range and shape of the raw training images (before preprocessing changes them). */
export function describeInput(dataset: string, data: Dataset): InputFormat {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.images.length; i++) {
    const v = data.images[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let binary = true;
  for (let i = 0; i < data.images.length && binary; i++) {
    const v = data.images[i]!;
    binary = v === min || v === max;
  }
  return { format: 'scratchnet-input', formatVersion: 1, dataset, sampleShape: [...data.sampleShape], min, max, binary };
}
