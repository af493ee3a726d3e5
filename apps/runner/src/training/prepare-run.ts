import { isScratchnetError, type Dataset, type ExperimentConfig, type PluginRegistry } from '@scratchnet/spec';
import { createRng, formatShape, shapeSize, wasmSupport, type Rng } from '@scratchnet/tensor';
import { availableParallelism } from 'node:os';
import {
  buildNetwork,
  checkTrainingControl,
  createAugmentation,
  createTrainingParts,
  inferShapes,
  useDataParallel,
  DEFAULT_SHARDS,
  type AugmentStep,
  type Network,
  type TrainingParts,
} from '@scratchnet/train';
import { selectBackend } from '../backend.js';
import { ConfigIssuesError, locateIssues } from '../config/issues.js';
import { issuesOf, type LoadedExperiment } from '../config/load-config.js';
import { createDataSource, placeData, prepareData, type PreparedData } from '../data/load-data.js';

/** Everything needed to train, built in memory; nothing written yet. */
export interface PreparedRun {
  readonly loaded: LoadedExperiment;
  readonly experiment: ExperimentConfig;
  readonly registry: PluginRegistry;
  readonly data: PreparedData;
  readonly network: Network;
  readonly parts: TrainingParts;
  /** The data stream (shuffling, augmentation); checkpoints save and restore it. */
  readonly dataRng: Rng;
  /** data.augment's augmenters, for the training batches. */
  readonly augment: readonly AugmentStep[];
  /** How threads share a step (training.parallelism resolved for this model and backend). */
  readonly parallel: ParallelPlan;
}

/** `data`: `shards` micro-shards on up to `threads` threads; `split`: the backend splits large products. */
export interface ParallelPlan {
  readonly mode: 'data' | 'split';
  /** Threads used, the calling one included. */
  readonly threads: number;
  readonly shards: number;
}

/**
 * Seeds three independent streams from `seed` (model weights, shuffling, validation split),
 * loads and preprocesses the data, checks that it fits the model, builds the network and its
 * loss/optimiser/schedule. The same seed always yields the same initial state.
 */
export async function prepareRun(loaded: LoadedExperiment, dataDir: string | undefined): Promise<PreparedRun> {
  const { experiment, registry } = loaded;
  const root = createRng(experiment.seed);
  const modelRng = root.fork();
  const dataRng = root.fork();
  const splitRng = root.fork();

  let data: PreparedData;
  try {
    data = await prepareData(experiment, registry, createDataSource(loaded.configDir, dataDir), splitRng);
  } catch (error) {
    // skip/take or a validation fraction that does not fit the data set: a config mistake.
    if (isScratchnetError(error) && error.code === 'CONFIG') {
      throw new ConfigIssuesError(locateIssues(issuesOf(error), loaded.source, loaded.overrides));
    }
    throw error;
  }
  checkDataFitsModel(loaded, { source: data.train.source, sampleShape: data.sampleShape }, data.classNames.length);

  const parallel = planParallelism(loaded);
  const network = buildNetwork(experiment.model, registry, {
    rng: modelRng,
    // Data parallelism runs its own workers; the backend's would only compete for the cores.
    backend: selectBackend(experiment.training.backend, parallel.mode === 'data' ? 1 : experiment.training.threads),
    dtype: 'float32',
    classes: data.classNames.length,
  });
  // Byte images move into the backend's memory, where batches are gathered from.
  data = placeData(data, network.backend);
  let parts: TrainingParts;
  let augment: AugmentStep[];
  try {
    parts = createTrainingParts(experiment, registry, network, data.train);
    checkTrainingControl(experiment.training, data.validation !== undefined);
    augment = createAugmentation(experiment.data.augment, registry, data.sampleShape);
  } catch (error) {
    // A batch plan the data or a layer cannot train with (e.g. batch norm on a last batch of 1),
    // early stopping without validation data, augmentation options that do not fit the images.
    if (isScratchnetError(error) && error.code === 'CONFIG') {
      await network.backend.dispose();
      throw new ConfigIssuesError(locateIssues(issuesOf(error), loaded.source, loaded.overrides));
    }
    throw error;
  }
  return { loaded, experiment, registry, data, network, parts, dataRng, augment, parallel };
}

/**
 * training.parallelism for this model: `data` needs a model of built-in, batch-independent layers
 * (a located config error otherwise); `auto` picks it for such models with small products, on
 * the wasm backend. The choice never depends on the thread count, so neither does the model.
 */
function planParallelism(loaded: LoadedExperiment): ParallelPlan {
  const { training, model, loss } = loaded.experiment;
  const threads = training.threads === 0 ? availableParallelism() : training.threads;
  const shards = training.shards ?? DEFAULT_SHARDS;
  const wasm = training.backend === 'wasm' || (training.backend === 'auto' && wasmSupport().simd);
  let data: boolean;
  try {
    data = useDataParallel(training.parallelism ?? 'auto', model, loss.type, loaded.registry, { batchSize: training.batchSize, shards, wasm });
  } catch (error) {
    if (isScratchnetError(error) && error.code === 'CONFIG') throw new ConfigIssuesError(locateIssues(issuesOf(error), loaded.source, loaded.overrides));
    throw error;
  }
  return { mode: data ? 'data' : 'split', threads, shards };
}

/** A model whose input or output does not match the data is a config mistake (exit 2), located in the file. */
function checkDataFitsModel(loaded: LoadedExperiment, train: Pick<Dataset, 'source' | 'sampleShape'>, classes: number): void {
  const fail = (issues: Parameters<typeof locateIssues>[0]): never => {
    throw new ConfigIssuesError(locateIssues(issues, loaded.source, loaded.overrides));
  };
  const input = loaded.experiment.model.input;
  const data = train.sampleShape;
  const fix = `Set model.input to ${formatShape(data)}${data.length > 1 ? ` or [${shapeSize(data)}]` : ''}.`;
  if (shapeSize(input) !== shapeSize(data)) {
    fail([
      {
        path: ['model', 'input'],
        message:
          `is ${formatShape(input)} (${shapeSize(input)} values per sample) but the training data (${train.source}) ` +
          `has samples of ${formatShape(data)} (${shapeSize(data)} values) after preprocessing. ${fix}`,
      },
    ]);
  }
  // Equal sizes can still be different images: data of 28x32 read as [1, 32, 28] trains, on
  // scrambled rows. A flat side (either one) carries no layout to compare, so only two
  // image shapes are held to each other.
  const image = (shape: readonly number[]): readonly number[] => shape.slice(shape.findIndex((d) => d !== 1));
  const [inputImage, dataImage] = [image(input), image(data)];
  if (inputImage.length > 1 && dataImage.length > 1 && formatShape(inputImage) !== formatShape(dataImage)) {
    fail([
      {
        path: ['model', 'input'],
        message:
          `is ${formatShape(input)} but the training data (${train.source}) has samples of ${formatShape(data)} after preprocessing: ` +
          `the same ${shapeSize(data)} values, laid out as ${dataImage.join('x')} instead of ${inputImage.join('x')}. ${fix}`,
      },
    ]);
  }
  try {
    inferShapes(loaded.experiment.model, loaded.registry, { classes });
  } catch (error) {
    fail(issuesOf(error));
  }
}
