import type { Mnist } from './mnist.js';
import { trainNumpy } from './numpy-peer.js';
import type { Recipe } from './recipes.js';
import { trainTfjs, type TfjsBackend, tfjsTrainingError } from './tfjs-peer.js';
import { trainTorch } from './torch-peer.js';
import type { Contestants, TrainingEntry, TrainingPlan } from './training.js';

/** What a peer function needs besides the recipe: the data, the plan, a log and a place for findings. */
export interface PeerRun {
  readonly mnist: Mnist;
  readonly contestants: Contestants;
  readonly plan: TrainingPlan;
  readonly wanted: (name: string) => boolean;
  readonly log: (line: string) => void;
  /** Facts the run found out, for the report (e.g. a peer that cannot train the recipe). */
  readonly findings: string[];
}

async function tfjsEntry(recipe: Recipe, run: PeerRun, backend: TfjsBackend, samples: number, warmupSamples: number): Promise<TrainingEntry> {
  const name = `tfjs ${backend}`;
  run.log(`${recipe.name}: ${name}`);
  const chunks = Math.max(run.plan.repetitions, 5);
  const result = await trainTfjs(recipe, run.mnist, { samples, chunks, warmupSamples, backend });
  return {
    contestant: name,
    kind: 'peer',
    samplesPerSecond: result.chunks,
    ...(result.fullEpoch ? { testAccuracy: result.testAccuracy } : {}),
    method: result.fullEpoch
      ? `one full epoch with model.fit, timed in ${chunks} chunks, after a ${warmupSamples}-sample warm-up`
      : `model.fit on ${result.samples} samples (subsampled epoch; samples/s extrapolates, no accuracy), timed in ${chunks} chunks, after a ${warmupSamples}-sample warm-up`,
    details: result,
  };
}

/**
 * TF.js's wasm backend on every recipe it can train. It cannot train conv nets (no
 * Conv2DBackpropFilter kernel): the bench tries anyway, reports the error as a finding, and
 * times the cpu backend on a subsampled epoch instead (a full one would take many minutes).
 */
export async function tfjsEntries(recipe: Recipe, run: PeerRun): Promise<TrainingEntry[]> {
  if (!run.contestants.tfjs || !run.wanted('tfjs')) return [];
  // TF.js is slow enough that a shorter warm-up covers its JIT and kernel set-up.
  const warmupSamples = Math.min(run.plan.warmupSamples, 2560);
  if (recipe.widths !== undefined) return [await tfjsEntry(recipe, run, 'wasm', run.plan.tfjsSamples, warmupSamples)];

  const entries: TrainingEntry[] = [];
  const { samples, warmupSamples: convWarmup } = run.plan.tfjsConv;
  if (run.wanted('tfjs wasm')) {
    run.log(`${recipe.name}: tfjs wasm (one batch, to see whether it trains)`);
    const error = await tfjsTrainingError(recipe, run.mnist, 'wasm');
    if (error === undefined) {
      run.findings.push(`${recipe.name}: TF.js's wasm backend trained a batch; timed on ${samples} samples like its cpu backend.`);
      entries.push(await tfjsEntry(recipe, run, 'wasm', samples, convWarmup));
    } else {
      run.findings.push(`${recipe.name}: TF.js's wasm backend cannot train it: model.fit throws "${error}".`);
      entries.push({ contestant: 'tfjs wasm', kind: 'peer', method: 'model.fit', unavailable: `cannot train it: ${error}` });
    }
  }
  if (run.wanted('tfjs cpu')) entries.push(await tfjsEntry(recipe, run, 'cpu', samples, convWarmup));
  return entries;
}

/** PyTorch at each thread count of the plan (the report compares scratchnet with the faster). */
export async function torchEntries(recipe: Recipe, run: PeerRun): Promise<TrainingEntry[]> {
  if (!run.wanted('pytorch')) return [];
  const method = 'python/torch_peer.py';
  if (run.contestants.torchUnavailable !== undefined) return [{ contestant: 'pytorch', kind: 'peer', method, unavailable: run.contestants.torchUnavailable }];
  const entries: TrainingEntry[] = [];
  const { samples, threads: threadCounts } = run.plan.torch;
  const count = Math.min(samples, run.mnist.train.count);
  const full = count === run.mnist.train.count;
  for (const threads of threadCounts) {
    const name = `pytorch (${threads} thread${threads === 1 ? '' : 's'})`;
    if (!run.wanted(name)) continue;
    run.log(`${recipe.name}: ${name}`);
    const result = await trainTorch(recipe, run.mnist, { repetitions: run.plan.repetitions, samples: count, warmupSamples: run.plan.warmupSamples, threads, seed: 1 });
    if (!result.available) {
      entries.push({ contestant: name, kind: 'peer', method, unavailable: result.reason });
      continue;
    }
    const runs = full ? `${run.plan.repetitions} full epochs` : `${run.plan.repetitions} runs of ${count} samples (subsampled epoch, no accuracy)`;
    entries.push({
      contestant: name,
      kind: 'peer',
      samplesPerSecond: result.samplesPerSecond,
      ...(full ? { testAccuracy: result.testAccuracy } : {}),
      method: `${runs}, torch ${result.torch} (${result.blas}), torch.set_num_threads(${result.threads}), OPENBLAS_NUM_THREADS=${threads}, OMP_WAIT_POLICY=${result.ompWaitPolicy}`,
      details: result.runs,
    });
  }
  return entries;
}

/** numpy with OpenBLAS's default threads and with one; python/mlp_numpy.py trains MLPs only. */
export async function numpyEntries(recipe: Recipe, run: PeerRun): Promise<TrainingEntry[]> {
  if (!run.wanted('numpy') || recipe.widths === undefined) return [];
  const entries: TrainingEntry[] = [];
  for (const threads of [undefined, 1]) {
    const name = threads === undefined ? 'numpy (OpenBLAS default threads)' : `numpy (${threads} thread)`;
    const method = 'python/mlp_numpy.py';
    if (run.contestants.numpyUnavailable !== undefined) {
      entries.push({ contestant: name, kind: 'peer', method, unavailable: run.contestants.numpyUnavailable });
      continue;
    }
    run.log(`${recipe.name}: ${name}`);
    const result = await trainNumpy(recipe, run.mnist, {
      repetitions: run.plan.repetitions,
      samples: run.mnist.train.count,
      warmupSamples: run.plan.warmupSamples,
      seed: 1,
      ...(threads === undefined ? {} : { threads }),
    });
    if (!result.available) {
      entries.push({ contestant: name, kind: 'peer', method, unavailable: result.reason });
      continue;
    }
    entries.push({
      contestant: name,
      kind: 'peer',
      samplesPerSecond: result.samplesPerSecond,
      testAccuracy: result.testAccuracy,
      method: `${run.plan.repetitions} full epochs, numpy ${result.numpy} (${result.blas}), OPENBLAS_NUM_THREADS=${result.openblasNumThreads ?? 'unset'}`,
      details: result.runs,
    });
  }
  return entries;
}
