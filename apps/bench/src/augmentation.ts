// The augmentation section of `pnpm bench`: how long the data.augment plugins take on the 60,000
// MNIST training images, against one LeNet-5 training epoch measured in the same run. The issue's
// target: augmenting costs less than 20% of the epoch.
import { loadavg } from 'node:os';
import { augmentations } from '@scratchnet/datasets';
import type { Augmenter } from '@scratchnet/spec';
import { type Backend, createRng } from '@scratchnet/tensor';
import type { Mnist } from './mnist.js';
import { RECIPES } from './recipes.js';
import type { Target } from './report.js';
import { builtinRegistry, trainScratchnet } from './scratchnet-train.js';
import { type Summary, summarise } from './stats.js';

/** The issue's bound: augmenting an epoch's samples takes less than this share of the epoch. */
export const AUGMENTATION_TARGET = 0.2;
const SAMPLE_SHAPE = [1, 28, 28] as const;
const BATCH_SIZE = 64;

/** One row: plugins applied in turn to every sample of each batch, options as in data.augment. */
export interface AugmentationPipeline {
  readonly name: string;
  readonly steps: readonly { readonly type: string; readonly [option: string]: unknown }[];
  /** Held to the 20% target (the pipelines the issue names). */
  readonly target: boolean;
}

const SHIFT = { type: 'shift', maxPixels: 2 };
const ROTATE = { type: 'rotate', maxDegrees: 10 };
const SCALE = { type: 'scale', min: 0.9, max: 1.1 };
const ELASTIC = { type: 'elastic', sigma: 4, alpha: 34 };

/** Each plugin with its default options (those of the README's example), and the pipelines. */
export const AUGMENTATION_PIPELINES: readonly AugmentationPipeline[] = [
  { name: 'shift', steps: [SHIFT], target: false },
  { name: 'rotate', steps: [ROTATE], target: false },
  { name: 'scale', steps: [SCALE], target: false },
  { name: 'elastic', steps: [ELASTIC], target: true },
  { name: 'shift + rotate + scale', steps: [SHIFT, ROTATE, SCALE], target: true },
  { name: 'shift + rotate + scale + elastic', steps: [SHIFT, ROTATE, SCALE, ELASTIC], target: false },
];

/** The LeNet-5 epoch the augmentation is compared with. */
export interface LenetEpoch {
  readonly contestant: string;
  /** Training samples per second (median). */
  readonly samplesPerSecond: number;
  readonly method: string;
}

export interface AugmentationEntry {
  readonly name: string;
  readonly options: string;
  readonly target: boolean;
  /** Samples per second over whole passes of the training set (median and range). */
  readonly samplesPerSecond: Summary;
}

export interface AugmentationResult {
  /** undefined, with the reason, when LeNet-5 could not be trained. */
  readonly epoch?: LenetEpoch;
  readonly epochUnavailable?: string;
  readonly samples: number;
  readonly batchSize: number;
  readonly method: string;
  /** 1-minute load average when the section started: other work on the machine slows it. */
  readonly loadAverage: number;
  readonly entries: readonly AugmentationEntry[];
}

export interface AugmentationPlan {
  readonly quick: boolean;
  /** The lenet5 recipe's reference row when the bench trained it in this run. */
  readonly measuredEpoch?: LenetEpoch;
  /** Otherwise a short LeNet-5 training on this backend gives the epoch's speed. */
  readonly backend: Backend;
  readonly backendName: string;
  readonly log: (line: string) => void;
}

const describeOptions = (steps: AugmentationPipeline['steps']): string =>
  steps
    .map(({ type, ...options }) => `${type} ${Object.entries(options).map(([key, value]) => `${key} ${String(value)}`).join(', ')}`)
    .join('; ');

function createSteps(pipeline: AugmentationPipeline): Augmenter[] {
  return pipeline.steps.map((options) => {
    const plugin = augmentations.find((p) => p.type === options.type);
    if (plugin === undefined) throw new Error(`no augmentation plugin ${options.type}`);
    return plugin.create(options as never, { sampleShape: SAMPLE_SHAPE });
  });
}

