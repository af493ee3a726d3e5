import { ConfigError, isScratchnetError, ModelFormatError } from '@scratchnet/spec';
import type { Loss, ModelConfig, PluginOptions, PluginRecord, PluginRegistry } from '@scratchnet/spec';
import { formatShape, shapesEqual } from '@scratchnet/tensor';
import type { Backend, DType, Shape } from '@scratchnet/tensor';
import { classCount } from './evaluate.js';
import { buildNetwork } from './network.js';
import type { Network } from './network.js';
import { checkFinite, decodeSafetensors, encodeSafetensors } from './safetensors.js';
import type { SafetensorsTensor } from './safetensors.js';
import { checkModelJson } from './model-json.js';
import { checkPluginsRegistered, usedPlugins } from './model-plugins.js';
import type { ModelJson, PreprocessEntry } from './model-json.js';

export interface ModelDescription {
  /** Preprocessing steps in order: validated options plus the state fitted on training data. */
  readonly preprocess?: readonly PreprocessEntry[];
  /** One name per network output, e.g. '0'..'9'. */
  readonly classNames: readonly string[];
  /** Validated loss options (the loss turns outputs into probabilities). */
  readonly loss: PluginOptions;
  readonly name?: string;
  /**
   * The plugin packages loaded when the model was built, with where they came from; model.json
   * records those whose namespace the model uses, so a loader knows what to import.
   */
  readonly plugins?: readonly PluginRecord[];
}

export interface SerialisedModel {
  /** Contents of model.json. */
  readonly modelJson: string;
  /** Contents of weights.safetensors (F32). */
  readonly weights: Uint8Array;
}

const WEIGHTS_FORMAT = 'scratchnet-weights';

/**
 * The model as two files' bytes. model.json holds the topology (input shape and each layer's
 * validated options, read from the network itself), preprocessing, class names and loss;
 * the weights are a safetensors file with one F32 tensor per parameter (`layers.<i>.<param>`)
 * and per state tensor of a layer (`layers.<i>.<key>`, e.g. batch norm's running statistics).
 */
export function serialiseModel(network: Network, description: ModelDescription): SerialisedModel {
  const classes = classCount(network);
  if (description.classNames.length !== classes) {
    throw new RangeError(`serialiseModel: the network scores ${classes} classes but ${description.classNames.length} class names were given`);
  }
  const layers = network.layers.map((layer) => layer.options);
  const plugins = usedPlugins({ layers, loss: description.loss, preprocess: description.preprocess ?? [] }, description.plugins ?? []);
  const json: ModelJson = {
    format: 'scratchnet-model',
    formatVersion: 1,
    ...(description.name === undefined ? {} : { name: description.name }),
    model: { input: [...network.inputShape], layers },
    outputShape: [...network.outputShape],
    preprocess: [...(description.preprocess ?? [])],
    classNames: [...description.classNames],
    loss: description.loss,
    parameters: network.parameters.map((p) => ({ name: p.name, shape: [...p.value.shape] })),
    ...(network.state.length === 0 ? {} : { state: network.state.map((s) => ({ name: s.name, shape: [...s.value.shape] })) }),
    ...(plugins.length === 0 ? {} : { plugins }),
  };
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const { name, value } of [...network.parameters, ...network.state]) {
    tensors[name] = { shape: value.shape, data: value.dtype === 'float32' ? value.data : Float32Array.from(value.data) };
  }
  return {
    modelJson: `${JSON.stringify(json, null, 2)}\n`,
    weights: encodeSafetensors(tensors, { format: WEIGHTS_FORMAT, formatVersion: '1' }),
  };
}

export interface LoadModelOptions {
  readonly backend: Backend;
  readonly dtype?: DType;
  /** Names used in error messages (default model.json / weights.safetensors). */
  readonly fileNames?: { readonly model?: string; readonly weights?: string };
  /** Seed of the model stream (only dropout in train mode uses it after loading; default 0). */
  readonly seed?: number;
}

