import { isScratchnetError, type LayerPlugin, type OnnxFloatTensor, type OnnxLayerContext, type OnnxNode, type PluginRegistry } from '@scratchnet/spec';
import { inferShapes, type ModelJson } from '@scratchnet/train';
import { TensorDataType, type ModelProto, type ValueInfoProto } from '../onnx-types.js';
import { OnnxExportError } from './export-error.js';
import { GraphBuilder, type NodeSource } from './graph-builder.js';
import { BUILTIN_LAYER_MAPPINGS } from './layers/builtin-layers.js';
import { flattenNode, int64, type LayerMapping } from './layers/layer-mapping.js';
import { lossOutput } from './loss-output.js';
import { checkOpset, irVersionFor, ONNX_OPSETS } from './opset.js';
import { preprocessNodes } from './preprocess-nodes.js';

/**
 * What the exporter reads of a model: model.json's topology, preprocessing, class names, loss
 * and name (a ModelJson fits as it is), and which tensors are layer state rather than trained
 * parameters (model.json's `state` list; absent when no layer keeps state).
 */
export type ExportableModel = Pick<ModelJson, 'model' | 'preprocess' | 'classNames' | 'loss' | 'name' | 'state'>;

export interface OnnxExportOptions {
  /**
   * The registry the model was loaded with: layer plugins give each layer's shapes
   * (outputShape) and, for third-party layers, their `toOnnx`.
   */
  readonly registry: PluginRegistry;
  /** ONNX operator set version, ONNX_OPSETS.min to .max (default 17). */
  readonly opset?: number;
  /** Put the stored preprocessing in front as ONNX ops (default true). */
  readonly preprocess?: boolean;
  /**
   * Per-sample shape of the raw input the preprocessing takes, e.g. [1, 28, 28] for MNIST (the
   * runner's input.json records it). Default: model.input. Unused without preprocessing.
   */
  readonly inputShape?: readonly number[];
  /** Written to the metadata and as producer_version. */
  readonly scratchnetVersion?: string;
}

/** A graph input or output: its name and shape, the batch dimension being the symbol 'N'. */
export interface OnnxValue {
  readonly name: string;
  readonly shape: readonly (number | 'N')[];
}

export interface OnnxExport {
  /** Ready for encodeModel. */
  readonly model: ModelProto;
  readonly input: OnnxValue;
  readonly output: OnnxValue;
  /** Things the caller should tell the user (e.g. an output that is not probabilities). */
  readonly warnings: readonly string[];
}

const INPUT = 'input';
const BATCH = 'N';

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const size = (shape: readonly number[]): number => shape.reduce((x, y) => x * y, 1);
const format = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

function valueInfo(name: string, shape: readonly number[], docString: string): ValueInfoProto {
  return {
    name,
    docString,
    type: { tensorType: { elemType: TensorDataType.FLOAT, shape: { dim: [{ dimParam: BATCH }, ...shape.map((dimValue) => ({ dimValue }))] } } },
  };
}

/** The layer's ONNX mapping: its plugin's `toOnnx`, else the built-in one; an OnnxExportError naming the layer when there is neither. */
function mappingFor(plugin: LayerPlugin<never>, index: number): { mapping: LayerMapping; thirdParty: boolean } {
  if (typeof plugin.toOnnx === 'function') {
    const hook = plugin.toOnnx.bind(plugin) as unknown as LayerMapping;
    return { mapping: hook, thirdParty: BUILTIN_LAYER_MAPPINGS[plugin.type] === undefined };
  }
  const builtin = BUILTIN_LAYER_MAPPINGS[plugin.type];
  if (builtin !== undefined) return { mapping: builtin, thirdParty: false };
  throw new OnnxExportError({
    path: ['model', 'layers', index],
    plugin: plugin.type,
    message:
      `layer ${index} (${plugin.type}) has no ONNX mapping: it is not a built-in layer and its plugin has no toOnnx hook. ` +
      'A layer plugin provides its mapping with an optional toOnnx(context) that returns ONNX nodes ' +
      '(see "Exporting to ONNX" in docs/plugins.md); ask its author for one, or export a model without this layer.',
  });
}

