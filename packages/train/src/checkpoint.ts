import { ModelFormatError } from '@scratchnet/spec';
import type { Optimiser, OptimiserState } from '@scratchnet/spec';
import { formatShape, shapesEqual, Tensor } from '@scratchnet/tensor';
import type { Rng, RngState } from '@scratchnet/tensor';
import type { Network } from './network.js';
import { checkFinite, decodeSafetensors, encodeSafetensors } from './safetensors.js';
import type { SafetensorsTensor } from './safetensors.js';
import type { Tracking } from './training-control.js';

/** Running totals of the epoch in progress, so a resumed epoch reports the same train loss. */
export interface EpochProgress {
  /** Sum over batches of batch loss * batch size. */
  readonly lossSum: number;
  readonly correct: number;
  readonly samples: number;
}

/**
 * Everything needed to continue training bit-identically: weights, the layers' state, optimiser
 * state, both random streams and the position. `rng.data` is the data stream as of the START of the epoch in
 * progress, so the epoch's permutation can be drawn again; `rng.model` is the current state.
 */
export interface Checkpoint {
  readonly formatVersion: 1;
  /** Completed epochs. */
  readonly epoch: number;
  /** Batches completed in the epoch in progress (0 at an epoch boundary). */
  readonly batchInEpoch: number;
  /** Optimiser steps taken so far (what the schedule is evaluated at). */
  readonly iteration: number;
  /** Copies of the parameter values, by parameter name. */
  readonly weights: Readonly<Record<string, Tensor>>;
  /**
   * Copies of the layers' non-trained tensors (Network.state, e.g. batch norm's running
   * statistics), by name. Absent or empty for networks without any.
   */
  readonly state?: Readonly<Record<string, Tensor>>;
  readonly optimiser: OptimiserState;
  readonly rng: { readonly model: RngState; readonly data: RngState };
  readonly progress: EpochProgress;
  /** The schedule's own state (reduce-on-plateau's best value and counters), when it keeps one. */
  readonly schedule?: unknown;
  /** Early stopping and restoreBest: the best validation epoch so far and the epochs since. */
  readonly tracking?: Tracking;
  /** The best validation epoch's parameters and layer state (restoreBest), by name. */
  readonly best?: Readonly<Record<string, Tensor>>;
}

/** What a checkpoint carries beyond the network and optimiser, when training uses it. */
export interface CheckpointExtras {
  readonly schedule?: unknown;
  readonly tracking?: Tracking;
  readonly best?: Readonly<Record<string, Tensor>>;
}

export interface CheckpointPosition {
  readonly epoch: number;
  readonly batchInEpoch: number;
  readonly iteration: number;
}

/** A deep copy of the training state (later training does not change it). */
export function takeCheckpoint(
  network: Network,
  optimiser: Optimiser,
  position: CheckpointPosition,
  dataRng: RngState,
  progress: EpochProgress,
  extras: CheckpointExtras = {},
): Checkpoint {
  const weights: Record<string, Tensor> = {};
  for (const parameter of network.parameters) weights[parameter.name] = parameter.value.clone();
  const state: Record<string, Tensor> = {};
  for (const { name, value } of network.state) state[name] = value.clone();
  const optimiserState = optimiser.state();
  const buffers: Record<string, Float32Array | Float64Array> = {};
  for (const [name, buffer] of Object.entries(optimiserState.buffers)) buffers[name] = buffer.slice();
  return {
    formatVersion: 1,
    ...position,
    weights,
    state,
    optimiser: { step: optimiserState.step, buffers },
    rng: { model: network.rng.state(), data: dataRng },
    progress: { ...progress },
    ...(extras.schedule === undefined ? {} : { schedule: structuredClone(extras.schedule) }),
    ...(extras.tracking === undefined ? {} : { tracking: { ...extras.tracking } }),
    ...(extras.best === undefined ? {} : { best: Object.fromEntries(Object.entries(extras.best).map(([name, t]) => [name, t.clone()])) }),
  };
}

export interface RestoreOptions {
  /**
   * Accept a checkpoint that holds no optimiser state (weights only): the optimiser keeps its
   * fresh state, so training goes on from the weights but not bit-identically to a run that was
   * never stopped. Without it such a checkpoint is a MissingOptimiserStateError.
   */
  readonly weightsOnly?: boolean;
}

/**
 * A checkpoint with weights but no optimiser state (momentum, Adam's moments): resuming from it
 * cannot continue the run exactly. `restoreCheckpoint(..., { weightsOnly: true })` accepts it.
 */
