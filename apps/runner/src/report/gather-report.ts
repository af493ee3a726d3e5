import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PredictedSample, RunReport, TestResults } from '@scratchnet/report';
import { MissingPluginError, type Dataset } from '@scratchnet/spec';
import { selectBackend } from '../backend.js';
import { displayPath, loadExperiment, type LoadedExperiment } from '../config/load-config.js';
import { createDataSource, loadDataset } from '../data/load-data.js';
import { classify, EXIT, usageError } from '../exit-codes.js';
import { MODEL_FILES, readModelDir, type ModelOnDisk } from '../run-dir/model-files.js';
import type { EvaluationFile } from './evaluation-file.js';
import { firstLayerView, layerRows } from './model-view.js';
import type { RunFolder } from './run-folder.js';
import { runStatus } from './run-status.js';
import { augmentedSamples } from './augmented-samples.js';
import { imageLayout, sampleImage, valueRange } from './sample-images.js';

export interface GatherOptions {
  readonly cwd: string;
  /** --data-dir: where the test set is now; else the run's own data folder, then `$SCRATCHNET_DATA`. */
  readonly dataDir?: string;
  readonly env: NodeJS.ProcessEnv;
  /**
   * The run's config as the training process holds it, with its plugins (those of --plugins on
   * a resumed run): the test set is then loaded with these rather than the config read again.
   */
  readonly loaded?: Pick<LoadedExperiment, 'experiment' | 'registry'>;
}

export interface GatheredReport {
  readonly report: RunReport;
  /** Parts left out because they could not be loaded (also in the report's note). */
  readonly warnings: readonly string[];
}

/**
 * A run's report data from its folder: the files readRunFolder checked, the model (model/, or
 * the latest checkpoint of an unfinished run) for the layer table and the first layer, and the
 * test set, reloaded as training loaded it, for the pixels of the samples evaluation.json names.
 * A piece that cannot be had is left out with a warning; a damaged run file or model is exit 3.
 */
export async function gatherRunReport(folder: RunFolder, options: GatherOptions): Promise<GatheredReport> {
  const { info, settings } = folder;
  const warnings: string[] = [];
  const { status, note } = runStatus({
    summary: folder.summary !== undefined,
    ...(info.outcome === undefined ? {} : { outcome: info.outcome }),
    inUse: folder.inUse,
    epochs: folder.epochs.length,
    resume: `runner --resume ${folder.shown}`,
  });
  const model = await loadModel(folder, options.cwd, warnings);
  let view: Pick<RunReport, 'inputShape' | 'layers' | 'firstLayer'> = { inputShape: settings.input, layers: [] };
  if (model !== undefined) {
    const { network } = model.loaded;
    const firstLayer = firstLayerView(network, model.input?.sampleShape);
    view = { inputShape: [...network.inputShape], layers: layerRows(network), ...(firstLayer === undefined ? {} : { firstLayer }) };
    await network.backend.dispose();
  }
  const test = folder.evaluation && (await testResults(folder, folder.evaluation, model, options, warnings));
  const augmented = model === undefined ? undefined : await augmentedView(folder, model, options, warnings);
  const notes = [note, ...warnings].filter((n): n is string => n !== undefined);
  const report: RunReport = {
    name: info.name,
    status,
    runDir: folder.shown,
    configYaml: folder.configText,
    seed: settings.seed,
    createdAt: info.createdAt,
    versions: info.versions ?? {},
    ...(info.machine === undefined ? {} : { machine: info.machine }),
    backend: info.kernels?.backend ?? settings.backend,
    threads: info.kernels?.threads ?? settings.threads,
    epochs: folder.epochs,
    plannedEpochs: settings.epochs,
    ...(folder.summary === undefined ? {} : { totalSeconds: folder.summary.seconds, samplesPerSecond: folder.summary.samplesPerSecond }),
    ...view,
    ...(test === undefined ? {} : { test }),
    ...(augmented === undefined ? {} : { augmented }),
    ...(notes.length === 0 ? {} : { note: notes.join(' ') }),
  };
  return { report, warnings };
}

/** The run's model, or undefined (with a warning unless the run never got as far as one). */
async function loadModel(folder: RunFolder, cwd: string, warnings: string[]): Promise<ModelOnDisk | undefined> {
  const { paths } = folder;
  if (![paths.model, paths.checkpoints].some((dir) => existsSync(join(dir, MODEL_FILES.model)))) return undefined;
  // Only weights are read: the plain JS kernels start no worker threads.
  const backend = selectBackend('js');
  try {
    return await readModelDir(paths.dir, cwd, { backend });
  } catch (error) {
    await backend.dispose();
    // A plugin that moved leaves the rest of the report worth having; a damaged model does not.
    const missingPlugin = error instanceof Error && error.cause instanceof MissingPluginError;
    const { exitCode, userError } = classify(error);
    if (!userError || (exitCode === EXIT.badData && !missingPlugin)) throw error;
    warnings.push(`Left out the layer table and the first layer: ${(error as Error).message}`);
    return undefined;
  }
}

