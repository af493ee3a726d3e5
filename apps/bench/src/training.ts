import type { Backend } from '@scratchnet/tensor';
import type { Mnist } from './mnist.js';
import { type PeerRun, numpyEntries, tfjsEntries, torchEntries } from './peer-entries.js';
import type { Recipe } from './recipes.js';
import { builtinRegistry, recipeProblem, trainScratchnet } from './scratchnet-train.js';
import { type Summary, summarise } from './stats.js';

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
  /** Samples of TF.js's timed wasm epoch on the MLP recipes (all of them, except in quick mode). */
  readonly tfjsSamples: number;
  /** TF.js on conv recipes: its cpu backend on a subsampled epoch (its wasm backend cannot train them). */
  readonly tfjsConv: { readonly samples: number; readonly warmupSamples: number };
  /** PyTorch: samples per timed epoch (all, except in quick mode) and the thread counts to run. */
  readonly torch: { readonly samples: number; readonly threads: readonly number[] };
  readonly warmupSamples: number;
  /** Skip contestants by name prefix (e.g. "numpy"). */
  readonly skip: readonly string[];
}

async function scratchnetEntry(contestant: ScratchnetContestant, recipe: Recipe, mnist: Mnist, plan: TrainingPlan, samples: number): Promise<TrainingEntry> {
  const { name, backend } = contestant;
  const registry = builtinRegistry();
  const base = {
    registry,
    backend,
    train: mnist.bytes.train,
    test: mnist.bytes.test,
    ...(contestant.threads === undefined ? {} : { threads: contestant.threads }),
    ...(contestant.dataBackend === undefined ? {} : { dataBackend: contestant.dataBackend }),
  };
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
    method:
      (full
        ? `${plan.repetitions} full epochs (seeds 1..${plan.repetitions}) after a ${warmup}-sample warm-up`
        : `${plan.repetitions} runs of ${samples} samples (subsampled epoch; samples/s extrapolates, no accuracy)`) +
      (runs[0]?.parallelism === 'data' ? `; data-parallel, ${runs[0].shards} micro-shards` : ''),
    details: runs,
  };
}

/**
 * Every scratchnet contestant, or one "not run" row when the registry rejects the recipe (a layer
 * whose plugin does not exist yet): the bench goes on with the peers and the other recipes.
 */
async function scratchnetEntries(
  recipe: Recipe,
  mnist: Mnist,
  contestants: Contestants,
  plan: TrainingPlan,
  wanted: (name: string) => boolean,
  log: (line: string) => void,
): Promise<TrainingEntry[]> {
  const method = 'buildNetwork + fit + evaluate';
  if (!wanted('scratchnet')) return [];
  const problem = recipeProblem(recipe, builtinRegistry());
  if (problem !== undefined) return [{ contestant: 'scratchnet', kind: 'scratchnet', method, unavailable: `the registry rejects the recipe: ${problem}` }];
  const entries: TrainingEntry[] = [];
  for (const contestant of contestants.scratchnet) {
    const { name, subsample } = contestant;
    if (!wanted(name)) continue;
    log(`${recipe.name}: ${name}`);
    try {
      entries.push(await scratchnetEntry(contestant, recipe, mnist, plan, subsample ? plan.jsSamples[recipe.name] : mnist.train.count));
    } catch (error) {
      entries.push({ contestant: name, kind: 'scratchnet', method, unavailable: `training failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return entries;
}

/** A scratchnet backend to train with, by label. */
export interface ScratchnetContestant {
  readonly name: string;
  readonly backend: Backend;
  readonly subsample: boolean;
  /** Threads for recipes that train data-parallel (training.parallelism: auto). */
  readonly threads?: number;
  /** The single-threaded backend their network is built on then (the workers bring the other cores). */
  readonly dataBackend?: Backend;
}

export interface Contestants {
  readonly scratchnet: readonly ScratchnetContestant[];
  readonly tfjs: boolean;
  /** Why numpy cannot run, when it cannot. */
  readonly numpyUnavailable?: string;
  /** Why PyTorch cannot run, when it cannot. */
  readonly torchUnavailable?: string;
}

/** Every contestant on one recipe, one after the other (never concurrently), and what the run found out. */
export async function benchRecipe(
  recipe: Recipe,
  mnist: Mnist,
  contestants: Contestants,
  plan: TrainingPlan,
  log: (line: string) => void,
): Promise<{ entries: TrainingEntry[]; findings: string[] }> {
  const wanted = (name: string): boolean => !plan.skip.some((prefix) => name.startsWith(prefix));
  const entries = await scratchnetEntries(recipe, mnist, contestants, plan, wanted, log);
  const run: PeerRun = { mnist, contestants, plan, wanted, log, findings: [] };
  entries.push(...(await tfjsEntries(recipe, run)), ...(await torchEntries(recipe, run)), ...(await numpyEntries(recipe, run)));
  return { entries, findings: run.findings };
}