export class MissingOptimiserStateError extends ModelFormatError {
  constructor(file: string, detail: string) {
    super(
      file,
      `the optimiser state is missing (the file holds weights only; ${detail}) ` +
        'Resuming needs it to continue the run exactly; accept a fresh optimiser state with weightsOnly to go on from the weights.',
    );
  }
}

/**
 * Loads a checkpoint's weights, layer state, optimiser state and random streams into a network
 * built from the same model config. Throws ModelFormatError naming the tensor when names or
 * shapes differ, or naming the optimiser buffer when the optimiser state does not fit this
 * optimiser (e.g. a checkpoint without optimiser state), before changing anything.
 */
export function restoreCheckpoint(
  network: Network,
  optimiser: Optimiser,
  checkpoint: Checkpoint,
  dataRng: Rng,
  file = 'checkpoint',
  options: RestoreOptions = {},
): void {
  const savedState = checkpoint.state ?? {};
  checkSaved(file, network.parameters, checkpoint.weights, 'a parameter');
  checkSaved(file, network.state, savedState, 'a state tensor');
  const buffers: Record<string, Float32Array | Float64Array> = {};
  for (const [name, buffer] of Object.entries(checkpoint.optimiser.buffers)) buffers[name] = buffer.slice();
  const weightsOnly = Object.keys(buffers).length === 0;
  try {
    // Optimisers check the whole state before they copy any of it.
    optimiser.loadState({ step: checkpoint.optimiser.step, buffers });
  } catch (error) {
    if (!weightsOnly) {
      throw new ModelFormatError(
        file,
        `the optimiser state does not fit (${(error as Error).message}) ` +
          'Resume with the optimiser and model config the checkpoint was written with.',
      );
    }
    if (!options.weightsOnly) throw new MissingOptimiserStateError(file, (error as Error).message);
  }
  for (const parameter of network.parameters) parameter.value.data.set(checkpoint.weights[parameter.name]!.data);
  for (const { name, value } of network.state) value.data.set(savedState[name]!.data);
  network.rng.setState(checkpoint.rng.model);
  dataRng.setState(checkpoint.rng.data);
}

/** Throws ModelFormatError unless `saved` holds exactly the named tensors of `live`, shape for shape. */
function checkSaved(
  file: string,
  live: readonly { readonly name: string; readonly value: Tensor }[],
  saved: Readonly<Record<string, Tensor>>,
  what: string,
): void {
  const expected = new Set(live.map((t) => t.name));
  for (const name of Object.keys(saved)) {
    if (!expected.has(name)) {
      throw new ModelFormatError(file, `tensor ${name} is not ${what} of this network. Resume with the model config the checkpoint was written with.`);
    }
  }
  for (const { name, value } of live) {
    const found = saved[name];
    if (found === undefined) throw new ModelFormatError(file, `tensor ${name} (shape ${formatShape(value.shape)}) is missing.`);
    if (!shapesEqual(found.shape, value.shape)) {
      throw new ModelFormatError(file, `tensor ${name}: expected shape ${formatShape(value.shape)}, found ${formatShape(found.shape)}.`);
    }
  }
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

const WEIGHT_PREFIX = 'weights/';
const STATE_PREFIX = 'state/';
const OPTIMISER_PREFIX = 'optimiser/';
const BEST_PREFIX = 'best/';
const FORMAT = 'scratchnet-checkpoint';

/**
 * One safetensors file holding a checkpoint: tensors `weights/<param>`, `state/<name>` (layer
 * state), `optimiser/<buffer>` and `best/<name>` (restoreBest's weights), the rest (position, rng
 * states, step, totals, schedule state, tracking) as JSON in the `__metadata__.checkpoint` string. Write it atomically (temp file + rename).
 */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const [name, tensor] of Object.entries(checkpoint.weights)) tensors[WEIGHT_PREFIX + name] = tensor;
  for (const [name, tensor] of Object.entries(checkpoint.state ?? {})) tensors[STATE_PREFIX + name] = tensor;
  for (const [name, data] of Object.entries(checkpoint.optimiser.buffers)) {
    tensors[OPTIMISER_PREFIX + name] = { shape: [data.length], data };
  }
  for (const [name, tensor] of Object.entries(checkpoint.best ?? {})) tensors[BEST_PREFIX + name] = tensor;
  const { formatVersion, epoch, batchInEpoch, iteration, rng, progress, schedule, tracking } = checkpoint;
  const info = {
    formatVersion,
    epoch,
    batchInEpoch,
    iteration,
    optimiserStep: checkpoint.optimiser.step,
    rng,
    progress,
    ...(schedule === undefined ? {} : { schedule }),
    ...(tracking === undefined ? {} : { tracking }),
  };
  return encodeSafetensors(tensors, { format: FORMAT, checkpoint: JSON.stringify(info) });
}

