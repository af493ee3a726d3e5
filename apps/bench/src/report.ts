import { type AccuracyResult, renderAccuracy } from './accuracy.js';
import { type AugmentationResult, renderAugmentation } from './augmentation.js';
import type { GemmResult } from './gemm.js';
import type { Machine } from './machine.js';
import { fastestOf } from './fastest.js';
import type { TrainingEntry } from './training.js';
import { type TutorialResult, renderTutorial } from './tutorial-run.js';
import { oneDecimal, percent, range, ratio, thousands } from './format.js';

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
  /** The tutorial-3 config through the runner, end to end (absent when skipped). */
  readonly tutorial?: TutorialResult;
  /** One-epoch accuracies over many seeds, per recipe (empty when the section did not run). */
  readonly accuracy?: readonly AccuracyResult[];
  readonly targets: readonly Target[];
  readonly seconds: number;
}


/** The scratchnet entry peers are compared with: the fastest full-epoch one. */
export function reference(entries: readonly TrainingEntry[]): TrainingEntry | undefined {
  const full = entries.filter((e) => e.kind === 'scratchnet' && e.testAccuracy !== undefined && e.samplesPerSecond !== undefined);
  return full.sort((a, b) => b.samplesPerSecond!.median - a.samplesPerSecond!.median)[0];
}

/** The fastest measured entry whose contestant name starts with `prefix` (e.g. PyTorch at its better thread count). */
export function fastest(entries: readonly TrainingEntry[], prefix: string): TrainingEntry | undefined {
  return fastestOf(entries, [prefix]);
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
    ...renderAccuracy(results.accuracy ?? []),
    ...(results.augmentation ? renderAugmentation(results.augmentation) : []),
    ...(results.tutorial ? renderTutorial(results.tutorial) : []),
    'Targets (benchmark ratios and accuracy gaps, not tests):',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...results.targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met === 'not measured' ? 'not measured' : t.met ? 'yes' : 'no'} |`),
    '',
  ].join('\n');
}
