import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { oneDecimal, percent, ratio } from './format.js';
import { type Summary, summarise } from './stats.js';
import { fastestOf } from './fastest.js';
import type { TrainingEntry } from './training.js';

/** The tutorial-3 network (784-30-60-10 ReLU, batch 64): the config users run first. */
export const TUTORIAL_CONFIG = 'configs/mnist-relu-softmax.yaml';
/** The target: this many epochs of the config's training under this many seconds on two cores. */
export const TUTORIAL_TARGET_SECONDS = 4;
/**
 * The issue states its target for 10 epochs; the config trains 15 (its schedule needs them to
 * settle), so the target is checked on the first 10 epochs' own times of the same run.
 */
export const TUTORIAL_TARGET_EPOCHS = 10;

export interface TutorialRun {
  /** Sum of the epochs' own times from metrics.jsonl: training only. */
  readonly trainingSeconds: number;
  /** Sum of the first TUTORIAL_TARGET_EPOCHS epochs' times (all of them when there are fewer). */
  readonly targetEpochsSeconds: number;
  /** The whole command, process start to exit (loading MNIST, evaluation, writing the run). */
  readonly wholeSeconds: number;
  readonly testAccuracy: number;
  readonly epochs: number;
  readonly samples: number;
}

export interface TutorialResult {
  readonly config: string;
  readonly runs: readonly TutorialRun[];
  readonly trainingSeconds: Summary;
  readonly targetEpochsSeconds: Summary;
  readonly wholeSeconds: Summary;
  /** The fastest peer on the mlp-small recipe (same network and batch size), as seconds for the same samples. */
  readonly peer?: { readonly contestant: string; readonly seconds: number };
}

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const runnerCli = fileURLToPath(new URL('../../runner/dist/cli.js', import.meta.url));

/** Runs `runner CONFIG` as a user does (default threads: every core) into a temporary folder. */
async function runOnce(config: string): Promise<TutorialRun> {
  const dir = await mkdtemp(join(tmpdir(), 'scratchnet-bench-'));
  try {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [runnerCli, config, '--out', join(dir, 'run')], { cwd: repositoryRoot, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (exit) => (exit === 0 ? resolve() : reject(new Error(`runner ${config} exited with ${exit}: ${stderr.trim().slice(-400)}`))));
    });
    const wholeSeconds = (performance.now() - started) / 1000;
    const metrics = (await readFile(join(dir, 'run', 'metrics.jsonl'), 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { seconds: number; samplesPerSecond: number });
    const summary = JSON.parse(await readFile(join(dir, 'run', 'summary.json'), 'utf8')) as { test: { accuracy: number } };
    return {
      trainingSeconds: metrics.reduce((sum, epoch) => sum + epoch.seconds, 0),
      targetEpochsSeconds: metrics.slice(0, TUTORIAL_TARGET_EPOCHS).reduce((sum, epoch) => sum + epoch.seconds, 0),
      wholeSeconds,
      testAccuracy: summary.test.accuracy,
      epochs: metrics.length,
      samples: metrics.reduce((sum, epoch) => sum + epoch.seconds * epoch.samplesPerSecond, 0),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `runner configs/mnist-relu-softmax.yaml`, `repetitions` times in a row. The peer is the fastest
 * PyTorch or numpy row of the mlp-small recipe measured in the same bench run (the same 784-30-60-10
 * network and batch of 64), converted to seconds for the samples the config trains.
 */
export async function benchTutorial(repetitions: number, mlpSmall: readonly TrainingEntry[], log: (line: string) => void): Promise<TutorialResult> {
  const runs: TutorialRun[] = [];
  for (let r = 0; r < repetitions; r++) {
    log(`tutorial-3 end to end: run ${r + 1}/${repetitions}`);
    runs.push(await runOnce(TUTORIAL_CONFIG));
  }
  const best = fastestOf(mlpSmall, ['pytorch', 'numpy']);
  const samples = Math.round(runs[0]!.samples);
  return {
    config: TUTORIAL_CONFIG,
    runs,
    trainingSeconds: summarise(runs.map((r) => r.trainingSeconds)),
    targetEpochsSeconds: summarise(runs.map((r) => r.targetEpochsSeconds)),
    wholeSeconds: summarise(runs.map((r) => r.wholeSeconds)),
    ...(best === undefined ? {} : { peer: { contestant: best.contestant, seconds: samples / best.samplesPerSecond!.median } }),
  };
}

export function renderTutorial(result: TutorialResult): string[] {
  const first = result.runs[0]!;
  const s = (x: Summary): string => `${oneDecimal(x.median)} s [${oneDecimal(x.min)}–${oneDecimal(x.max)}]`;
  const peer = result.peer === undefined ? 'no PyTorch or numpy row on mlp-small in this run' : `${oneDecimal(result.peer.seconds)} s (${result.peer.contestant} at its mlp-small rate)`;
  const vs = result.peer === undefined ? '—' : ratio(result.peer.seconds / result.trainingSeconds.median);
  return [
    `Tutorial 3 end to end: \`runner ${result.config}\` (${first.epochs} epochs of ${Math.round(first.samples / first.epochs).toLocaleString('en-US')} samples, every core), ${result.runs.length} runs:`,
    '',
    `| training (sum of epoch times) | its first ${TUTORIAL_TARGET_EPOCHS} epochs | whole command | test accuracy | peer for the same samples | peer / scratchnet |`,
    '|---:|---:|---:|---:|---|---:|',
    `| ${s(result.trainingSeconds)} | ${s(result.targetEpochsSeconds)} | ${s(result.wholeSeconds)} | ${percent(first.testAccuracy)} | ${peer} | ${vs} |`,
    '',
  ];
}
