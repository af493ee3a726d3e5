import { type AugmentationResult, renderAugmentation } from './augmentation.js';
import type { GemmResult } from './gemm.js';
import type { Machine } from './machine.js';
import type { Summary } from './stats.js';
import type { TrainingEntry } from './training.js';

export interface RecipeResult {
  readonly recipe: string;
  readonly entries: readonly TrainingEntry[];
  /** Facts the run found out (e.g. a peer that cannot train the recipe), listed under the tables. */
  readonly findings?: readonly string[];
}

export interface Target {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | 'not measured';
}

export interface BenchResults {
  readonly machine: Machine;
  readonly gemm: readonly GemmResult[];
  readonly training: readonly RecipeResult[];
  /** The augmentation section (absent when skipped). */
  readonly augmentation?: AugmentationResult;
  readonly targets: readonly Target[];
  readonly seconds: number;
}

const thousands = (x: number): string => Math.round(x).toLocaleString('en-US');
const oneDecimal = (x: number): string => x.toFixed(1);
const range = (s: Summary, f: (x: number) => string): string => `${f(s.median)} [${f(s.min)}–${f(s.max)}]`;
const ratio = (x: number): string => (x >= 10 ? `${x.toFixed(0)}x` : `${x.toFixed(2)}x`);
const percent = (x: number | undefined): string => (x === undefined ? '—' : `${(100 * x).toFixed(2)}%`);

/** The scratchnet entry peers are compared with: the fastest full-epoch one. */
export function reference(entries: readonly TrainingEntry[]): TrainingEntry | undefined {
  const full = entries.filter((e) => e.kind === 'scratchnet' && e.testAccuracy !== undefined && e.samplesPerSecond !== undefined);
  return full.sort((a, b) => b.samplesPerSecond!.median - a.samplesPerSecond!.median)[0];
}

/** The fastest measured entry whose contestant name starts with `prefix` (e.g. PyTorch at its better thread count). */
export function fastest(entries: readonly TrainingEntry[], prefix: string): TrainingEntry | undefined {
  const measured = entries.filter((e) => e.contestant.startsWith(prefix) && e.samplesPerSecond !== undefined);
  return measured.sort((a, b) => b.samplesPerSecond!.median - a.samplesPerSecond!.median)[0];
}

/** Peer families of the ratio table: label and contestant-name prefix. */
const PEERS = [
  ['PyTorch', 'pytorch'],
  ['TF.js', 'tfjs'],
  ['numpy', 'numpy'],
] as const;

export function gemmMedian(gemm: readonly GemmResult[], contestant: string, n: number): number | undefined {
  return gemm.find((g) => g.contestant === contestant && g.n === n)?.gflops.median;
}

function gemmTable(gemm: readonly GemmResult[]): string[] {
  const contestants = [...new Set(gemm.map((g) => g.contestant))];
  const sizes = [...new Set(gemm.map((g) => g.n))];
  const lines = [
    `| n | ${contestants.join(' | ')} |`,
    `|---:|${contestants.map(() => '---:').join('|')}|`,
  ];
  for (const n of sizes) {
    const cells = contestants.map((c) => {
      const found = gemm.find((g) => g.contestant === c && g.n === n);
      return found === undefined ? '—' : range(found.gflops, oneDecimal);
    });
    lines.push(`| ${n} | ${cells.join(' | ')} |`);
  }
  return lines;
}

function trainingTable(results: readonly RecipeResult[]): string[] {
  const lines = [
    '| recipe | contestant | samples/s median [min–max] | test accuracy | scratchnet / this | how |',
    '|---|---|---:|---:|---:|---|',
  ];
  for (const { recipe, entries } of results) {
    const ref = reference(entries);
    for (const entry of entries) {
      if (entry.unavailable !== undefined) {
        lines.push(`| ${recipe} | ${entry.contestant} | not run | — | — | ${entry.unavailable} |`);
        continue;
      }
      const speed = entry.samplesPerSecond!;
      const vs = ref === undefined || entry === ref ? '—' : ratio(ref.samplesPerSecond!.median / speed.median);
      const name = entry === ref ? `**${entry.contestant}**` : entry.contestant;
      lines.push(`| ${recipe} | ${name} | ${range(speed, thousands)} | ${percent(entry.testAccuracy)} | ${vs} | ${entry.method} |`);
    }
  }
  return lines;
}

