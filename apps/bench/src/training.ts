import type { Backend } from '@scratchnet/tensor';
import type { Mnist } from './mnist.js';
import { type NumpyResult, trainNumpy } from './numpy-peer.js';
import type { Recipe } from './recipes.js';
import { builtinRegistry, trainScratchnet } from './scratchnet-train.js';
import { type Summary, summarise } from './stats.js';
import { trainTfjs } from './tfjs-peer.js';

/** One contestant's figures for one recipe. */
export interface TrainingEntry {
  readonly contestant: string;
  readonly kind: 'scratchnet' | 'peer';
  /** Samples/s: median and range over the repetitions (or timed chunks of one epoch). */
  readonly samplesPerSecond?: Summary;
  /** Test accuracy after one epoch (median over repetitions). */
  readonly testAccuracy?: number;
  /** How it was measured: repetitions, subsampling, threads. */
  readonly method: string;
  /** Why there are no figures. */
  readonly unavailable?: string;
  readonly details?: unknown;
}

export interface TrainingPlan {
  readonly repetitions: number;
  /** Samples per timed run of scratchnet's JS reference backend, per recipe (a subsampled epoch). */
  readonly jsSamples: Readonly<Record<Recipe['name'], number>>;
  readonly tfjsSamples: number;
  readonly warmupSamples: number;
  /** Skip contestants by name prefix (e.g. "numpy"). */
  readonly skip: readonly string[];
}

async function scratchnetEntry(name: string, recipe: Recipe, mnist: Mnist, backend: Backend, plan: TrainingPlan, samples: number): Promise<TrainingEntry> {
  const registry = builtinRegistry();
  const base = { registry, backend, train: mnist.train, test: mnist.test };
  // JIT warm-up of the whole training stack; shorter for subsampled (slow) contestants.
  const warmup = samples === mnist.train.count ? plan.warmupSamples : Math.min(2560, samples);
  await trainScratchnet(recipe, { ...base, seed: 99, samples: warmup, evaluateTest: false });
  const runs = [];
  for (let r = 0; r < plan.repetitions; r++) {
    runs.push(await trainScratchnet(recipe, { ...base, seed: r + 1, samples, evaluateTest: samples === mnist.train.count }));
  }
  const full = samples === mnist.train.count;
  return {
    contestant: name,
    kind: 'scratchnet',
    samplesPerSecond: summarise(runs.map((run) => run.samplesPerSecond)),
    ...(full ? { testAccuracy: summarise(runs.map((run) => run.testAccuracy!)).median } : {}),
    method: full
      ? `${plan.repetitions} full epochs (seeds 1..${plan.repetitions}) after a ${warmup}-sample warm-up`
      : `${plan.repetitions} runs of ${samples} samples (subsampled epoch; samples/s extrapolates, no accuracy)`,
    details: runs,
  };
}

function numpyEntry(name: string, result: NumpyResult, plan: TrainingPlan): TrainingEntry {
  if (!result.available) return { contestant: name, kind: 'peer', method: 'python/mlp_numpy.py', unavailable: result.reason };
  return {
    contestant: name,
    kind: 'peer',
    samplesPerSecond: result.samplesPerSecond,
    testAccuracy: result.testAccuracy,
    method:
      `${plan.repetitions} full epochs, numpy ${result.numpy} (${result.blas}), OPENBLAS_NUM_THREADS=${result.openblasNumThreads ?? 'unset'}`,
    details: result.runs,
  };
}

export interface Contestants {
  /** scratchnet backends to train with, by label. */
  readonly scratchnet: ReadonlyArray<{ readonly name: string; readonly backend: Backend; readonly subsample: boolean }>;
  readonly tfjs: boolean;
  /** Why numpy cannot run, when it cannot. */
  readonly numpyUnavailable?: string;
}

/** Every contestant on one recipe, one after the other (never concurrently). */
export async function benchRecipe(recipe: Recipe, mnist: Mnist, contestants: Contestants, plan: TrainingPlan, log: (line: string) => void): Promise<TrainingEntry[]> {
  const entries: TrainingEntry[] = [];
  const wanted = (name: string): boolean => !plan.skip.some((prefix) => name.startsWith(prefix));
  for (const { name, backend, subsample } of contestants.scratchnet) {
    if (!wanted(name)) continue;
    log(`${recipe.name}: ${name}`);
    entries.push(await scratchnetEntry(name, recipe, mnist, backend, plan, subsample ? plan.jsSamples[recipe.name] : mnist.train.count));
  }
  if (contestants.tfjs && wanted('tfjs')) {
    log(`${recipe.name}: tfjs wasm`);
    const chunks = Math.max(plan.repetitions, 5);
    // TF.js is slow enough that a shorter warm-up covers its JIT and kernel set-up.
    const warmupSamples = Math.min(plan.warmupSamples, 2560);
    const result = await trainTfjs(recipe, mnist, { samples: plan.tfjsSamples, chunks, warmupSamples });
    entries.push({
      contestant: 'tfjs wasm',
      kind: 'peer',
      samplesPerSecond: result.chunks,
      ...(result.fullEpoch ? { testAccuracy: result.testAccuracy } : {}),
      method: result.fullEpoch
        ? `one full epoch with model.fit, timed in ${chunks} chunks, after a ${warmupSamples}-sample warm-up`
        : `model.fit on ${result.samples} samples (subsampled epoch; samples/s extrapolates, accuracy not comparable), timed in ${chunks} chunks`,
      details: result,
    });
  }
  for (const threads of [undefined, 1]) {
    const name = threads === undefined ? 'numpy (OpenBLAS default threads)' : `numpy (${threads} thread)`;
    if (!wanted('numpy')) continue;
    if (contestants.numpyUnavailable !== undefined) {
      entries.push({ contestant: name, kind: 'peer', method: 'python/mlp_numpy.py', unavailable: contestants.numpyUnavailable });
      continue;
    }
    log(`${recipe.name}: ${name}`);
    const result = await trainNumpy(recipe, mnist, {
      repetitions: plan.repetitions,
      samples: mnist.train.count,
      warmupSamples: plan.warmupSamples,
      seed: 1,
      ...(threads === undefined ? {} : { threads }),
    });
    entries.push(numpyEntry(name, result, plan));
  }
  return entries;
}
