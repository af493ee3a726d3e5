import type { LossPlugin } from '@scratchnet/spec';
import { type Backend, createJsBackend, createRng, formatShape } from '@scratchnet/tensor';
import { optionsWithDefaults } from './build-context.js';
import { centralDifference } from './check-gradients.js';
import { type GradientCheckReport, GradientTally } from './gradient-report.js';
import { sameValues, uniformTensor } from './random-tensors.js';

export interface LossGradientCheckOptions {
  /** Columns of the predictions (one per class). */
  readonly classes: number;
  /** Rows of the predictions (default 4). */
  readonly batch?: number;
  /** One full check per seed (default [1, 2, 3]). */
  readonly seeds?: readonly number[];
  /** Largest allowed relative error (default 1e-6). */
  readonly tolerance?: number;
  /** Central-difference step (default 1e-6). */
  readonly epsilon?: number;
  /** Logits are uniform in [-logitsScale, logitsScale] (default 3). */
  readonly logitsScale?: number;
  /**
   * For losses that expect probabilities: predictions uniform in [0.05, 0.95] instead of
   * logits, so no step leaves (0, 1).
   */
  readonly probabilities?: boolean;
  /** Default: the JS reference backend. */
  readonly backend?: Backend;
}

/**
 * Checks a loss's `backward()` (dLoss/dPredictions) against float64 central differences of its
 * scalar `loss`, for every prediction element, with random integer labels in [0, classes).
 * Same metric, report and failure message as `checkGradients`; it also fails when forward or
 * backward change the predictions, or the gradient's size differs from theirs.
 */
export function checkLossGradients<O>(
  plugin: LossPlugin<O>,
  options: Partial<O>,
  check: LossGradientCheckOptions,
): GradientCheckReport {
  const seeds = check.seeds ?? [1, 2, 3];
  const batch = check.batch ?? 4;
  const scale = check.logitsScale ?? 3;
  const what = `checkLossGradients(${plugin.type})`;
  const loss = plugin.create(optionsWithDefaults(plugin, options), { backend: check.backend ?? createJsBackend() });
  const tally = new GradientTally();

  for (const seed of seeds) {
    const rng = createRng(seed).fork();
    const shape = [batch, check.classes];
    const predictions = check.probabilities
      ? uniformTensor(rng, shape, 0.05, 0.95)
      : uniformTensor(rng, shape, -scale, scale);
    const labels = Int32Array.from({ length: batch }, () => rng.int(check.classes));
    const before = predictions.clone();
    const grad = loss.forward(predictions, labels).backward();
    if (!sameValues(before.data, predictions.data)) {
      throw new Error(`${what}: forward or backward changed the predictions tensor. Write results to new tensors.`);
    }
    if (grad.size !== predictions.size) {
      throw new Error(
        `${what}: backward returned ${formatShape(grad.shape)} for predictions ${formatShape(predictions.shape)}; ` +
          'the gradient needs the predictions shape.',
      );
    }
    const f = () => loss.forward(predictions, labels).loss;
    for (let index = 0; index < predictions.size; index++) {
      const numeric = centralDifference(predictions, index, check.epsilon ?? 1e-6, f);
      tally.compare(seed, 'predictions', shape, index, grad.data[index]!, numeric);
    }
  }
  return tally.finish(what, seeds, check.tolerance ?? 1e-6);
}
