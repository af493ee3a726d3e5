import { type AccuracyResult, differenceError, meanAndSpread } from './accuracy.js';
import type { GemmResult } from './gemm.js';
import { oneDecimal, percent, ratio } from './format.js';
import { type RecipeResult, type Target, gemmMedian, reference } from './report.js';
import { fastestOf } from './fastest.js';
import type { TrainingEntry } from './training.js';
import { TUTORIAL_TARGET_EPOCHS, TUTORIAL_TARGET_SECONDS, type TutorialResult } from './tutorial-run.js';

/** Largest one-epoch test-accuracy gap, in points, to the PyTorch and numpy peers (issue 14); TF.js keeps 1 point. */
const ACCURACY_POINTS = 0.3;
const TFJS_ACCURACY_POINTS = 1;

/** Training flops per sample of an MLP of these widths: forward, weight gradient, and the input gradient of every layer but the first. */
export function mlpTrainingFlops(widths: readonly number[]): number {
  let flops = 0;
  for (let l = 1; l < widths.length; l++) {
    const products = l === 1 ? 2 : 3;
    flops += products * 2 * widths[l - 1]! * widths[l]!;
  }
  return flops;
}

/** Evaluates the targets of issue 14 (and the earlier ones it keeps) from the measurements. */
export function evaluateTargets(
  gemm: readonly GemmResult[],
  training: readonly RecipeResult[],
  oneThread: string,
  twoThreads: string | undefined,
  tutorial?: TutorialResult,
  accuracy: readonly AccuracyResult[] = [],
): Target[] {
  const targets: Target[] = [];
  const speedTarget = (recipe: string, prefixes: readonly string[], wanted: number, peerLabel: string): void => {
    const entries = training.find((r) => r.recipe === recipe)?.entries ?? [];
    const ref = reference(entries);
    const peer = fastestOf(entries, prefixes);
    const label = `${recipe}: scratchnet >= ${wanted}x ${peerLabel}`;
    if (ref === undefined || peer === undefined) {
      const notRun = (e: TrainingEntry | undefined): string | undefined => (e?.unavailable === undefined ? undefined : `${e.contestant} not run: ${e.unavailable}`);
      const failed = entries.find((e) => e.kind === 'scratchnet' && e.unavailable !== undefined);
      const named = entries.find((e) => prefixes.some((p) => e.contestant.startsWith(p)));
      const why = ref === undefined ? (notRun(failed) ?? 'no full-epoch scratchnet run') : (notRun(named) ?? 'peer not run');
      targets.push({ target: label, measured: why, met: 'not measured' });
      return;
    }
    const r = ref.samplesPerSecond!.median / peer.samplesPerSecond!.median;
    targets.push({ target: label, measured: `${ratio(r)} (${ref.contestant} vs ${peer.contestant})`, met: r >= wanted });
  };
  const bestPeer = 'the best of numpy and PyTorch (best thread count)';
  speedTarget('mlp-small', ['numpy', 'pytorch'], 1.3, bestPeer);
  speedTarget('mlp-small', ['tfjs'], 25, 'TF.js');
  speedTarget('mlp-wide', ['numpy', 'pytorch'], 0.5, bestPeer);
  speedTarget('mlp-wide', ['tfjs'], 25, 'TF.js');
  speedTarget('lenet5', ['pytorch'], 1.2, 'PyTorch (better thread count)');
  speedTarget('lenet5', ['tfjs cpu'], 25, 'TF.js cpu');

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
  targets.push(...tutorialTarget(tutorial));

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
    // A scratchnet that could not run (e.g. a layer not written yet) leaves these targets visible, unmeasured.
    const failed = entries.find((e) => e.kind === 'scratchnet' && e.unavailable !== undefined);
    const seeded = accuracy.find((a) => a.recipe === recipe);
    for (const peer of entries.filter((e) => e.kind === 'peer' && e.testAccuracy !== undefined)) {
      // PyTorch and numpy are compared over many seeds when the accuracy section ran.
      if (seeded !== undefined && !peer.contestant.startsWith('tfjs')) continue;
      const points = peer.contestant.startsWith('tfjs') ? TFJS_ACCURACY_POINTS : ACCURACY_POINTS;
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
    if (seeded !== undefined) targets.push(...seededAccuracyTargets(seeded));
  }
  // The accuracy section alone (--only accuracy): its targets without the timed rows.
  for (const seeded of accuracy) if (!training.some((r) => r.recipe === seeded.recipe)) targets.push(...seededAccuracyTargets(seeded));
  return targets;
}

