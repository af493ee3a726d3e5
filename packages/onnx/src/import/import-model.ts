import type { PluginOptions } from '@scratchnet/spec';
import { AttributeType, TensorDataType, type GraphProto, type ModelProto, type TensorProto } from '../onnx-types.js';
import { mapAdd, mapGemm, mapMatMul } from './dense-ops.js';
import { classNamesOf } from './import-metadata.js';
import { checkSoftmax, mapActivation, mapBatchNormalization, mapFlatten, mapLeakyRelu, mapReshape, mapSoftmax } from './layer-ops.js';
import { createMapState, type MapState } from './map-state.js';
import { describeNode, nodeContext, type ImportedTensor, type NodeContext } from './node-context.js';
import { OnnxImportError } from './onnx-import-error.js';
import { finalPreprocess, mapPreprocess } from './preprocess-ops.js';
import { SUPPORTED_LIST } from './supported-ops.js';
import { mapConv, mapGlobalAveragePool, mapPool } from './window-ops.js';

/** Largest per-sample input the importer accepts (values): the decoder's tensor limit, 2^26. */
export const MAX_SAMPLE_VALUES = 2 ** 26;

/**
 * A scratchnet model read from an ONNX graph: the topology (model.input and layer options, not
 * yet validated: the registry fills defaults), the weights by scratchnet parameter name, and
 * what model.json needs besides. The runner builds a network from it and writes the model folder.
 */
export interface ImportedModel {
  /** The network's per-sample input shape (model.input): rawInput, or what a Flatten or Reshape before the first layer makes of it. */
  readonly input: readonly number[];
  /** Per-sample shape of the graph input, without the batch: what `runner predict` makes pictures into. */
  readonly rawInput: readonly number[];
  readonly layers: readonly PluginOptions[];
  /** `layers.<i>.<param>` (and layer state such as `layers.<i>.runningMean`) -> values in scratchnet's layout. */
  readonly tensors: ReadonlyMap<string, ImportedTensor>;
  /** Preprocessing steps read from the arithmetic in front of the first layer (options and state). */
  readonly preprocess: readonly { readonly options: PluginOptions; readonly state: Readonly<Record<string, unknown>> }[];
  /**
   * How predictions become probabilities: softmax-cross-entropy (softmax of the network's output)
   * when the graph ends in a Softmax (dropped from the layers) or in logits; quadratic (the
   * outputs as they are) when it ends in a Sigmoid or its output is named `scores` (what
   * `runner export` names a quadratic or sum-squared-error model's output).
   */
  readonly loss: PluginOptions;
  /** 'softmax' (a final Softmax, now the loss's), 'scores' (quadratic loss) or 'logits'. */
  readonly ending: 'softmax' | 'logits' | 'scores';
  readonly classNames: readonly string[];
  readonly inputName: string;
  readonly outputName: string;
  /** The graph's name, if it has one. */
  readonly name?: string;
  /** producer_name and producer_version, e.g. 'pytorch 1.13.0'. */
  readonly producer?: string;
}

export interface ImportOptions {
  /** Names the file in errors (default 'model.onnx'). */
  readonly file?: string;
}

type Mapper = (ctx: NodeContext, state: MapState) => void;

const MAPPERS: Readonly<Record<string, Mapper>> = {
  Gemm: mapGemm,
  MatMul: mapMatMul,
  Add: mapAdd,
  Conv: mapConv,
  MaxPool: (ctx, state) => mapPool(ctx, state, 'max'),
  AveragePool: (ctx, state) => mapPool(ctx, state, 'average'),
  GlobalAveragePool: mapGlobalAveragePool,
  BatchNormalization: mapBatchNormalization,
  Relu: (ctx, state) => mapActivation(ctx, state, 'relu'),
  Sigmoid: (ctx, state) => mapActivation(ctx, state, 'sigmoid'),
  Tanh: (ctx, state) => mapActivation(ctx, state, 'tanh'),
  LeakyRelu: mapLeakyRelu,
  Softmax: mapSoftmax,
  Flatten: mapFlatten,
  Reshape: mapReshape,
  Div: (ctx, state) => mapPreprocess(ctx, state, 'Div'),
  Mul: (ctx, state) => mapPreprocess(ctx, state, 'Mul'),
  Sub: (ctx, state) => mapPreprocess(ctx, state, 'Sub'),
  Dropout: () => undefined,
  Identity: (ctx) => ctx.onlyAttributes([]),
};

function onnxOpset(model: ModelProto, file: string): number {
  const entry = model.opsetImport.find((o) => o.domain === undefined || o.domain === '' || o.domain === 'ai.onnx');
  if (entry === undefined) throw new OnnxImportError(file, 'opset_import', 'an entry for the ONNX operator set (domain "")', 'none');
  return entry.version;
}