/**
 * Seconds spent augmenting the first `samples` training images once, in batches as training
 * cuts them (the last one partial): each batch is copied into a buffer (not timed), then every
 * step transforms all of its samples in place with the batch's own seeded Rng (timed, with
 * the Rng's creation, as training derives one per batch).
 */
function augmentPass(steps: readonly Augmenter[], images: Float32Array, samples: number, seed: number, buffer: Float32Array, which: readonly number[]): number {
  const size = 28 * 28;
  let milliseconds = 0;
  for (let start = 0, batch = 0; start < samples; start += BATCH_SIZE, batch++) {
    const count = Math.min(BATCH_SIZE, samples - start);
    const view = buffer.subarray(0, count * size);
    view.set(images.subarray(start * size, (start + count) * size));
    const chosen = count === BATCH_SIZE ? which : which.slice(0, count);
    const started = performance.now();
    const rng = createRng((seed * 0x9e3779b1 + batch) >>> 0);
    for (const step of steps) step.apply(view, SAMPLE_SHAPE, chosen, rng);
    milliseconds += performance.now() - started;
  }
  return milliseconds / 1000;
}

/** LeNet-5's samples/s from short runs (when the bench did not train the lenet5 recipe). */
async function shortLenetEpoch(mnist: Mnist, plan: AugmentationPlan): Promise<LenetEpoch> {
  const recipe = RECIPES.find((r) => r.name === 'lenet5')!;
  const base = { registry: builtinRegistry(), backend: plan.backend, train: mnist.train, test: mnist.test, evaluateTest: false };
  const [warmup, samples, repetitions] = plan.quick ? [640, 1280, 1] : [1280, 6400, 3];
  plan.log(`augmentation: LeNet-5 speed from ${repetitions} short runs on ${plan.backendName}`);
  await trainScratchnet(recipe, { ...base, seed: 99, samples: warmup });
  const speeds: number[] = [];
  for (let r = 0; r < repetitions; r++) speeds.push((await trainScratchnet(recipe, { ...base, seed: r + 1, samples })).samplesPerSecond);
  return {
    contestant: plan.backendName,
    samplesPerSecond: summarise(speeds).median,
    method: `${repetitions} runs of ${samples} samples after a ${warmup}-sample warm-up, extrapolated to 60,000 (the lenet5 recipe was not run)`,
  };
}

