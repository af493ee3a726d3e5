import { ModelFormatError } from '@scratchnet/spec';
import type { Optimiser, OptimiserState } from '@scratchnet/spec';
import { formatShape, shapesEqual, Tensor } from '@scratchnet/tensor';
import type { Rng, RngState } from '@scratchnet/tensor';
import type { Network } from './network.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import type { SafetensorsTensor } from './safetensors.js';

/** Running totals of the epoch in progress, so a resumed epoch reports the same train loss. */
export interface EpochProgress {
  /** Sum over batches of batch loss * batch size. */
  readonly lossSum: number;
  readonly correct: number;
  readonly samples: number;
}

/**
 * Everything needed to continue training bit-identically: weights, optimiser state, both random
 * streams and the position. `rng.data` is the data stream as of the START of the epoch in
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
  readonly optimiser: OptimiserState;
  readonly rng: { readonly model: RngState; readonly data: RngState };
  readonly progress: EpochProgress;
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
): Checkpoint {
  const weights: Record<string, Tensor> = {};
  for (const parameter of network.parameters) weights[parameter.name] = parameter.value.clone();
  const state = optimiser.state();
  const buffers: Record<string, Float32Array | Float64Array> = {};
  for (const [name, buffer] of Object.entries(state.buffers)) buffers[name] = buffer.slice();
  return {
    formatVersion: 1,
    ...position,
    weights,
    optimiser: { step: state.step, buffers },
    rng: { model: network.rng.state(), data: dataRng },
    progress: { ...progress },
  };
}

/**
 * Loads a checkpoint's weights, optimiser state and random streams into a network built from
 * the same model config. Throws ModelFormatError naming the tensor when names or shapes differ.
 */
export function restoreCheckpoint(
  network: Network,
  optimiser: Optimiser,
  checkpoint: Checkpoint,
  dataRng: Rng,
  file = 'checkpoint',
): void {
  const expected = new Set(network.parameters.map((p) => p.name));
  for (const name of Object.keys(checkpoint.weights)) {
    if (!expected.has(name)) {
      throw new ModelFormatError(file, `tensor ${name} is not a parameter of this network. Resume with the model config the checkpoint was written with.`);
    }
  }
  for (const parameter of network.parameters) {
    const saved = checkpoint.weights[parameter.name];
    if (saved === undefined) {
      throw new ModelFormatError(file, `tensor ${parameter.name} (shape ${formatShape(parameter.value.shape)}) is missing.`);
    }
    if (!shapesEqual(saved.shape, parameter.value.shape)) {
      throw new ModelFormatError(
        file,
        `tensor ${parameter.name}: expected shape ${formatShape(parameter.value.shape)}, found ${formatShape(saved.shape)}.`,
      );
    }
  }
  for (const parameter of network.parameters) parameter.value.data.set(checkpoint.weights[parameter.name]!.data);
  const buffers: Record<string, Float32Array | Float64Array> = {};
  for (const [name, buffer] of Object.entries(checkpoint.optimiser.buffers)) buffers[name] = buffer.slice();
  optimiser.loadState({ step: checkpoint.optimiser.step, buffers });
  network.rng.setState(checkpoint.rng.model);
  dataRng.setState(checkpoint.rng.data);
}

const WEIGHT_PREFIX = 'weights/';
const OPTIMISER_PREFIX = 'optimiser/';
const FORMAT = 'scratchnet-checkpoint';

/**
 * One safetensors file holding a checkpoint: tensors `weights/<param>` and
 * `optimiser/<buffer>`, the rest (position, rng states, step, totals) as JSON in the
 * `__metadata__.checkpoint` string. Write it atomically (temp file + rename).
 */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const [name, tensor] of Object.entries(checkpoint.weights)) tensors[WEIGHT_PREFIX + name] = tensor;
  for (const [name, data] of Object.entries(checkpoint.optimiser.buffers)) {
    tensors[OPTIMISER_PREFIX + name] = { shape: [data.length], data };
  }
  const { formatVersion, epoch, batchInEpoch, iteration, rng, progress } = checkpoint;
  const info = { formatVersion, epoch, batchInEpoch, iteration, optimiserStep: checkpoint.optimiser.step, rng, progress };
  return encodeSafetensors(tensors, { format: FORMAT, checkpoint: JSON.stringify(info) });
}

/** Inverse of encodeCheckpoint; ModelFormatError (naming `file`) for anything else. */
export function decodeCheckpoint(bytes: Uint8Array, file = 'checkpoint.safetensors'): Checkpoint {
  const { tensors, metadata } = decodeSafetensors(bytes, file);
  if (metadata['format'] !== FORMAT || metadata['checkpoint'] === undefined) {
    throw new ModelFormatError(file, `expected a scratchnet checkpoint (__metadata__.format "${FORMAT}"), found ${JSON.stringify(metadata['format'] ?? null)}.`);
  }
  let info: Omit<Checkpoint, 'weights' | 'optimiser'> & { optimiserStep: number };
  try {
    info = JSON.parse(metadata['checkpoint']) as typeof info;
  } catch (error) {
    throw new ModelFormatError(file, `__metadata__.checkpoint is not valid JSON (${(error as Error).message}).`);
  }
  if (info.formatVersion !== 1) {
    throw new ModelFormatError(file, `expected checkpoint formatVersion 1, found ${JSON.stringify(info.formatVersion)}.`);
  }
  const weights: Record<string, Tensor> = {};
  const buffers: Record<string, Float32Array | Float64Array> = {};
  for (const [name, tensor] of tensors) {
    if (name.startsWith(WEIGHT_PREFIX)) weights[name.slice(WEIGHT_PREFIX.length)] = new Tensor(tensor.shape, tensor.data);
    else if (name.startsWith(OPTIMISER_PREFIX)) buffers[name.slice(OPTIMISER_PREFIX.length)] = tensor.data;
    else throw new ModelFormatError(file, `tensor ${name}: expected a name starting with ${WEIGHT_PREFIX} or ${OPTIMISER_PREFIX}.`);
  }
  return {
    formatVersion: 1,
    epoch: info.epoch,
    batchInEpoch: info.batchInEpoch,
    iteration: info.iteration,
    weights,
    optimiser: { step: info.optimiserStep, buffers },
    rng: info.rng,
    progress: info.progress,
  };
}
