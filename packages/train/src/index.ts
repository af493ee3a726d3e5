export { DEFAULT_PLUGINS, createDefaultRegistry } from './default-registry.js';
export { inferShapes } from './shapes.js';
export type { InferShapesOptions, LayerShapes, ShapePass } from './shapes.js';
export { buildNetwork } from './network.js';
export type { BuildOptions, ForwardOptions, Network, NetworkForward, NetworkLayer, StateTensor } from './network.js';
export { countBatches, createBatcher } from './batcher.js';
export type { Batch, Batcher, BatcherOptions, LabelledImages, LastBatch } from './batcher.js';
export { batchesPerEpoch, checkTrainingBatches, createLoss, createTrainingParts } from './training-parts.js';
export type { TrainingParts, TrainingSetSize } from './training-parts.js';
export { fit } from './fit.js';
export { augmentBatch, batchStream, createAugmentation } from './augment-batch.js';
export type { AugmentStep } from './augment-batch.js';
export { checkTrainingControl, clipGradientNorm, copyWeights, createTracker, loadWeights, warmupFactor } from './training-control.js';
export type { Tracker, Tracking, TrainingControl } from './training-control.js';
export { applyPreprocess, createPreprocess, fitPreprocess, runSteps } from './preprocess.js';
export type { BatchPreprocess, ImageValues, PreparedStep, PreprocessCheck, RawSamples, Samples } from './preprocess.js';
export { findNonFinite } from './preprocess-check.js';
export type { NonFiniteValue } from './preprocess-check.js';
export type { FitOptions, FitResult } from './fit.js';
export type {
  BatchEndEvent,
  EpochEndEvent,
  EpochStartEvent,
  EpochSummary,
  EvaluationEndEvent,
  TrainingEvent,
} from './events.js';
export { classCount, evaluate, predict } from './evaluate.js';
export type { EvaluateOptions, EvaluationResult, Prediction, PredictOptions } from './evaluate.js';
export { decodeCheckpoint, encodeCheckpoint, MissingOptimiserStateError, restoreCheckpoint, takeCheckpoint } from './checkpoint.js';
export type { Checkpoint, CheckpointExtras, CheckpointPosition, EpochProgress, RestoreOptions } from './checkpoint.js';
export { decodeSafetensors, encodeSafetensors } from './safetensors.js';
export type { DecodedSafetensors, DecodedTensor, SafetensorsDType, SafetensorsTensor } from './safetensors.js';
export { loadModel, serialiseModel } from './model-format.js';
export type { LoadedModel, LoadModelOptions, ModelDescription, SerialisedModel } from './model-format.js';
export { checkModelJson } from './model-json.js';
export { checkPluginsRegistered, usedNamespaces, usedPlugins } from './model-plugins.js';
export type { ModelPluginUses } from './model-plugins.js';
export type { ModelJson, PreprocessEntry } from './model-json.js';
export { runPass, wholeBatchStep } from './gradient-step.js';
export type { BatchOutcome, GradientStep } from './gradient-step.js';
export { createShardedStep, createSlots, shardOf, shardWeight } from './data-parallel/sharded-step.js';
export type { RemoteShards, ShardedStepOptions, ShardJob } from './data-parallel/sharded-step.js';
export { DEFAULT_SHARDS, SHARD_COUNTS, shardBlocks, shardOffsets, shardSizes, treeSum } from './data-parallel/plan.js';
export type { ShardBlock } from './data-parallel/plan.js';
export { DATA_PARALLEL_MAX_FLOPS, DATA_PARALLEL_MIN_SHARD_FLOPS, dataParallelObstacle, productFlops, useDataParallel } from './data-parallel/eligibility.js';
export type { Parallelism } from './data-parallel/eligibility.js';