/**
 * Inverse of encodeCheckpoint; ModelFormatError (naming `file`) for anything else, including
 * tensor data that does not match the file's SHA-256 digest, a NaN or infinite value in any
 * tensor (named), and position or random-stream fields that are missing. A file without
 * `state/` tensors (a network without layer state) gives an empty `state`.
 */
export function decodeCheckpoint(bytes: Uint8Array, file = 'checkpoint.safetensors'): Checkpoint {
  const { tensors, metadata } = decodeSafetensors(bytes, file);
  if (metadata['format'] !== FORMAT || metadata['checkpoint'] === undefined) {
    throw new ModelFormatError(file, `expected a scratchnet checkpoint (__metadata__.format "${FORMAT}"), found ${JSON.stringify(metadata['format'] ?? null)}.`);
  }
  let info: Omit<Checkpoint, 'weights' | 'state' | 'optimiser' | 'best'> & { optimiserStep: number };
  try {
    info = JSON.parse(metadata['checkpoint']) as typeof info;
  } catch (error) {
    throw new ModelFormatError(file, `__metadata__.checkpoint is not valid JSON (${(error as Error).message}).`);
  }
  if (info.formatVersion !== 1) {
    throw new ModelFormatError(file, `expected checkpoint formatVersion 1, found ${JSON.stringify(info.formatVersion)}.`);
  }
  for (const key of ['epoch', 'batchInEpoch', 'iteration', 'optimiserStep'] as const) {
    if (!Number.isSafeInteger(info[key]) || info[key] < 0) {
      throw new ModelFormatError(file, `__metadata__.checkpoint.${key}: expected an integer >= 0, found ${JSON.stringify(info[key]) ?? 'nothing'}.`);
    }
  }
  if (!isObject(info.rng) || !isObject(info.rng.model) || !isObject(info.rng.data) || !isObject(info.progress)) {
    throw new ModelFormatError(file, '__metadata__.checkpoint: expected rng.model, rng.data and progress objects, found some missing.');
  }
  if (info.tracking !== undefined) checkTracking(file, info.tracking);
  for (const [name, tensor] of tensors) checkFinite(file, name, tensor);
  const best: Record<string, Tensor> = {};
  const weights: Record<string, Tensor> = {};
  const state: Record<string, Tensor> = {};
  const buffers: Record<string, Float32Array | Float64Array> = {};
  for (const [name, tensor] of tensors) {
    if (name.startsWith(WEIGHT_PREFIX)) weights[name.slice(WEIGHT_PREFIX.length)] = new Tensor(tensor.shape, tensor.data);
    else if (name.startsWith(STATE_PREFIX)) state[name.slice(STATE_PREFIX.length)] = new Tensor(tensor.shape, tensor.data);
    else if (name.startsWith(OPTIMISER_PREFIX)) buffers[name.slice(OPTIMISER_PREFIX.length)] = tensor.data;
    else if (name.startsWith(BEST_PREFIX)) best[name.slice(BEST_PREFIX.length)] = new Tensor(tensor.shape, tensor.data);
    else {
      throw new ModelFormatError(file, `tensor ${name}: expected a name starting with ${WEIGHT_PREFIX}, ${STATE_PREFIX}, ${OPTIMISER_PREFIX} or ${BEST_PREFIX}.`);
    }
  }
  return {
    formatVersion: 1,
    epoch: info.epoch,
    batchInEpoch: info.batchInEpoch,
    iteration: info.iteration,
    weights,
    state,
    optimiser: { step: info.optimiserStep, buffers },
    rng: info.rng,
    progress: info.progress,
    ...(info.schedule === undefined ? {} : { schedule: info.schedule }),
    ...(info.tracking === undefined ? {} : { tracking: info.tracking }),
    ...(Object.keys(best).length === 0 ? {} : { best }),
  };
}

function checkTracking(file: string, tracking: unknown): void {
  const t = tracking as Partial<Record<keyof Tracking, unknown>>;
  const count = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
  const valid =
    isObject(tracking) &&
    (t.monitor === 'validation.loss' || t.monitor === 'validation.accuracy') &&
    count(t.bestEpoch) &&
    count(t.badEpochs) &&
    (t.bestValue === null || (typeof t.bestValue === 'number' && Number.isFinite(t.bestValue)));
  if (!valid) {
    throw new ModelFormatError(
      file,
      `__metadata__.checkpoint.tracking: expected { monitor: validation.loss | validation.accuracy, bestEpoch, badEpochs: integers >= 0, bestValue: a number or null }, found ${JSON.stringify(tracking)}.`,
    );
  }
}
