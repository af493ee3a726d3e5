// `pnpm bench`: GEMM throughput and MNIST training speed of scratchnet against TensorFlow.js
// (wasm backend; cpu for conv nets), PyTorch and numpy, measured in one run on the same data and
// recipes, and the augmentation plugins against a LeNet-5 epoch. Writes results/latest.json and
// results/latest.md and prints the Markdown report.
//
//   node dist/bench.js [--quick] [--skip tfjs,pytorch,numpy,lenet5,accuracy,augmentation,tutorial,...] [--only gemm,mlp-small,mlp-wide,lenet5,accuracy,augmentation,tutorial] [--no-relaxed-flag]
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { createJsBackend, createWasmBackend, wasmSupport } from '@scratchnet/tensor';
import { createThreadedWasmBackend } from '@scratchnet/tensor/node';
import { type AccuracyResult, type ScratchnetBackends, benchAccuracy } from './accuracy.js';
import { type AugmentationResult, augmentationTargets, benchAugmentation } from './augmentation.js';
import { GEMM_SIZES, type GemmContestant, type GemmResult, backendContestant, measureGemm } from './gemm.js';
import { describeMachine } from './machine.js';
import { loadMnist } from './mnist.js';
import { numpyUnavailable } from './numpy-peer.js';
import { RECIPES } from './recipes.js';
import { type BenchResults, type RecipeResult, reference, renderMarkdown } from './report.js';
import { evaluateTargets, wideStepEfficiency } from './targets.js';
import { startTfjs, tfjsGemm } from './tfjs-peer.js';
import { torchUnavailable } from './torch-peer.js';
import { type Contestants, type TrainingPlan, benchRecipe } from './training.js';
import { type TutorialResult, benchTutorial } from './tutorial-run.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const skipIndex = args.indexOf('--skip');
const skip = skipIndex >= 0 ? (args[skipIndex + 1] ?? '').split(',').filter(Boolean) : [];
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').split(',').filter(Boolean) : [];
/** Sections: gemm, each recipe by name, accuracy, augmentation, tutorial. --only runs just the named ones; --skip drops some. */
const runs = (section: string): boolean => (only.length === 0 || only.includes(section)) && !skip.includes(section);
/**
 * Untimed one-epoch runs per contestant in the accuracy section: 10 give a standard error of
 * about 0.15-0.45 points for the gap between two means (seed-to-seed deviation 0.3-1.1 points);
 * mlp-small, the noisiest and the cheapest (under a second a run), gets 30.
 */
const ACCURACY_RUNS: Readonly<Record<string, number>> = { 'mlp-small': 30, 'mlp-wide': 10, lenet5: 10 };
const log = (line: string): void => void process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/**
 * Relaxed SIMD (FMA) is on by default from Node 22; Node 20 has it behind a V8 flag, which the
 * bench turns on (before any wasm is compiled) so the faster build is measured too. Both builds
 * appear in the GEMM table.
 */
function relaxedSimd(): string {
  if (wasmSupport().relaxedSimd) return 'runtime default';
  if (args.includes('--no-relaxed-flag')) return 'off (--no-relaxed-flag)';
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return wasmSupport().relaxedSimd ? 'enabled by the bench with --experimental-wasm-relaxed-simd' : 'unavailable';
}