const pct = (x: number): string => (100 * x).toFixed(2);

/** The 0.3-point accuracy target against each peer of the accuracy section, on the means over its seeds. */
export function seededAccuracyTargets({ recipe, samples }: AccuracyResult): Target[] {
  const ours = samples.find((s) => s.contestant.startsWith('scratchnet'));
  return samples
    .filter((s) => s !== ours)
    .map((peer) => {
      const target = `${recipe}: mean one-epoch accuracy within ${ACCURACY_POINTS} points of ${peer.contestant} (over seeds)`;
      const missing = [ours, peer].find((s) => s === undefined || s.accuracies.length === 0);
      if (ours === undefined || missing !== undefined) {
        return { target, measured: missing === undefined ? 'scratchnet not run' : `${missing.contestant} not run: ${missing.unavailable ?? 'no runs'}`, met: 'not measured' as const };
      }
      const a = meanAndSpread(ours.accuracies);
      const b = meanAndSpread(peer.accuracies);
      const gap = Math.abs(a.mean - b.mean) * 100;
      return {
        target,
        measured:
          `${pct(a.mean)}% ± ${pct(a.sd)} vs ${pct(b.mean)}% ± ${pct(b.sd)} over ${a.n} and ${b.n} seeds ` +
          `(${gap.toFixed(2)} points; standard error of the gap ${(100 * differenceError(a, b)).toFixed(2)})`,
        met: gap <= ACCURACY_POINTS,
      };
    });
}

function tutorialTarget(tutorial: TutorialResult | undefined): Target[] {
  const target = `tutorial 3 end to end: ${TUTORIAL_TARGET_EPOCHS} epochs of training under ${TUTORIAL_TARGET_SECONDS} s on every core`;
  if (tutorial === undefined) return [{ target, measured: 'not run', met: 'not measured' }];
  const { epochs } = tutorial.runs[0]!;
  const seconds = tutorial.targetEpochsSeconds.median;
  const counted = Math.min(epochs, TUTORIAL_TARGET_EPOCHS);
  const measured = `${oneDecimal(seconds)} s (its first ${counted} of ${epochs} epochs; all ${epochs}: ${oneDecimal(tutorial.trainingSeconds.median)} s)`;
  // A config that trains fewer epochs than the target's cannot meet it by stopping early.
  return [{ target, measured, met: counted === TUTORIAL_TARGET_EPOCHS ? seconds < TUTORIAL_TARGET_SECONDS : 'not measured' }];
}

/**
 * How close mlp-wide's whole training step comes to twice the one-core GEMM rate (the issue's
 * yardstick for what 128-bit vectors allow on two cores): a line under the ratio table.
 */
export function wideStepEfficiency(gemm: readonly GemmResult[], training: readonly RecipeResult[], oneThread: string, widths: readonly number[]): string | undefined {
  const ref = reference(training.find((r) => r.recipe === 'mlp-wide')?.entries ?? []);
  const single = gemmMedian(gemm, oneThread, 512);
  if (ref === undefined || single === undefined) return undefined;
  const gflops = (ref.samplesPerSecond!.median * mlpTrainingFlops(widths)) / 1e9;
  return (
    `mlp-wide: the whole training step (${ref.contestant}) runs at ${oneDecimal(gflops)} GFLOP/s of its products, ` +
    `${Math.round((100 * gflops) / (2 * single))}% of twice the one-core GEMM rate (2 × ${oneDecimal(single)} GFLOP/s at n = 512, ${oneThread}).`
  );
}
