import type { EpochEvent, SummaryEvent } from '../../output/events.js';

/** One BullMQ queue carries every sweep's trials; a job id says which sweep and trial. */
export const QUEUE_NAME = 'scratchnet-trials';

/** Above this, a trial's folder does not travel through Redis: workers need a shared --store. */
export const MAX_RESULT_BYTES = 32 * 1024 * 1024;

export interface TrialJobData {
  readonly sweepId: string;
  readonly trialId: string;
  /** The trial's `--set PATH=VALUE` texts. */
  readonly sets: readonly string[];
  /** The base config's file name and text: workers on other machines have no copy of it. */
  readonly baseName: string;
  readonly baseText: string;
}

/** Job progress: the epochs of the current attempt (`run` changes when another worker restarts it). */
export interface TrialJobProgress {
  readonly run: string;
  readonly epochs: readonly EpochEvent[];
}

export interface TrialJobResult {
  readonly status: 'completed' | 'interrupted';
  readonly run: string;
  readonly epochs: readonly EpochEvent[];
  readonly summary?: SummaryEvent;
  /** The trial's run folder without checkpoints: relative path -> base64 bytes. */
  readonly files?: Readonly<Record<string, string>>;
  /** Or, with --store, where the worker left it (the same path must be mounted here). */
  readonly storeDir?: string;
  readonly worker: string;
}

export const jobIdOf = (sweepId: string, trialId: string): string => `${sweepId}--${trialId}`;
/** Set by the coordinator to stop a trial (pruned, or the sweep interrupted); workers poll it. */
export const stopKeyOf = (jobId: string): string => `scratchnet:stop:${jobId}`;