async function main(): Promise<void> {
  const started = performance.now();
  const machine = describeMachine(relaxedSimd());
  const support = wasmSupport();
  log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage.start.toFixed(2)}`);

  const mnist = await loadMnist();
  // The peers take part in GEMM and the recipes only: --only augmentation does not start them.
  const peers = runs('gemm') || runs('accuracy') || RECIPES.some((recipe) => runs(recipe.name));
  const skipped = (peer: string): string | undefined =>
    skip.includes(peer) ? `skipped (--skip ${peer})` : peers ? undefined : 'not run (no GEMM or recipe section)';
  const numpyReason = skipped('numpy') ?? (await numpyUnavailable());
  const torchReason = skipped('pytorch') ?? (await torchUnavailable());
  let tfjs: Awaited<ReturnType<typeof startTfjs>> | undefined;
  let tfjsReason = skipped('tfjs');
  if (tfjsReason === undefined) {
    try {
      tfjs = await startTfjs();
    } catch (error) {
      tfjsReason = String(error);
    }
  }

  const js = createJsBackend();
  const wasmSimd = createWasmBackend({ flavour: 'simd' });
  const wasmRelaxed = support.relaxedSimd ? createWasmBackend({ flavour: 'relaxed-simd' }) : undefined;
  const best = wasmRelaxed ?? wasmSimd;
  const bestName = `scratchnet wasm ${best.flavour}`;
  const threads = machine.cores;
  const threaded = threads > 1 ? createThreadedWasmBackend({ threads, flavour: best.flavour }) : undefined;
  const threadedName = `scratchnet wasm ${best.flavour} ${threads} threads`;

  const gemmContestants: GemmContestant[] = [
    backendContestant('scratchnet js', js),
    backendContestant('scratchnet wasm simd', wasmSimd),
    ...(wasmRelaxed ? [backendContestant('scratchnet wasm relaxed-simd', wasmRelaxed)] : []),
    ...(threaded ? [backendContestant(threadedName, threaded)] : []),
    ...(tfjs ? [tfjsGemm] : []),
  ];
  const gemm: GemmResult[] = [];
  for (const contestant of gemmContestants) {
    if (!runs('gemm')) break;
    log(`GEMM: ${contestant.name}`);
    gemm.push(...measureGemm(contestant, quick ? [128, 256, 512] : GEMM_SIZES, 3, quick ? 0.05 : 0.25));
  }

  const plan: TrainingPlan = {
    repetitions: 3,
    // About 10 s per run of the JS reference backend.
    jsSamples: quick ? { 'mlp-small': 1280, 'mlp-wide': 256, lenet5: 256 } : { 'mlp-small': 12800, 'mlp-wide': 1280, lenet5: 1280 },
    tfjsSamples: quick ? 3200 : mnist.train.count,
    // TF.js's cpu backend needs minutes for a full LeNet-5 epoch: a subsampled one gives its speed.
    tfjsConv: quick ? { samples: 320, warmupSamples: 64 } : { samples: 2048, warmupSamples: 128 },
    torch: { samples: quick ? 6400 : mnist.train.count, threads: [1, 2] },
    warmupSamples: quick ? 2560 : 10240,
    skip,
  };
  const contestants: Contestants = {
    scratchnet: [
      { name: bestName, backend: best, subsample: quick },
      ...(threaded ? [{ name: threadedName, backend: threaded, subsample: quick, threads, dataBackend: best }] : []),
      ...(wasmRelaxed ? [{ name: 'scratchnet wasm simd', backend: wasmSimd, subsample: quick }] : []),
      { name: 'scratchnet js', backend: js, subsample: true },
    ],
    tfjs: tfjs !== undefined,
    ...(numpyReason === undefined ? {} : { numpyUnavailable: numpyReason }),
    ...(torchReason === undefined ? {} : { torchUnavailable: torchReason }),
  };
  const training: RecipeResult[] = [];
  for (const recipe of RECIPES) {
    if (!runs(recipe.name)) continue;
    const { entries, findings } = await benchRecipe(recipe, mnist, contestants, plan, log);
    if (tfjsReason !== undefined) entries.push({ contestant: 'tfjs wasm', kind: 'peer', method: 'model.fit', unavailable: tfjsReason });
    const efficiency = recipe.name === 'mlp-wide' && recipe.widths ? wideStepEfficiency(gemm, [{ recipe: recipe.name, entries }], bestName, recipe.widths) : undefined;
    training.push({ recipe: recipe.name, entries, findings: efficiency === undefined ? findings : [...findings, efficiency] });
  }

  // Many untimed seeds per recipe, for the one-epoch accuracy target (see accuracy.ts): full
  // epochs only, so --quick leaves it out. The recipes --only names, else every one not skipped.
  const accuracy: AccuracyResult[] = [];
  if (runs('accuracy') && !quick) {
    const create = (): ScratchnetBackends => {
      const single = createWasmBackend({ flavour: best.flavour });
      if (threads === 1) return { backend: single, dispose: () => Promise.resolve() };
      const several = createThreadedWasmBackend({ threads, flavour: best.flavour });
      return { backend: several, threads, dataBackend: single, dispose: () => several.dispose() };
    };
    const scratchnet = { name: threads > 1 ? threadedName : bestName, create };
    const wanted = (name: string): boolean => !skip.some((prefix) => name.startsWith(prefix));
    const named = RECIPES.filter((recipe) => only.includes(recipe.name));
    for (const recipe of (named.length > 0 ? named : RECIPES).filter((r) => !skip.includes(r.name))) {
      accuracy.push(
        await benchAccuracy(recipe, mnist, { runs: ACCURACY_RUNS[recipe.name] ?? 10, scratchnet, wanted, ...(torchReason === undefined ? {} : { torchUnavailable: torchReason }), ...(numpyReason === undefined ? {} : { numpyUnavailable: numpyReason }) }, log),
      );
    }
  }

  let tutorial: TutorialResult | undefined;
  if (runs('tutorial')) {
    tutorial = await benchTutorial(quick ? 1 : 3, training.find((r) => r.recipe === 'mlp-small')?.entries ?? [], log);
  }

  let augmentation: AugmentationResult | undefined;
  if (runs('augmentation')) {
    // The epoch to compare with: the lenet5 recipe's bold row when it ran, else short runs on the backend it usually is.
    const lenet = reference(training.find((r) => r.recipe === 'lenet5')?.entries ?? []);
    const measuredEpoch = lenet && { contestant: lenet.contestant, samplesPerSecond: lenet.samplesPerSecond!.median, method: 'the lenet5 row in bold above' };
    augmentation = await benchAugmentation(mnist, {
      quick,
      ...(measuredEpoch ? { measuredEpoch } : {}),
      backend: threaded ?? best,
      backendName: threaded ? threadedName : bestName,
      log,
    });
  }

  machine.loadAverage.end = loadavg()[0]!;
  const results: BenchResults = {
    machine,
    gemm,
    training,
    ...(augmentation ? { augmentation } : {}),
    ...(tutorial ? { tutorial } : {}),
    accuracy,
    targets: [
      // With only the augmentation section, the GEMM and training targets would all read "not measured".
      ...(peers || tutorial ? evaluateTargets(gemm, training, bestName, threaded ? threadedName : undefined, tutorial, accuracy) : []),
      ...(augmentation ? augmentationTargets(augmentation) : []),
    ],
    seconds: (performance.now() - started) / 1000,
  };
  const markdown = renderMarkdown(results);
  const dir = new URL('../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(new URL('latest.json', dir), `${JSON.stringify({ ...results, tfjs: tfjs ?? { unavailable: tfjsReason } }, null, 2)}\n`);
  await writeFile(new URL('latest.md', dir), markdown);
  process.stdout.write(markdown);
  await threaded?.dispose();
  log('wrote results/latest.json and results/latest.md');
}

await main();