/** scratchnet's fastest full-epoch row against the fastest row of each peer, one line per recipe. */
function ratioTable(results: readonly RecipeResult[]): string[] {
  const lines = [
    `| recipe | scratchnet samples/s | ${PEERS.map(([label]) => `scratchnet / ${label}`).join(' | ')} |`,
    `|---|---:|${PEERS.map(() => '---:').join('|')}|`,
  ];
  for (const { recipe, entries } of results) {
    const ref = reference(entries);
    const cells = PEERS.map(([, prefix]) => {
      const peer = fastest(entries, prefix);
      return ref === undefined || peer === undefined ? '—' : `${ratio(ref.samplesPerSecond!.median / peer.samplesPerSecond!.median)} (${peer.contestant})`;
    });
    lines.push(`| ${recipe} | ${ref === undefined ? '—' : thousands(ref.samplesPerSecond!.median)} | ${cells.join(' | ')} |`);
  }
  return lines;
}

function findings(results: readonly RecipeResult[]): string[] {
  const all = results.flatMap((r) => r.findings ?? []);
  return all.length === 0 ? [] : ['Findings of this run:', '', ...all.map((f) => `- ${f}`), ''];
}

/** The whole report as Markdown (printed, and saved next to the JSON). */
export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const load = `load average ${m.loadAverage.start.toFixed(2)} at start, ${m.loadAverage.end?.toFixed(2) ?? '?'} at end`;
  return [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.platform}; Node ${m.node} (V8 ${m.v8}); ` +
      `wasm SIMD ${m.wasm.simd ? 'yes' : 'no'}, relaxed SIMD ${m.wasm.relaxedSimd ? `yes (${m.wasm.relaxedSimdVia})` : 'no'}; ${load}; ${m.date}; ` +
      `whole bench ${Math.round(results.seconds)} s.`,
    '',
    // A section left out with --skip or --only prints nothing.
    ...(results.gemm.length === 0
      ? []
      : [
          'GEMM, C = A·B with n×n float32 matrices, GFLOP/s (2n³ per multiply) median [min–max] of the repetitions;',
          "operands are where each library keeps tensors (scratchnet: backend.zeros, in wasm memory for wasm; TF.js: tf tensors, result read back).",
          '',
          ...gemmTable(results.gemm),
          '',
        ]),
    ...(results.training.length === 0
      ? []
      : [
          'Training, one epoch of the 60,000 MNIST training images (timing training only), test accuracy on the 10,000 test images;',
          'ratios divide the fastest full-epoch scratchnet row (bold) by each row:',
          '',
          ...trainingTable(results.training),
          '',
          'scratchnet (its bold row above) against the fastest row of each peer:',
          '',
          ...ratioTable(results.training),
          '',
          ...findings(results.training),
        ]),
    ...(results.augmentation ? renderAugmentation(results.augmentation) : []),
    'Targets (benchmark ratios and accuracy gaps, not tests):',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...results.targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met === 'not measured' ? 'not measured' : t.met ? 'yes' : 'no'} |`),
    '',
  ].join('\n');
}

/** Largest test-accuracy gap to a peer, in points, where it is not 1. */
const ACCURACY_POINTS: Readonly<Record<string, number>> = { lenet5: 0.5 };