export interface LoadedModel {
  readonly network: Network;
  /** Created from the stored loss options; gives predict() its probabilities. */
  readonly loss: Loss;
  readonly lossOptions: PluginOptions;
  readonly model: ModelConfig;
  readonly preprocess: readonly PreprocessEntry[];
  readonly classNames: readonly string[];
  readonly name?: string;
  /** The plugin packages model.json records (empty for a model of built-ins only). */
  readonly plugins: readonly PluginRecord[];
}

function validated(registry: PluginRegistry, kind: 'layer' | 'loss', ref: PluginOptions, path: (string | number)[], file: string): PluginOptions {
  const result = registry.validateOptions(kind, ref, path);
  if (result.value === undefined) throw new ModelFormatError(file, ConfigError.describe(result.issues));
  return result.value;
}

/**
 * Rebuilds a network from model.json text and safetensors bytes: its parameters and its layers'
 * state (a model whose layers keep no state, such as any written before layers had state, has
 * none to load). Every problem is a ModelFormatError naming the file: bad JSON or structure, a
 * formatVersion other than 1, a plugin type the registry lacks (MissingPluginError, naming the
 * package model.json records for it), a header length beyond the file, truncated data, tensor data that
 * does not match the file's SHA-256 digest, a missing or extra tensor, a shape or dtype that
 * differs from what the topology needs (expected vs found), a NaN or infinite value.
 */
export function loadModel(modelJson: string, weights: Uint8Array, registry: PluginRegistry, options: LoadModelOptions): LoadedModel {
  const modelFile = options.fileNames?.model ?? 'model.json';
  const weightsFile = options.fileNames?.weights ?? 'weights.safetensors';
  const json = checkModelJson(modelJson, modelFile);
  checkPluginsRegistered({ layers: json.model.layers, loss: json.loss, preprocess: json.preprocess }, json.plugins ?? [], registry, modelFile);
  const model: ModelConfig = {
    input: json.model.input,
    layers: json.model.layers.map((layer, i) => validated(registry, 'layer', layer, ['model', 'layers', i], modelFile)),
  };
  const lossOptions = validated(registry, 'loss', json.loss, ['loss'], modelFile);
  let network: Network;
  try {
    network = buildNetwork(model, registry, {
      seed: options.seed ?? 0,
      backend: options.backend,
      dtype: options.dtype ?? 'float32',
      classes: json.classNames.length,
    });
  } catch (error) {
    if (isScratchnetError(error) && !(error instanceof ModelFormatError)) throw new ModelFormatError(modelFile, error.message);
    throw error;
  }

  const { tensors } = decodeSafetensors(weights, weightsFile);
  const problems: string[] = [];
  const stored = [...network.parameters, ...network.state];
  const expected = new Map<string, Shape>(stored.map((t) => [t.name, t.value.shape]));
  for (const [name, shape] of expected) {
    const found = tensors.get(name);
    if (found === undefined) problems.push(`tensor ${name}: expected shape ${formatShape(shape)} F32, found no such tensor`);
    else if (found.dtype !== 'F32') problems.push(`tensor ${name}: expected dtype F32, found ${found.dtype}`);
    else if (!shapesEqual(found.shape, shape)) {
      problems.push(`tensor ${name}: expected shape ${formatShape(shape)}, found ${formatShape(found.shape)}`);
    }
  }
  for (const [name, found] of tensors) {
    if (!expected.has(name)) problems.push(`tensor ${name} (shape ${formatShape(found.shape)}): expected no such tensor, the model has none of that name`);
  }
  if (problems.length > 0) {
    throw new ModelFormatError(
      weightsFile,
      `${problems.join('; ')}. The weights do not belong to ${modelFile}: keep the two files of one export together.`,
    );
  }
  for (const { name } of stored) checkFinite(weightsFile, name, tensors.get(name)!);
  for (const { name, value } of stored) value.data.set(tensors.get(name)!.data);

  return {
    network,
    loss: registry.get('loss', lossOptions.type).create(lossOptions as never, { backend: options.backend }),
    lossOptions,
    model,
    preprocess: json.preprocess,
    classNames: json.classNames,
    ...(json.name === undefined ? {} : { name: json.name }),
    plugins: json.plugins ?? [],
  };
}
