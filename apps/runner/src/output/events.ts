import type { EpochMetrics, SplitMetrics } from '@scratchnet/report';

export type { SplitMetrics };

/** What a run reports; with --json each is one NDJSON line on stdout (`event` first). */

export interface StartEvent {
  readonly event: 'start';
  readonly runDir: string;
  readonly name: string;
  readonly epochs: number;
  /** First epoch this process trains (1 unless resuming). */
  readonly firstEpoch: number;
  readonly samples: { readonly train: number; readonly validation: number; readonly test: number };
  readonly parameters: number;
  readonly backend: string;
  /** Threads a training step keeps busy. */
  readonly threads: number;
  /** How they share it: data (micro-shards of each batch) or split (large products). */
  readonly parallelism?: 'data' | 'split';
}

/** An epoch's line of metrics.jsonl (the report's EpochMetrics), as an event. */
export interface EpochEvent extends EpochMetrics {
  readonly event: 'epoch';
}

export interface CheckpointEvent {
  readonly event: 'checkpoint';
  readonly epoch: number;
  readonly path: string;
}

export interface SummaryEvent {
  readonly event: 'summary';
  readonly runDir: string;
  /** Early stopping ended the run before training.epochs. */
  readonly stoppedEarly?: boolean;
  /** restoreBest: the epoch whose weights model/ and the test figures are. */
  readonly bestEpoch?: number;
  /** report.html as shown to the user, when it was written. */
  readonly report?: string;
  readonly epochs: number;
  readonly train: SplitMetrics;
  readonly validation?: SplitMetrics;
  readonly test?: SplitMetrics;
  readonly samplesPerSecond: number;
  readonly seconds: number;
}

export interface ErrorEvent {
  readonly event: 'error';
  readonly exitCode: number;
  readonly message: string;
  readonly code?: string;
  readonly issues?: readonly unknown[];
  /** For an interrupted or diverged run: the command that continues it. */
  readonly resume?: string;
}

/** Something the user should know that does not stop the command (stderr; an NDJSON line under --json). */
export interface WarningEvent {
  readonly event: 'warning';
  readonly message: string;
}

export interface BatchProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly samplesDone: number;
  readonly samplesTotal: number;
  readonly loss: number;
  /** Seconds since the epoch started. */
  readonly elapsed: number;
}

export type RunEvent = StartEvent | EpochEvent | CheckpointEvent | SummaryEvent | ErrorEvent | WarningEvent;

export interface Reporter {
  emit(event: RunEvent): void;
  /** Progress inside an epoch: a bar on an interactive terminal, periodic plain lines elsewhere; never in NDJSON. */
  progress(progress: BatchProgress): void;
  /** Human information (stderr under --json). */
  note(text: string): void;
  /** A command's plain result text or, under --json, its JSON object. */
  result(text: string, json: unknown): void;
}
