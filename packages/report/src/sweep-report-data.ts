// What `renderSweepReport` draws: one hyperparameter sweep as the runner summarises it from the
// sweep folder (the sweep file, each trial's parameters, metric curve and final figures).

export type SweepTrialStatus = 'pending' | 'running' | 'completed' | 'pruned' | 'failed' | 'interrupted';

export interface SweepReportData {
  readonly name: string;
  /** ISO 8601 time the sweep started. */
  readonly createdAt: string;
  readonly method: 'grid' | 'random';
  /** The base config as shown to the user (usually its path). */
  readonly base: string;
  /**
   * The metric trials are ranked by, e.g. `validation.accuracy`. A name ending in "accuracy" is
   * a fraction (0..1) and shows as a percentage; anything else (a loss) as 4 significant digits.
   */
  readonly metric: { readonly name: string; readonly goal: 'maximize' | 'minimize' };
  /** A sentence describing the early-termination rule, if the sweep has one. */
  readonly earlyTermination?: string;
  /** The swept config paths, in the sweep file's order. */
  readonly parameters: readonly string[];
  readonly trials: readonly SweepTrialSummary[];
  readonly versions?: Readonly<Record<string, string>>;
}

export interface SweepTrialSummary {
  /** e.g. "t001". */
  readonly id: string;
  /** 0-based position in the sweep. */
  readonly index: number;
  readonly status: SweepTrialStatus;
  /** Config path -> value: a number, string, boolean or plain object such as `{ type: 'xavier' }`. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The metric after each epoch: epoch e at [e - 1]. NaN where training diverged. */
  readonly curve: readonly number[];
  /** The trial's figure: the best of its curve in the goal's direction. NaN if it diverged. */
  readonly value?: number;
  /** Epochs trained. */
  readonly epochs: number;
  /** The epoch after which early termination stopped the trial. */
  readonly prunedAt?: number;
  readonly test?: { readonly accuracy: number; readonly loss: number };
  readonly seconds?: number;
  /** A relative link to the trial's own report, e.g. `trials/t001/report.html`. */
  readonly report?: string;
  /** Why the trial failed. */
  readonly error?: string;
}
