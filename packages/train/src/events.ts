import type { Checkpoint } from './checkpoint.js';
import type { EvaluationResult } from './evaluate.js';

/**
 * What `fit` reports. Epochs and batches are 1-based here (epoch 1 of 10, batch 1 of 469);
 * `iteration` counts optimiser steps taken so far. Every event but epoch-end is plain data,
 * and epoch-end's only function (`checkpoint`) is dropped by JSON.stringify, so events can be
 * written as NDJSON as they are.
 */
export interface EpochStartEvent {
  readonly event: 'epoch-start';
  readonly epoch: number;
  readonly epochs: number;
  readonly batches: number;
  /** 1 normally; later when resuming in the middle of an epoch. */
  readonly firstBatch: number;
  readonly iteration: number;
}

export interface BatchEndEvent {
  readonly event: 'batch-end';
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly iteration: number;
  /** Loss of this batch. */
  readonly loss: number;
  /** Rate used for this batch's step. */
  readonly learningRate: number;
  /** Samples trained on so far in this epoch, of `samplesPerEpoch`. */
  readonly samples: number;
  readonly samplesPerEpoch: number;
}

export interface EvaluationEndEvent extends EvaluationResult {
  readonly event: 'evaluation-end';
  readonly epoch: number;
  readonly split: 'validation';
}

export interface EpochEndEvent {
  readonly event: 'epoch-end';
  readonly epoch: number;
  readonly epochs: number;
  readonly iteration: number;
  /** Sample-weighted mean of the batch losses over the epoch (train mode). */
  readonly trainLoss: number;
  /** Fraction of the epoch's training samples the network got right as it trained. */
  readonly trainAccuracy: number;
  readonly validation?: { readonly loss: number; readonly accuracy: number; readonly count: number };
  /** Rate used for the epoch's last step. */
  readonly learningRate: number;
  /** Training samples per second (validation excluded). */
  readonly samplesPerSecond: number;
  /** Wall time of the epoch including validation. */
  readonly seconds: number;
  /**
   * The training state at this epoch's end. Call it inside the event handler (it reads the live
   * weights); the result is a deep copy, safe to keep and to write with encodeCheckpoint.
   */
  checkpoint(): Checkpoint;
}

export type TrainingEvent = EpochStartEvent | BatchEndEvent | EvaluationEndEvent | EpochEndEvent;

/** The epoch-end numbers without the checkpoint accessor. */
export type EpochSummary = Omit<EpochEndEvent, 'event' | 'checkpoint'>;
