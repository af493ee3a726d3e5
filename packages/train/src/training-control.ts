import { ConfigError } from '@scratchnet/spec';
import type { EarlyStopping, Parameter, TrainingConfig, ValidationMonitor } from '@scratchnet/spec';
import type { Tensor } from '@scratchnet/tensor';
import type { Network } from './network.js';

/** Training options beyond the loop itself; all optional for library callers. */
export type TrainingControl = Partial<Pick<TrainingConfig, 'earlyStopping' | 'restoreBest' | 'clipNorm' | 'warmupEpochs'>>;

/**
 * Refuses, before any step, control that needs a validation set when there is none: early
 * stopping and restoreBest watch a validation metric.
 */
export function checkTrainingControl(training: TrainingControl, hasValidation: boolean): void {
  if (hasValidation) return;
  const needs = training.earlyStopping !== undefined ? 'earlyStopping' : training.restoreBest ? 'restoreBest' : undefined;
  if (needs === undefined) return;
  throw new ConfigError([
    {
      path: ['training', needs],
      message: `watches a validation metric, but there is no validation set. Add data.validation: { fromTrain: 0.1 } (or remove training.${needs}).`,
    },
  ]);
}

/** What early stopping and restoreBest know about the epochs so far; checkpoints keep it. */
export interface Tracking {
  readonly monitor: ValidationMonitor;
  /** 1-based epoch of the best value so far; 0 before the first validation. */
  readonly bestEpoch: number;
  readonly bestValue: number | null;
  /** Epochs since the best one. */
  readonly badEpochs: number;
}

export interface Tracker {
  /** Records an epoch's validation figures; true when it is the best so far. */
  observe(epoch: number, validation: { readonly loss: number; readonly accuracy: number }): boolean;
  /** Early stopping's patience has run out. */
  readonly shouldStop: boolean;
  state(): Tracking;
}

/**
 * Tracks the monitored validation metric (early stopping's, else validation.loss for restoreBest)
 * as Keras does: an epoch improves on the best by more than minDelta (lower loss, higher
 * accuracy), and training stops after `patience` epochs in a row without improvement.
 */
export function createTracker(training: TrainingControl, saved?: Tracking): Tracker | undefined {
  const stopping: EarlyStopping | undefined = training.earlyStopping;
  if (stopping === undefined && !training.restoreBest) return undefined;
  const monitor: ValidationMonitor = stopping?.monitor ?? 'validation.loss';
  let state: Tracking = saved ?? { monitor, bestEpoch: 0, bestValue: null, badEpochs: 0 };
  if (state.monitor !== monitor) state = { monitor, bestEpoch: 0, bestValue: null, badEpochs: 0 };
  const minDelta = stopping?.minDelta ?? 0;
  return {
    observe(epoch, validation) {
      const value = monitor === 'validation.loss' ? validation.loss : validation.accuracy;
      const best = state.bestValue;
      const improved = best === null || (monitor === 'validation.loss' ? value < best - minDelta : value > best + minDelta);
      state = improved ? { monitor, bestEpoch: epoch, bestValue: value, badEpochs: 0 } : { ...state, badEpochs: state.badEpochs + 1 };
      return improved;
    },
    get shouldStop() {
      return stopping !== undefined && state.badEpochs >= stopping.patience && state.bestEpoch > 0;
    },
    state: () => state,
  };
}

/** Copies of the network's parameters and layer state, by name (what restoreBest keeps). */
export function copyWeights(network: Network): Record<string, Tensor> {
  const copy: Record<string, Tensor> = {};
  for (const { name, value } of [...network.parameters, ...network.state]) copy[name] = value.clone();
  return copy;
}

/** Puts weights from copyWeights (or a checkpoint's best) back into the network. */
export function loadWeights(network: Network, weights: Readonly<Record<string, Tensor>>): void {
  for (const { name, value } of [...network.parameters, ...network.state]) {
    const saved = weights[name];
    if (saved === undefined) throw new RangeError(`loadWeights: no tensor ${name} in the saved weights`);
    value.data.set(saved.data);
  }
}

/**
 * Scales every gradient by maxNorm / norm when the global L2 norm of all of them exceeds maxNorm
 * (Pascanu et al. 2013); returns the norm before clipping. Sums in float64 in parameter order,
 * so the result does not depend on anything but the gradients.
 */
export function clipGradientNorm(parameters: readonly Parameter[], maxNorm: number): number {
  let sum = 0;
  for (const { grad } of parameters) {
    const data = grad.data;
    for (let i = 0; i < data.length; i++) sum += data[i]! * data[i]!;
  }
  const norm = Math.sqrt(sum);
  if (norm > maxNorm) {
    const factor = maxNorm / norm;
    for (const { grad } of parameters) {
      const data = grad.data;
      for (let i = 0; i < data.length; i++) data[i] = data[i]! * factor;
    }
  }
  return norm;
}

/** Linear warm-up: the schedule's rate times (iteration + 1) / warmup during the first `warmup` iterations. */
export function warmupFactor(iteration: number, warmupIterations: number): number {
  return iteration < warmupIterations ? (iteration + 1) / warmupIterations : 1;
}
