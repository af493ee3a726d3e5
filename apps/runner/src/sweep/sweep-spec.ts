/**
 * A sweep file after validation: many runs of one base experiment config, each with some of its
 * values replaced. `parameters` keys are config paths as `--set` takes them
 * (`schedule.learningRate`, `model.layers[0].units`).
 */
export interface SweepSpec {
  readonly name: string;
  /** The base experiment config, as written (relative to the sweep file). */
  readonly base: string;
  readonly method: 'grid' | 'random';
  readonly metric: SweepMetric;
  /** Random: how many trials to draw. Grid: at most this many of the grid's points (default: all). */
  readonly maxTrials?: number;
  /** Trials running at once on the local pool (default: the machine's cores). */
  readonly concurrency?: number;
  /** Seeds the random draws of the parameters (not the trials' own training seeds). */
  readonly seed: number;
  readonly parameters: Readonly<Record<string, ParameterSpec>>;
  readonly earlyTermination?: EarlyTermination;
}

export type MetricName = 'validation.accuracy' | 'validation.loss' | 'train.accuracy' | 'train.loss';

export interface SweepMetric {
  readonly name: MetricName;
  readonly goal: 'maximize' | 'minimize';
}

export type ParameterSpec = ValuesParameter | DistributionParameter;

/**
 * The config paths a parameter sets, when its key is a name rather than a path: one value
 * for several places (every dense layer's weightInit, say).
 */
interface ParameterPaths {
  readonly paths?: readonly string[];
}

/** One of a list (grid: every one; random: one drawn uniformly). The file's `value: x` is `values: [x]`. */
export interface ValuesParameter extends ParameterPaths {
  readonly values: readonly unknown[];
}

/**
 * A number drawn for random search: `uniform` and `log-uniform` in [min, max), `int-uniform` an
 * integer in [min, max] inclusive.
 */
export interface DistributionParameter extends ParameterPaths {
  readonly distribution: 'uniform' | 'log-uniform' | 'int-uniform';
  readonly min: number;
  readonly max: number;
}

/**
 * Stopping trials that are behind. Both rules compare a trial only with trials that come before
 * it in the sweep's order, so the same sweep makes the same decisions however its trials are
 * scheduled (see early-termination.ts).
 */
export type EarlyTermination = AshaRule | MedianRule;

/** Asynchronous successive halving: at epochs minEpochs * reductionFactor^k keep the top 1/reductionFactor. */
export interface AshaRule {
  readonly type: 'asha';
  readonly minEpochs: number;
  readonly reductionFactor: number;
}

/** Stop a trial whose best value so far is worse than the median of earlier trials at the same epoch. */
export interface MedianRule {
  readonly type: 'median';
  readonly minEpochs: number;
  /** Earlier trials that must have reached the epoch before anything is stopped. */
  readonly minTrials: number;
}

/** One trial to run: which point of the sweep, and its parameters' values. */
export interface TrialPlan {
  /** `t001`, `t002`, ...: the folder name under trials/ and the job id's tail. */
  readonly id: string;
  /** 0-based position in the sweep's order (early termination compares with lower indices). */
  readonly index: number;
  /** Parameter (its key in the sweep file) -> value, in the file's order. */
  readonly parameters: Readonly<Record<string, unknown>>;
}