/** The one graph input that is not an initialiser, with its per-sample shape. */
function graphInput(graph: GraphProto, initialisers: ReadonlySet<string>, file: string): { name: string; shape: number[] } {
  const inputs = graph.input.filter((i) => !initialisers.has(i.name));
  if (inputs.length !== 1) {
    throw new OnnxImportError(file, 'graph.input', 'one data input (besides initializers)', `${inputs.length}${inputs.length > 0 ? `: ${inputs.map((i) => JSON.stringify(i.name)).join(', ')}` : ''}`);
  }
  const input = inputs[0]!;
  const where = `graph.input ${JSON.stringify(input.name)}`;
  const type = input.type?.tensorType;
  if (type === undefined) throw new OnnxImportError(file, where, 'a tensor type', 'none');
  if (type.elemType !== TensorDataType.FLOAT) throw new OnnxImportError(file, where, 'elem_type FLOAT (float32)', `elem_type ${type.elemType}`);
  const dims = type.shape?.dim;
  if (dims === undefined || dims.length < 2) {
    throw new OnnxImportError(file, where, 'a shape [N, ...] with a batch dimension and at least one more', dims === undefined ? 'no shape' : `rank ${dims.length}`);
  }
  const shape = dims.slice(1).map((d) => d.dimValue ?? 0);
  const text = `[N, ${dims.slice(1).map((d) => d.dimValue ?? d.dimParam ?? '?').join(', ')}]`;
  if (shape.some((d) => d < 1)) throw new OnnxImportError(file, where, 'a fixed size >= 1 for every dimension but the batch', text);
  if (shape.reduce((a, b) => a * b, 1) > MAX_SAMPLE_VALUES) throw new OnnxImportError(file, where, `at most ${MAX_SAMPLE_VALUES} values per sample`, text);
  return { name: input.name, shape };
}

/** Constants by value name: the initialisers, then each Constant node's value (as a TENSOR attribute). */
function collectConstants(graph: GraphProto): Map<string, TensorProto> {
  const constants = new Map<string, TensorProto>();
  for (const tensor of graph.initializer) if (tensor.name) constants.set(tensor.name, tensor);
  return constants;
}

/**
 * Maps a decoded ONNX model to a scratchnet model description. The graph must be a chain: every
 * node reads the previous node's output (and constants) and the last one's output is the single
 * graph output. Every problem is an OnnxImportError (a ModelFormatError, exit 3 in the runner)
 * naming the node, its op_type and, for an operator outside the set, the supported list. Work is
 * bounded by the decoded model: no tensor is larger than one the file holds.
 */
export function importOnnxModel(model: ModelProto, options: ImportOptions = {}): ImportedModel {
  const file = options.file ?? 'model.onnx';
  const { graph } = model;
  const opset = onnxOpset(model, file);
  const constants = collectConstants(graph);
  const input = graphInput(graph, new Set(constants.keys()), file);
  const state = createMapState(input.shape);
  // The last node that computes something: a Softmax there is the loss's, a Sigmoid gives scores.
  const last = graph.node.filter((n) => !['Constant', 'Identity', 'Dropout'].includes(n.opType)).at(-1);
  if (last === undefined) throw new OnnxImportError(file, 'graph.node', 'at least one node', 'none');
  let current = input.name;
  let ending = 'logits' as ImportedModel['ending'];

  for (const [index, node] of graph.node.entries()) {
    const ctx = nodeContext(file, index, node, opset, constants);
    if (node.domain !== undefined && node.domain !== '' && node.domain !== 'ai.onnx') {
      throw ctx.fail(`an operator of the ONNX domain (${SUPPORTED_LIST})`, `${node.opType} of domain ${JSON.stringify(node.domain)}`);
    }
    if (node.opType === 'Constant') {
      ctx.onlyAttributes(['value']);
      const value = ctx.attribute('value', AttributeType.TENSOR)?.t;
      const name = node.output[0];
      if (value === undefined || name === undefined || name === '') throw ctx.fail('a value attribute (a tensor) and an output', 'neither');
      constants.set(name, value);
      continue;
    }
    const mapper = MAPPERS[node.opType];
    if (mapper === undefined) {
      throw ctx.fail(`one of the supported operators (${SUPPORTED_LIST})`, node.opType, 'scratchnet has no layer for it: remove it from the model before exporting, or write a plugin layer.');
    }
    const data = node.input.filter((name) => name !== '' && !constants.has(name));
    if (data.length !== 1 || data[0] !== current) {
      throw ctx.fail(
        `the previous node's output ${JSON.stringify(current)} as its one data input (scratchnet imports a chain of layers: no branches, no shape arithmetic)`,
        data.length === 0 ? 'only constants' : `inputs ${data.map((d) => JSON.stringify(d)).join(', ')}`,
        'Export with do_constant_folding=True, and flatten with torch.flatten(x, 1).',
      );
    }
    const output = node.output[0];
    if (output === undefined || output === '') throw ctx.fail('an output', 'none');
    if (node === last && node.opType === 'Softmax') {
      checkSoftmax(ctx, state);
      ending = 'softmax';
    } else {
      mapper(ctx, state);
      if (node === last && node.opType === 'Sigmoid') ending = 'scores';
    }
    current = output;
  }

  if (state.layers.length === 0) {
    throw new OnnxImportError(file, 'graph.node', `at least one node that becomes a layer (${SUPPORTED_LIST})`, 'none');
  }
  if (graph.output.length !== 1 || graph.output[0]!.name !== current) {
    throw new OnnxImportError(
      file,
      'graph.output',
      `one output, the last node's ${JSON.stringify(current)}`,
      graph.output.length === 1 ? JSON.stringify(graph.output[0]!.name) : `${graph.output.length} outputs`,
      `The last node is ${describeNode(graph.node.indexOf(last), last)}.`,
    );
  }
  if (ending === 'logits' && current === 'scores') ending = 'scores';
  const classes = state.onnxShape.reduce((a, b) => a * b, 1);
  return {
    input: state.networkInput,
    rawInput: input.shape,
    layers: state.layers,
    tensors: state.tensors,
    preprocess: finalPreprocess(state),
    loss: { type: ending === 'scores' ? 'quadratic' : 'softmax-cross-entropy' },
    ending,
    classNames: classNamesOf(model.metadataProps, classes, file),
    inputName: input.name,
    outputName: current,
    ...(graph.name ? { name: graph.name } : {}),
    ...(model.producerName ? { producer: [model.producerName, model.producerVersion].filter(Boolean).join(' ') } : {}),
  };
}
