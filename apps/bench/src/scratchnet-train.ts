import { datasets, preprocessors } from '@scratchnet/datasets';
import { initialisers } from '@scratchnet/initialisers';
import { layers } from '@scratchnet/layers';
import { losses } from '@scratchnet/losses';
import { optimisers, schedules } from '@scratchnet/optimisers';
import { createRegistry } from '@scratchnet/registry';
import type { Dataset, ExperimentConfig, PluginRegistry } from '@scratchnet/spec';
import { type Backend, createRng } from '@scratchnet/tensor';
import { buildNetwork, createTrainingParts, DEFAULT_SHARDS, evaluate, fit, fitPreprocess, useDataParallel } from '@scratchnet/train';
import { createDataParallelStep } from '@scratchnet/train/node';
import { type Recipe, experimentFor } from './recipes.js';

export function builtinRegistry(): PluginRegistry {
  const registry = createRegistry();
  for (const group of [layers, losses, optimisers, schedules, initialisers, datasets, preprocessors]) {
    for (const plugin of group) registry.register(plugin);
  }
  return registry;
}

/**
 * Why scratchnet cannot build the recipe (e.g. a layer type no registered plugin provides yet),
 * or undefined when the registry accepts it.
 */
export function recipeProblem(recipe: Recipe, registry: PluginRegistry, backend: 'js' | 'wasm' = 'wasm'): string | undefined {
  const { value, issues } = registry.validateExperiment(experimentFor(recipe, backend, 1));
  if (value !== undefined) return undefined;
  const where = (path: readonly (string | number)[]): string => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').slice(1);
  // One line per distinct message: a missing plugin is named once, not at every layer that uses it.
  const paths = new Map<string, string[]>();
  for (const issue of issues) paths.set(issue.message, [...(paths.get(issue.message) ?? []), where(issue.path)]);
  return [...paths].map(([message, at]) => `${message.replace(/\.? Known .*$/, '')} (${at.join(', ')})`).join('; ');
}

export interface TrainRun {
  /** Training samples per second (forward, loss, backward, optimiser step; no evaluation). */
  readonly samplesPerSecond: number;
  readonly seconds: number;
  readonly samples: number;
  /** Test accuracy after the run (undefined when `evaluateTest` is false). */
  readonly testAccuracy?: number;
  /** How threads shared the steps, as the runner's training.parallelism: auto picks it. */
  readonly parallelism: 'data' | 'split';
  /** Micro-shards per batch when data-parallel. */
  readonly shards: number;
}

export interface TrainOptions {
  readonly registry: PluginRegistry;
  readonly backend: Backend;
  readonly train: Dataset;
  readonly test: Dataset;
  readonly seed: number;
  /** Train on the first `samples` samples only (warm-up, or a subsampled epoch of a slow backend). */
  readonly samples?: number;
  /** Threads for data-parallel training, when the recipe trains that way (default 1). */
  readonly threads?: number;
  /** The single-threaded backend data-parallel training builds its network on (default: `backend`). */
  readonly dataBackend?: Backend;
  readonly evaluateTest: boolean;
}

/**
 * One epoch of the recipe through the public training API (buildNetwork, fit, evaluate): the
 * same code path the runner uses, including fit's per-batch divergence checks.
 */
export async function trainScratchnet(recipe: Recipe, options: TrainOptions): Promise<TrainRun> {
  const backendKind = options.backend.name === 'js' ? 'js' : 'wasm';
  const validated = options.registry.validateExperiment(experimentFor(recipe, backendKind, options.seed));
  if (validated.value === undefined) throw new Error(`bench recipe ${recipe.name} is invalid: ${recipeProblem(recipe, options.registry, backendKind)}`);
  const experiment: ExperimentConfig = validated.value;
  const root = createRng(experiment.seed);
  // As the runner decides training.parallelism: auto, from the recipe alone.
  const { batchSize, shards = DEFAULT_SHARDS } = experiment.training;
  const data = useDataParallel('auto', experiment.model, experiment.loss.type, options.registry, { batchSize, shards, wasm: backendKind === 'wasm' });
  const network = buildNetwork(experiment.model, options.registry, {
    rng: root.fork(),
    backend: data ? (options.dataBackend ?? options.backend) : options.backend,
    dtype: 'float32',
    classes: 10,
  });
  const count = Math.min(options.samples ?? options.train.count, options.train.count);
  // Byte images (MNIST as loaded) go through the recipe's scale step batch by batch; floats as they are.
  const preprocess =
    options.train.images instanceof Uint8Array
      ? { preprocess: fitPreprocess(experiment.data.preprocess, options.registry, { images: options.train.images, sampleShape: [784] }) }
      : {};
  const whole = { ...options.train, ...preprocess };
  const train = count === options.train.count ? whole : { ...whole, count, images: options.train.images.subarray(0, count * 784) };
  const parts = createTrainingParts(experiment, options.registry, network, count);
  const gradients = data
    ? await createDataParallelStep(network, parts.loss, {
        model: experiment.model,
        loss: experiment.loss,
        classes: 10,
        shards,
        threads: options.threads ?? 1,
      })
    : undefined;
  const started = performance.now();
  await fit(network, {
    ...(gradients === undefined ? {} : { gradients }),
    train,
    loss: parts.loss,
    optimiser: parts.optimiser,
    schedule: parts.schedule,
    training: experiment.training,
    rng: root.fork(),
    yieldEvery: Number.POSITIVE_INFINITY,
  }).finally(() => gradients?.dispose?.());
  const seconds = (performance.now() - started) / 1000;
  const run: TrainRun = { samplesPerSecond: count / seconds, seconds, samples: count, parallelism: data ? 'data' : 'split', shards };
  if (!options.evaluateTest) return run;
  const { accuracy } = evaluate(network, parts.loss, { ...options.test, ...preprocess }, { batchSize: 1000 });
  return { ...run, testAccuracy: accuracy };
}
