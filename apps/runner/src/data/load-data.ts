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
import type { Backend, Rng, Shape } from '@scratchnet/tensor';
import type { BatchPreprocess } from '@scratchnet/train';
import { dataError } from '../exit-codes.js';
import { checkLoadedDataset } from './check-data.js';
import { withDigests } from './digest-source.js';
import type { InputFormat } from '../run-dir/model-files.js';
import { checkSplit, fitPreprocess, type FittedStep } from './preprocess.js';

/** A split as loaded (bytes, usually), with the fitted preprocessing its batches go through. */
export type PreparedSet = Dataset & { readonly preprocess: BatchPreprocess };

export interface PreparedData {
  readonly train: PreparedSet;
  readonly validation?: PreparedSet;
  readonly test?: PreparedSet;
  readonly preprocess: readonly FittedStep[];
  /** Per-sample shape of the batches (after preprocessing): what the model's input must take. */
  readonly sampleShape: Shape;
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
 * validation, test, as loaded, each with the preprocessing fitted on the training part only,
 * which their batches run (no preprocessed copy of a split is made). Refuses preprocessing
 * that turns any of them into NaN or Infinity.
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
  const preprocess = fitPreprocess(data.preprocess, registry, rawTrain);
  const prepared = (dataset: Dataset | undefined, split: string): PreparedSet | undefined => {
    if (dataset === undefined) return undefined;
    checkSplit(preprocess, dataset, split);
    return { ...dataset, preprocess };
  };
  const validation = prepared(rawValidation, 'validation');
  const test = prepared(rawTest, 'test');
  return {
    train: { ...rawTrain, preprocess },
    ...(validation ? { validation } : {}),
    ...(test ? { test } : {}),
    preprocess: preprocess.fitted,
    sampleShape: preprocess.outputShape,
    input,
    classNames: fullTrain.classNames,
  };
}

/**
 * The splits with byte images moved into `backend`'s memory (Backend.residentBytes), where its
 * gather kernel reads them in place, and dropped from plain memory: a training run then holds
 * each split's pixels once. Float images stay where they are.
 */
export function placeData(data: PreparedData, backend: Backend): PreparedData {
  const place = (set: PreparedSet): PreparedSet => (set.images instanceof Uint8Array ? { ...set, images: backend.residentBytes(set.images) } : set);
  return {
    ...data,
    train: place(data.train),
    ...(data.validation ? { validation: place(data.validation) } : {}),
    ...(data.test ? { test: place(data.test) } : {}),
  };
}

function sameClasses(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** Value range and shape of the raw training images (before preprocessing changes them). */
export function describeInput(dataset: string, data: Dataset): InputFormat {
  let min = Infinity;
  let max = -Infinity;
  // Bytes cannot go past 0 and 255: once both are seen the rest of MNIST's 47 MB need not be read.
  const [floor, ceiling] = data.images instanceof Uint8Array ? [0, 255] : [Number.NaN, Number.NaN];
  for (let i = 0; i < data.images.length; i++) {
    const v = data.images[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (min === floor && max === ceiling) break;
  }
  let binary = true;
  for (let i = 0; i < data.images.length && binary; i++) {
    const v = data.images[i]!;
    binary = v === min || v === max;
  }
  return { format: 'scratchnet-input', formatVersion: 1, dataset, sampleShape: [...data.sampleShape], min, max, binary };
}