/** The whole section: the LeNet-5 epoch's speed, then every pipeline over the training images. */
export async function benchAugmentation(mnist: Mnist, plan: AugmentationPlan): Promise<AugmentationResult> {
  const loadAverage = loadavg()[0]!;
  let epoch = plan.measuredEpoch;
  let epochUnavailable: string | undefined;
  if (epoch === undefined) {
    try {
      epoch = await shortLenetEpoch(mnist, plan);
    } catch (error) {
      epochUnavailable = `LeNet-5 could not be trained: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const images = mnist.train.images as Float32Array;
  const samples = Math.min(plan.quick ? 12_800 : 60_000, mnist.train.count);
  const repetitions = plan.quick ? 1 : 3;
  const warmup = Math.min(plan.quick ? 1280 : 6400, samples);
  const buffer = new Float32Array(BATCH_SIZE * 28 * 28);
  const which = Array.from({ length: BATCH_SIZE }, (_, i) => i);
  const steps = AUGMENTATION_PIPELINES.map(createSteps);
  for (const pipelineSteps of steps) augmentPass(pipelineSteps, images, warmup, 99, buffer, which);
  // Pass r of every pipeline, then pass r + 1: a change in the machine's load hits every row alike.
  const speeds = AUGMENTATION_PIPELINES.map((): number[] => []);
  for (let r = 0; r < repetitions; r++) {
    plan.log(`augmentation: pass ${r + 1} of ${repetitions} of ${AUGMENTATION_PIPELINES.map((p) => p.name).join(', ')}`);
    steps.forEach((pipelineSteps, i) => speeds[i]!.push(samples / augmentPass(pipelineSteps, images, samples, r + 1, buffer, which)));
  }
  const entries: AugmentationEntry[] = AUGMENTATION_PIPELINES.map((pipeline, i) => ({
    name: pipeline.name,
    options: describeOptions(pipeline.steps),
    target: pipeline.target,
    samplesPerSecond: summarise(speeds[i]!),
  }));
  return {
    ...(epoch === undefined ? {} : { epoch }),
    ...(epochUnavailable === undefined ? {} : { epochUnavailable }),
    samples,
    batchSize: BATCH_SIZE,
    method:
      `${repetitions === 1 ? 'one pass' : `median [min–max] of ${repetitions} passes (taken in turns)`} over ${samples.toLocaleString('en-US')} MNIST training images ` +
      `in batches of ${BATCH_SIZE}, every sample transformed, on one thread, after a ${warmup}-sample warm-up`,
    loadAverage,
    entries,
  };
}

/** An augmentation's time as a share of the epoch's: the epoch's samples/s over the augmentation's. */
export const epochShare = (entry: AugmentationEntry, epoch: LenetEpoch): number => epoch.samplesPerSecond / entry.samplesPerSecond.median;

/** The 20% target for the pipelines the issue names. */
export function augmentationTargets(result: AugmentationResult): Target[] {
  return result.entries
    .filter((entry) => entry.target)
    .map((entry) => {
      const target = `augmentation ${entry.name}: < ${AUGMENTATION_TARGET * 100}% of a LeNet-5 epoch`;
      if (result.epoch === undefined) return { target, measured: result.epochUnavailable ?? 'no LeNet-5 epoch', met: 'not measured' as const };
      const share = epochShare(entry, result.epoch);
      return {
        target,
        measured: `${(100 * share).toFixed(1)}% (${Math.round(entry.samplesPerSecond.median).toLocaleString('en-US')} samples/s against ${Math.round(result.epoch.samplesPerSecond).toLocaleString('en-US')}, ${result.epoch.contestant})`,
        met: share < AUGMENTATION_TARGET,
      };
    });
}

/** The section's Markdown lines. */
export function renderAugmentation(result: AugmentationResult): string[] {
  const thousands = (x: number): string => Math.round(x).toLocaleString('en-US');
  const { epoch } = result;
  const perEpoch = (samplesPerSecond: number): string => `${(result.samples / samplesPerSecond).toFixed(2)} s`;
  const lines = [
    `Augmentation, ${result.method}; load average ${result.loadAverage.toFixed(2)} when the section started. ` +
      `Target: less than ${AUGMENTATION_TARGET * 100}% of a LeNet-5 training epoch on the same samples.`,
    epoch === undefined
      ? `LeNet-5 epoch: not measured (${result.epochUnavailable ?? 'unknown reason'}).`
      : `LeNet-5 epoch: ${thousands(epoch.samplesPerSecond)} samples/s (${epoch.contestant}; ${epoch.method}), ${perEpoch(epoch.samplesPerSecond)} per ${thousands(result.samples)} samples.`,
    '',
    `| augmentation | options | samples/s median [min–max] | ${thousands(result.samples)} samples | share of the LeNet-5 epoch | < ${AUGMENTATION_TARGET * 100}% |`,
    '|---|---|---:|---:|---:|---|',
  ];
  for (const entry of result.entries) {
    const s = entry.samplesPerSecond;
    const share = epoch === undefined ? undefined : epochShare(entry, epoch);
    const met = share === undefined ? '—' : share < AUGMENTATION_TARGET ? 'yes' : 'no';
    lines.push(
      `| ${entry.name} | ${entry.options} | ${thousands(s.median)} [${thousands(s.min)}–${thousands(s.max)}] | ${perEpoch(s.median)} | ` +
        `${share === undefined ? '—' : `${(100 * share).toFixed(1)}%`} | ${met}${entry.target ? ' (target)' : ''} |`,
    );
  }
  return [...lines, ''];
}