async function testResults(folder: RunFolder, evaluation: EvaluationFile, model: ModelOnDisk | undefined, options: GatherOptions, warnings: string[]): Promise<TestResults> {
  const { classNames } = evaluation;
  const base = {
    loss: evaluation.loss,
    accuracy: evaluation.accuracy,
    count: evaluation.count,
    classNames,
    confusion: evaluation.confusion,
  };
  let data: Dataset;
  try {
    data = await loadSplit(folder, options, 'test');
  } catch (error) {
    if (!classify(error).userError) throw error;
    warnings.push(`Left out the test digits: the test set could not be loaded. ${(error as Error).message}`);
    return { ...base, misclassified: [], confidentCorrect: [] };
  }
  const layout = imageLayout(data.sampleShape);
  const samples = [...evaluation.misclassified, ...evaluation.confidentCorrect];
  const matches = data.count === evaluation.count && samples.every((s) => data.labels[s.index] === s.label);
  if (layout === undefined || !matches) {
    warnings.push(
      layout === undefined
        ? `Left out the test digits: samples of shape [${data.sampleShape.join(', ')}] have no image layout.`
        : `Left out the test digits: the test set found (${data.source}) is not the one the run was evaluated on (its size or labels differ); give the right one with --data-dir.`,
    );
    return { ...base, misclassified: [], confidentCorrect: [] };
  }
  // The raw data's range, as training saw it, so a faint digit looks faint.
  const range: [number, number] = model?.input ? [model.input.min, model.input.max] : valueRange(data.images);
  const picture = (s: EvaluationFile['misclassified'][number]): PredictedSample => ({
    index: s.index,
    image: sampleImage(data.images, layout, s.index, range),
    label: classNames[s.label] ?? String(s.label),
    predicted: classNames[s.predicted] ?? String(s.predicted),
    confidence: s.confidence,
  });
  return { ...base, misclassified: evaluation.misclassified.map(picture), confidentCorrect: evaluation.confidentCorrect.map(picture) };
}

/** A few training digits through data.augment; left out with a warning when the training set cannot be had. */
async function augmentedView(folder: RunFolder, model: ModelOnDisk, options: GatherOptions, warnings: string[]): Promise<RunReport['augmented']> {
  try {
    const loaded = await experimentOf(folder, options);
    if (loaded.experiment.data.augment.length === 0) return undefined;
    const train = await loadSplit(folder, options, 'train', loaded);
    return augmentedSamples(loaded.experiment, loaded.registry, train, model.loaded.preprocess);
  } catch (error) {
    if (!classify(error).userError) throw error;
    warnings.push(`Left out the augmented training digits: ${(error as Error).message}`);
    return undefined;
  }
}

/** The run's experiment: the one training used, or its config.resolved.yaml read again. */
async function experimentOf(folder: RunFolder, options: GatherOptions): Promise<Pick<LoadedExperiment, 'experiment' | 'registry'>> {
  return (
    options.loaded ??
    (await loadExperiment({
      text: folder.configText,
      displayName: displayPath(folder.paths.config, options.cwd),
      configDir: folder.info.configDir,
      overrides: [],
    }))
  );
}

/** A data set exactly as training loaded it (same plugin, paths and skip/take), before preprocessing. */
async function loadSplit(
  folder: RunFolder,
  options: GatherOptions,
  split: 'train' | 'test',
  known?: Pick<LoadedExperiment, 'experiment' | 'registry'>,
): Promise<Dataset> {
  const { info } = folder;
  // The experiment read once per report when the caller already has it.
  const loaded = known ?? (await experimentOf(folder, options));
  const slot = loaded.experiment.data[split];
  if (slot === undefined) throw usageError(`the config has no data.${split}.`);
  const env = options.env.SCRATCHNET_DATA === '' ? undefined : options.env.SCRATCHNET_DATA;
  const dataDir = options.dataDir !== undefined ? resolve(options.cwd, options.dataDir) : (info.dataDir ?? env);
  return loadDataset(loaded.registry, slot, ['data', split], createDataSource(info.configDir, dataDir));
}
