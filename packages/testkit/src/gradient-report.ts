import type { Shape } from '@scratchnet/tensor';
import { formatIndex } from './random-tensors.js';

/**
 * Comparison of analytic and numeric gradients shared by checkGradients and
 * checkLossGradients. The metric is the symmetric relative error
 *
 *   error = |analytic - numeric| / max(|analytic| + |numeric|, floor)
 *
 * which is 0 for equal values, 1 when one side is 0 and the other is not, and falls back to an
 * absolute difference (scaled by 1/floor) when both are below `floor` = 1e-8, so gradients that
 * are zero up to rounding do not count as failures. A non-finite analytic value counts as an
 * infinite error.
 */
export const RELATIVE_ERROR_FLOOR = 1e-8;

export function relativeError(analytic: number, numeric: number): number {
  if (!Number.isFinite(analytic) || !Number.isFinite(numeric)) return Number.POSITIVE_INFINITY;
  if (analytic === numeric) return 0;
  return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic) + Math.abs(numeric), RELATIVE_ERROR_FLOOR);
}

export interface GradientMismatch {
  readonly seed: number;
  /** `input`, `predictions` or a parameter name. */
  readonly tensor: string;
  /** Flat row-major index into the tensor. */
  readonly index: number;
  /** The same index as `[i, j, ...]`. */
  readonly position: string;
  readonly analytic: number;
  readonly numeric: number;
  readonly relativeError: number;
}

export interface TensorSummary {
  /** Elements in the tensor (per seed). */
  readonly size: number;
  /** Elements compared, summed over seeds. */
  readonly checked: number;
  readonly maxRelativeError: number;
}

export interface GradientCheckReport {
  readonly seeds: readonly number[];
  readonly tolerance: number;
  /** Elements compared over every tensor and seed. */
  readonly checked: number;
  readonly maxRelativeError: number;
  /** The largest errors, worst first (at most 10). */
  readonly worst: readonly GradientMismatch[];
  readonly tensors: Readonly<Record<string, TensorSummary>>;
}

const KEEP_WORST = 10;
const SHOW_IN_MESSAGE = 5;

/** Collects comparisons; `finish` builds the report and throws when it fails. */
export class GradientTally {
  private readonly worst: GradientMismatch[] = [];
  private readonly tensors: Record<string, { size: number; checked: number; maxRelativeError: number }> = {};
  private checked = 0;
  private maxRelativeError = 0;

  compare(seed: number, tensor: string, shape: Shape, index: number, analytic: number, numeric: number): void {
    const error = relativeError(analytic, numeric);
    this.checked++;
    this.maxRelativeError = Math.max(this.maxRelativeError, error);
    const summary = (this.tensors[tensor] ??= { size: 0, checked: 0, maxRelativeError: 0 });
    summary.size = shape.reduce((a, b) => a * b, 1);
    summary.checked++;
    summary.maxRelativeError = Math.max(summary.maxRelativeError, error);
    const last = this.worst[this.worst.length - 1];
    if (this.worst.length < KEEP_WORST || (last !== undefined && error > last.relativeError)) {
      const entry = { seed, tensor, index, position: formatIndex(shape, index), analytic, numeric, relativeError: error };
      this.worst.push(entry);
      this.worst.sort((a, b) => b.relativeError - a.relativeError);
      if (this.worst.length > KEEP_WORST) this.worst.pop();
    }
  }

  /** The report; throws an Error naming the worst elements when the tolerance is exceeded. */
  finish(what: string, seeds: readonly number[], tolerance: number): GradientCheckReport {
    const report: GradientCheckReport = {
      seeds,
      tolerance,
      checked: this.checked,
      maxRelativeError: this.maxRelativeError,
      worst: [...this.worst],
      tensors: structuredClone(this.tensors),
    };
    if (!(this.maxRelativeError <= tolerance)) throw new Error(describeFailure(what, report));
    return report;
  }
}

function describeFailure(what: string, report: GradientCheckReport): string {
  const rows = report.worst
    .slice(0, SHOW_IN_MESSAGE)
    .filter((entry) => !(entry.relativeError <= report.tolerance))
    .map(
      (e) =>
        `  seed ${e.seed}  ${e.tensor}${e.position}  analytic ${e.analytic.toPrecision(8)}  ` +
        `numeric ${e.numeric.toPrecision(8)}  error ${e.relativeError.toExponential(2)}`,
    );
  const failing = Object.entries(report.tensors)
    .filter(([, summary]) => !(summary.maxRelativeError <= report.tolerance))
    .map(([name]) => name);
  return (
    `${what}: analytic and numeric gradients differ (max relative error ` +
    `${report.maxRelativeError.toExponential(2)} > tolerance ${report.tolerance.toExponential()}).\n` +
    `Worst elements (error = |analytic - numeric| / max(|analytic| + |numeric|, ${RELATIVE_ERROR_FLOOR})):\n` +
    `${rows.join('\n')}\n` +
    `Check the backward pass for: ${failing.join(', ')}.`
  );
}
