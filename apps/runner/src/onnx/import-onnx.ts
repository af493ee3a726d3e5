import { basename } from 'node:path';
import { decodeModel, importOnnxModel, type ImportedModel } from '@scratchnet/onnx';
import { ConfigError, isScratchnetError, ModelFormatError, type PluginOptions, type PluginRegistry } from '@scratchnet/spec';
import { formatShape, shapesEqual, type Backend } from '@scratchnet/tensor';
import { buildNetwork, serialiseModel, type Network, type PreprocessEntry, type SerialisedModel } from '@scratchnet/train';
import type { InputFormat } from '../run-dir/model-files.js';

/** A model folder's three files, in memory: what `runner import` writes. */
export interface ImportedFolder {
  readonly model: SerialisedModel;
  readonly input: InputFormat;
  readonly imported: ImportedModel;
}

/**
 * The raw input a picture becomes for `runner predict`: the graph input's per-sample shape, in
 * 0..1, unless the graph scales its input itself (a leading Div 255 -> scale 255: 0..255 then).
 * A PyTorch model usually takes tensors in 0..1 (ToTensor()), which is what this assumes.
 */
function inputFormat(imported: ImportedModel): InputFormat {
  const divisor = imported.preprocess.reduce((product, step) => (step.options.type === 'scale' ? product * (step.options['divisor'] as number) : product), 1);
  const max = Number(divisor.toPrecision(7));
  return { format: 'scratchnet-input', formatVersion: 1, dataset: 'onnx', sampleShape: [...imported.rawInput], min: 0, max: max > 1 ? max : 1, binary: false };
}

function validated(registry: PluginRegistry, kind: 'layer' | 'loss' | 'preprocess', ref: PluginOptions, path: (string | number)[], file: string): PluginOptions {
  const result = registry.validateOptions(kind, ref, path);
  if (result.value === undefined) throw new ModelFormatError(file, `the imported model is not valid: ${ConfigError.describe(result.issues)}`);
  return result.value;
}

/** Copies the imported weights into the built network, checking every name and shape (a mapping bug would show here). */
function setWeights(network: Network, imported: ImportedModel, file: string): void {
  const stored = [...network.parameters, ...network.state];
  for (const { name, value } of stored) {
    const tensor = imported.tensors.get(name);
    if (tensor === undefined || !shapesEqual(tensor.shape, value.shape)) {
      throw new ModelFormatError(file, `tensor ${name}: expected shape ${formatShape(value.shape)}, found ${tensor === undefined ? 'none' : formatShape(tensor.shape)}.`);
    }
    value.data.set(tensor.data);
  }
  const names = new Set(stored.map((t) => t.name));
  const extra = [...imported.tensors.keys()].find((name) => !names.has(name));
  if (extra !== undefined) throw new ModelFormatError(file, `tensor ${extra}: expected no such tensor, the layers have none of that name.`);
}

/**
 * An .onnx file's bytes -> the files of a scratchnet model folder, in memory: decodeModel (the
 * bounded reader), importOnnxModel (the mapping), then the network built from the mapped
 * topology with the registry (which checks every layer's shapes) and serialised. Every problem
 * with the file is a ModelFormatError naming `file` (exit 3). No file system access.
 */
export function importOnnxBytes(bytes: Uint8Array, file: string, registry: PluginRegistry, backend: Backend): ImportedFolder {
  const imported = importOnnxModel(decodeModel(bytes, { file }), { file });
  const layers = imported.layers.map((layer, i) => validated(registry, 'layer', layer, ['model', 'layers', i], file));
  const loss = validated(registry, 'loss', imported.loss, ['loss'], file);
  const preprocess: PreprocessEntry[] = imported.preprocess.map((step, i) => ({
    options: validated(registry, 'preprocess', step.options, ['preprocess', i], file),
    state: step.state as PreprocessEntry['state'],
  }));
  let network: Network;
  try {
    network = buildNetwork({ input: imported.input, layers }, registry, { seed: 0, backend, dtype: 'float32', classes: imported.classNames.length });
  } catch (error) {
    // A shape the mapping let through but a layer refuses: the file's fault, not the user's config.
    if (isScratchnetError(error) && !(error instanceof ModelFormatError)) throw new ModelFormatError(file, `the imported layers do not fit together: ${error.message}`);
    throw error;
  }
  setWeights(network, imported, file);
  // Named after the file: PyTorch names every graph torch_jit.
  const model = serialiseModel(network, { classNames: imported.classNames, loss, preprocess, name: basename(file).replace(/\.onnx$/i, '') });
  return { model, input: inputFormat(imported), imported };
}