/** Evaluates the targets from the measurements. */
export function evaluateTargets(gemm: readonly GemmResult[], training: readonly RecipeResult[], oneThread: string, twoThreads: string | undefined): Target[] {
  const targets: Target[] = [];
  const speedTarget = (recipe: string, peerPrefix: string, wanted: number, peerLabel?: string): void => {
    const entries = training.find((r) => r.recipe === recipe)?.entries ?? [];
    const ref = reference(entries);
    const peer = fastest(entries, peerPrefix);
    const named = peer ?? entries.find((e) => e.contestant.startsWith(peerPrefix));
    const label = `${recipe}: scratchnet >= ${wanted}x ${peerLabel ?? named?.contestant ?? peerPrefix}`;
    if (ref === undefined || peer === undefined) {
      const notRun = (e: TrainingEntry | undefined): string | undefined => (e?.unavailable === undefined ? undefined : `${e.contestant} not run: ${e.unavailable}`);
      const failed = entries.find((e) => e.kind === 'scratchnet' && e.unavailable !== undefined);
      const why = ref === undefined ? (notRun(failed) ?? 'no full-epoch scratchnet run') : (notRun(named) ?? 'peer not run');
      targets.push({ target: label, measured: why, met: 'not measured' });
      return;
    }
    const r = ref.samplesPerSecond!.median / peer.samplesPerSecond!.median;
    targets.push({ target: label, measured: `${ratio(r)} (${ref.contestant} vs ${peer.contestant})`, met: r >= wanted });
  };
  speedTarget('mlp-small', 'numpy (OpenBLAS default threads)', 1.0);
  speedTarget('mlp-small', 'tfjs', 25);
  speedTarget('mlp-wide', 'numpy (OpenBLAS default threads)', 0.5);
  speedTarget('mlp-wide', 'tfjs', 25);
  speedTarget('lenet5', 'pytorch', 1.0, 'PyTorch (better thread count)');
  speedTarget('lenet5', 'tfjs cpu', 25);

  const single = gemmMedian(gemm, oneThread, 512);
  targets.push({
    target: 'GEMM n=512 on one thread >= 17 GFLOP/s',
    measured: single === undefined ? 'not run' : `${oneDecimal(single)} GFLOP/s (${oneThread})`,
    met: single === undefined ? 'not measured' : single >= 17,
  });
  const double = twoThreads === undefined ? undefined : gemmMedian(gemm, twoThreads, 512);
  targets.push({
    target: 'GEMM n=512 on two threads >= 1.7x one thread',
    measured:
      double === undefined || single === undefined
        ? twoThreads === undefined ? 'one core only' : 'not run'
        : `${ratio(double / single)} (${oneDecimal(double)} GFLOP/s, ${twoThreads})`,
    met: double === undefined || single === undefined ? 'not measured' : double / single >= 1.7,
  });

  for (const { recipe, entries } of training) {
    // Threads split each GEMM so that every value is summed as on one thread: same seeds, same model.
    const accuracies = (name: string | undefined): string | undefined => {
      const details = entries.find((e) => e.contestant === name)?.details as Array<{ testAccuracy?: number }> | undefined;
      return details?.every((run) => run.testAccuracy !== undefined) ? details.map((run) => run.testAccuracy).join(', ') : undefined;
    };
    const one = accuracies(oneThread);
    const two = accuracies(twoThreads);
    if (one !== undefined && two !== undefined) {
      targets.push({ target: `${recipe}: threads give the same model as one thread (test accuracy per seed)`, measured: `${one} vs ${two}`, met: one === two });
    }
    const ref = reference(entries);
    const points = ACCURACY_POINTS[recipe] ?? 1;
    // A scratchnet that could not run (e.g. a layer not written yet) leaves these targets visible, unmeasured.
    const failed = entries.find((e) => e.kind === 'scratchnet' && e.unavailable !== undefined);
    for (const peer of entries.filter((e) => e.kind === 'peer' && e.testAccuracy !== undefined)) {
      const target = `${recipe}: accuracy within ${points} point${points === 1 ? '' : 's'} of ${peer.contestant}`;
      if (ref === undefined) {
        if (failed !== undefined) targets.push({ target, measured: `${failed.contestant} not run: ${failed.unavailable}`, met: 'not measured' });
        continue;
      }
      const gap = Math.abs(ref.testAccuracy! - peer.testAccuracy!) * 100;
      targets.push({
        target,
        measured: `${percent(ref.testAccuracy)} vs ${percent(peer.testAccuracy)} (${gap.toFixed(2)} points)`,
        met: gap <= points,
      });
    }
  }
  return targets;
}