/**
 * A scratchnet model as an ONNX model that ONNX Runtime runs to the same numbers `runner
 * predict` gives: the stored preprocessing as ops in front (unless `preprocess: false`), a
 * Reshape/Flatten from the preprocessed shape to model.input when they differ, every layer
 * (built-in mappings, or a plugin's `toOnnx`), then the loss's transform (a Softmax for
 * softmax-cross-entropy). Input `input` [N, ...raw shape] float32; output `probabilities`
 * (or `scores` / `outputs`, see lossOutput) [N, classes]; N is dynamic. Initialisers keep
 * weights.safetensors' names (`layers.<i>.<param>`). Metadata: classNames (JSON), modelName,
 * scratchnetVersion, preprocessing. Pure: no IO. Throws OnnxExportError for what cannot be
 * exported, the shape pass's ShapeError / ConfigError for a topology that does not fit.
 */
export function exportOnnxModel(model: ExportableModel, weights: Readonly<Record<string, OnnxFloatTensor>>, options: OnnxExportOptions): OnnxExport {
  const opset = options.opset ?? ONNX_OPSETS.default;
  checkOpset(opset);
  const { registry } = options;
  const withPreprocess = options.preprocess ?? true;
  const networkInput = [...model.model.input];
  const classes = model.classNames.length;
  const shapes = inferShapes({ input: networkInput, layers: model.model.layers }, registry, { classes });
  const loss = lossOutput(model.loss.type);
  const stateNames = new Set((model.state ?? []).map((s) => s.name));

  const builder = new GraphBuilder(INPUT);
  builder.reserve(loss.name);
  const rawShape = withPreprocess ? [...(options.inputShape ?? networkInput)] : networkInput;
  let value = INPUT;
  let shape: readonly number[] = rawShape;

  if (withPreprocess) {
    model.preprocess.forEach((step, index) => {
      ({ output: value, shape } = preprocessNodes(builder, index, step, value, shape));
    });
  }
  if (!sameShape(shape, networkInput)) {
    const source: NodeSource = { path: ['model', 'input'], type: 'reshape', plugin: false };
    if (size(shape) !== size(networkInput)) {
      throw new OnnxExportError({
        path: source.path,
        message:
          `the raw input ${format(rawShape)} becomes ${format(shape)} (${size(shape)} values) after preprocessing, but the network takes ` +
          `${format(networkInput)} (${size(networkInput)} values). Give the raw input shape of the model's training data.`,
      });
    }
    const reshaped = builder.uniqueName('model.input');
    const node: OnnxNode =
      networkInput.length === 1
        ? flattenNode(value, reshaped)
        : { opType: 'Reshape', inputs: [value, builder.addInitializer('model.input.shape', int64([0, ...networkInput]), source)], outputs: [reshaped] };
    builder.addNodes([node], source, reshaped);
    value = reshaped;
  }

  const last = model.model.layers.length - 1;
  model.model.layers.forEach((layerOptions, index) => {
    const plugin = registry.get('layer', layerOptions.type);
    const { mapping, thirdParty } = mappingFor(plugin, index);
    const source: NodeSource = { path: ['model', 'layers', index], type: layerOptions.type, plugin: thirdParty };
    const prefix = `layers.${index}.`;
    const parameters: Record<string, OnnxFloatTensor> = {};
    const state: Record<string, OnnxFloatTensor> = {};
    for (const [name, tensor] of Object.entries(weights)) {
      if (name.startsWith(prefix)) (stateNames.has(name) ? state : parameters)[name.slice(prefix.length)] = tensor;
    }
    const output = index === last && !loss.softmax ? loss.name : builder.uniqueName(`${prefix}output`);
    const layerShapes = shapes.layers[index]!;
    const context: OnnxLayerContext<Record<string, unknown>> = {
      index,
      options: layerOptions as OnnxLayerContext['options'],
      input: value,
      output,
      inputShape: layerShapes.inputShape,
      outputShape: layerShapes.outputShape,
      opset,
      parameters,
      state,
      addInitializer: (name, tensor) => {
        if (tensor === undefined) {
          throw new OnnxExportError({ path: source.path, plugin: source.type, message: `addInitializer(${JSON.stringify(name)}) was given no tensor: the model has no such parameter or state of this layer.` });
        }
        return builder.addInitializer(`${prefix}${name}`, tensor, source);
      },
      uniqueName: (hint) => builder.uniqueName(`${prefix}${hint}`),
    };
    let nodes: readonly OnnxNode[];
    try {
      nodes = mapping(context);
    } catch (error) {
      if (isScratchnetError(error) || !thirdParty) throw error;
      throw new OnnxExportError({
        path: source.path,
        plugin: source.type,
        message: `the plugin's toOnnx threw: ${error instanceof Error ? error.message : String(error)}. This is a bug in the plugin's toOnnx.`,
      });
    }
    builder.addNodes(nodes, source, output);
    if (nodes.length > 0) value = output;
  });

  const lossSource: NodeSource = { path: ['loss'], type: model.loss.type, plugin: false };
  if (loss.softmax) {
    builder.addNodes([{ opType: 'Softmax', inputs: [value], outputs: [loss.name], attributes: { axis: { int: 1 } } }], lossSource, loss.name);
  } else if (value !== loss.name) builder.addNodes([{ opType: 'Identity', inputs: [value], outputs: [loss.name] }], lossSource, loss.name);

  const name = model.name ?? 'scratchnet-model';
  const inputDoc = withPreprocess
    ? `Raw samples ${format(rawShape)}, float32, as runner predict takes them (e.g. pixel bytes 0..255 as floats); the model's preprocessing is part of the graph.`
    : `Preprocessed samples ${format(networkInput)}, float32: apply the model's preprocessing (${model.preprocess.map((s) => s.options.type).join(', ') || 'none'}) first.`;
  const outputDoc =
    loss.name === 'probabilities'
      ? `Class probabilities (softmax), one per class name in the classNames metadata: what runner predict reports.`
      : loss.name === 'scores'
        ? 'Per-class scores (the network outputs, as runner predict reports them for this loss), one per class name in the classNames metadata.'
        : 'The network outputs, one per class name in the classNames metadata, before the loss turns them into probabilities.';
  const metadata = [
    { key: 'classNames', value: JSON.stringify(model.classNames) },
    ...(model.name === undefined ? [] : [{ key: 'modelName', value: model.name }]),
    ...(options.scratchnetVersion === undefined ? [] : [{ key: 'scratchnetVersion', value: options.scratchnetVersion }]),
    { key: 'preprocessing', value: withPreprocess ? JSON.stringify(model.preprocess.map((s) => s.options.type)) : 'left out' },
  ];
  const onnx: ModelProto = {
    irVersion: irVersionFor(opset),
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'scratchnet',
    ...(options.scratchnetVersion === undefined ? {} : { producerVersion: options.scratchnetVersion }),
    docString: `${name}, exported by scratchnet.`,
    graph: {
      name,
      node: builder.nodes,
      initializer: builder.initializers,
      input: [valueInfo(INPUT, rawShape, inputDoc)],
      output: [valueInfo(loss.name, [classes], outputDoc)],
      valueInfo: [],
    },
    metadataProps: metadata,
  };
  return {
    model: onnx,
    input: { name: INPUT, shape: [BATCH, ...rawShape] },
    output: { name: loss.name, shape: [BATCH, classes] },
    warnings: loss.warning === undefined ? [] : [loss.warning],
  };
}
