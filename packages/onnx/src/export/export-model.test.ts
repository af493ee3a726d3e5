import { defineLayer, SPEC_VERSION, type LayerPlugin, type OnnxFloatTensor, type PluginOptions, type PluginRegistry } from '@scratchnet/spec';
import { createDefaultRegistry } from '@scratchnet/train';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../onnx-decode.js';
import { encodeModel } from '../onnx-encode.js';
import type { AttributeProto, ModelProto, NodeProto, TensorProto } from '../onnx-types.js';
import { exportOnnxModel, type ExportableModel, type OnnxExportOptions } from './export-model.js';
import { OnnxExportError } from './export-error.js';

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
/** Distinct, recognisable float32 values. */
const tensor = (shape: readonly number[], seed = 1): OnnxFloatTensor => ({ shape, data: Float32Array.from({ length: size(shape) }, (_, i) => seed + i / 8) });

function registry(...plugins: LayerPlugin<never>[]): PluginRegistry {
  const r = createDefaultRegistry();
  if (plugins.length > 0) r.registerPackage({ meta: { name: 'acme-plugins', version: '1.0.0', namespace: 'acme' }, layers: plugins }, 'acme-plugins');
  return r;
}

/** Validated layer options (defaults filled, as model.json stores them). */
function validated(r: PluginRegistry, layers: readonly (string | Record<string, unknown>)[]): PluginOptions[] {
  return layers.map((layer, i) => r.validateOptions('layer', layer, ['model', 'layers', i]).value!);
}

function exportOf(
  input: readonly number[],
  layers: readonly (string | Record<string, unknown>)[],
  weights: Record<string, OnnxFloatTensor> = {},
  extra: Partial<ExportableModel> = {},
  options: Partial<OnnxExportOptions> = {},
) {
  const r = options.registry ?? registry();
  const model: ExportableModel = {
    model: { input: [...input], layers: validated(r, layers) },
    preprocess: [],
    classNames: ['a', 'b', 'c'],
    loss: { type: 'softmax-cross-entropy', labelSmoothing: 0 },
    ...extra,
  };
  return exportOnnxModel(model, weights, { registry: r, ...options });
}

const attributes = (node: NodeProto): Record<string, unknown> =>
  Object.fromEntries(node.attribute.map((a: AttributeProto) => [a.name, a.ints.length > 0 ? a.ints : (a.i ?? a.f ?? a.s)]));
const floats = (t: TensorProto): number[] => Array.from(new Float32Array(t.rawData!.slice().buffer));
const initialiser = (model: ModelProto, name: string): TensorProto => model.graph.initializer.find((t) => t.name === name)!;
const ops = (model: ModelProto): string[] => model.graph.node.map((n) => n.opType);

describe('exportOnnxModel: layers', () => {
  it('dense -> Gemm with the [in, units] weight as stored (transB 0, no transpose) and the bias as C', () => {
    const weight = tensor([4, 3]);
    const { model } = exportOf([4], [{ type: 'dense', units: 3 }], { 'layers.0.weight': weight, 'layers.0.bias': tensor([3], 9) });
    const [gemm, softmax] = model.graph.node;
    expect(gemm).toMatchObject({ opType: 'Gemm', input: ['input', 'layers.0.weight', 'layers.0.bias'], output: ['layers.0.output'], attribute: [] });
    expect(initialiser(model, 'layers.0.weight').dims).toEqual([4, 3]);
    expect(floats(initialiser(model, 'layers.0.weight'))).toEqual(Array.from(weight.data));
    expect(softmax).toMatchObject({ opType: 'Softmax', input: ['layers.0.output'], output: ['probabilities'] });
    expect(attributes(softmax!)).toEqual({ axis: 1 });
  });

  it('dense without bias leaves Gemm\'s C out', () => {
    const { model } = exportOf([4], [{ type: 'dense', units: 3, useBias: false }], { 'layers.0.weight': tensor([4, 3]) });
    expect(model.graph.node[0]!.input).toEqual(['input', 'layers.0.weight']);
  });

  it("conv2d -> Conv with the weight as stored and 'same' padding as explicit pads", () => {
    const { model } = exportOf(
      [2, 9, 9],
      [{ type: 'conv2d', filters: 3, kernelSize: [3, 2], stride: 2, padding: 'same', dilation: [1, 2] }, 'flatten', { type: 'dense', units: 3 }],
      { 'layers.0.weight': tensor([3, 2, 3, 2]), 'layers.0.bias': tensor([3]), 'layers.2.weight': tensor([75, 3]), 'layers.2.bias': tensor([3]) },
    );
    const conv = model.graph.node[0]!;
    expect(conv.input).toEqual(['input', 'layers.0.weight', 'layers.0.bias']);
    // height: 5 outputs need (5-1)*2 + 3 - 9 = 2 padding, 1 + 1; width (dilated kernel 3): the same.
    expect(attributes(conv)).toEqual({ kernel_shape: [3, 2], strides: [2, 2], dilations: [1, 2], pads: [1, 1, 1, 1], group: 1 });
    expect(initialiser(model, 'layers.0.weight').dims).toEqual([3, 2, 3, 2]);
    expect(ops(model)).toEqual(['Conv', 'Flatten', 'Gemm', 'Softmax']);
  });

  it('pools: MaxPool and AveragePool (count_include_pad 0, stride defaulting to the pool size), GlobalAveragePool then Flatten', () => {
    const { model } = exportOf(
      [1, 8, 8],
      [{ type: 'max-pool2d', poolSize: 2 }, { type: 'avg-pool2d', poolSize: 2, stride: 1, padding: 'same' }, 'global-avg-pool', { type: 'dense', units: 3 }],
      { 'layers.3.weight': tensor([1, 3]), 'layers.3.bias': tensor([3]) },
    );
    const [max, avg, global, flatten] = model.graph.node;
    expect(attributes(max!)).toEqual({ kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] });
    expect(attributes(avg!)).toEqual({ kernel_shape: [2, 2], strides: [1, 1], pads: [0, 0, 1, 1], count_include_pad: 0 });
    expect(global).toMatchObject({ opType: 'GlobalAveragePool', input: ['layers.1.output'], output: ['layers.2.pooled'] });
    expect(flatten).toMatchObject({ opType: 'Flatten', input: ['layers.2.pooled'], output: ['layers.2.output'] });
  });

  it('batch-norm -> BatchNormalization with gamma, beta and the running statistics (state), epsilon, ONNX momentum 1 - momentum', () => {
    const { model } = exportOf(
      [3],
      [{ type: 'batch-norm', epsilon: 1e-3, momentum: 0.25 }],
      { 'layers.0.gamma': tensor([3], 1), 'layers.0.beta': tensor([3], 2), 'layers.0.runningMean': tensor([3], 3), 'layers.0.runningVariance': tensor([3], 4) },
      { state: [{ name: 'layers.0.runningMean', shape: [3] }, { name: 'layers.0.runningVariance', shape: [3] }] },
    );
    const bn = model.graph.node[0]!;
    expect(bn.input).toEqual(['input', 'layers.0.gamma', 'layers.0.beta', 'layers.0.runningMean', 'layers.0.runningVariance']);
    expect(attributes(bn)).toEqual({ epsilon: 1e-3, momentum: 0.75 });
  });

  it('activations, and softmax over a whole image sample: Flatten, Softmax, Reshape back with the batch kept', () => {
    const { model } = exportOf([1, 1, 3], ['relu', 'sigmoid', 'tanh', { type: 'leaky-relu', slope: 0.2 }, 'softmax', 'flatten']);
    expect(ops(model)).toEqual(['Relu', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Flatten', 'Softmax', 'Reshape', 'Flatten', 'Softmax']);
    expect(attributes(model.graph.node[3]!)).toEqual({ alpha: 0.2 });
    const reshape = model.graph.node[6]!;
    const shape = initialiser(model, reshape.input[1]!);
    expect(shape).toMatchObject({ dataType: 7, dims: [4], int64Data: [0, 1, 1, 3] });
  });

  it('dropout writes no node; a last dropout before scores ends in an Identity to the output', () => {
    const { model, output } = exportOf([3], [{ type: 'dropout' }], {}, { loss: { type: 'quadratic' } });
    expect(output).toEqual({ name: 'scores', shape: ['N', 3] });
    expect(model.graph.node).toMatchObject([{ opType: 'Identity', input: ['input'], output: ['scores'] }]);
  });

  it('reshape -> Reshape to [0, ...shape]; a raw input shape other than model.input (same size) is reshaped first', () => {
    const { model, input } = exportOf([1, 1, 3], ['flatten', { type: 'reshape', shape: [3, 1] }, 'flatten'], {}, {}, { inputShape: [3] });
    expect(input).toEqual({ name: 'input', shape: ['N', 3] });
    expect(ops(model)).toEqual(['Reshape', 'Flatten', 'Reshape', 'Flatten', 'Softmax']);
    expect(initialiser(model, model.graph.node[0]!.input[1]!).int64Data).toEqual([0, 1, 1, 3]);
    expect(initialiser(model, model.graph.node[2]!.input[1]!).int64Data).toEqual([0, 3, 1]);
  });
});

describe('exportOnnxModel: preprocessing, loss, metadata', () => {
  const standardised = (perPixel: boolean, mean: number | number[], std: number | number[]) => ({
    options: { type: 'standardise', perPixel, epsilon: 1e-8 },
    state: { mean, std },
  });

  it('scale -> Div, standardise -> Sub and Div (a std at or below epsilon divides by 1), flatten -> Flatten, then the network', () => {
    const { model, input } = exportOf(
      [3],
      [{ type: 'dense', units: 3 }],
      { 'layers.0.weight': tensor([3, 3]), 'layers.0.bias': tensor([3]) },
      { preprocess: [{ options: { type: 'scale', divisor: 255 }, state: {} }, standardised(true, [0.5, 0.25, 0], [2, 0, 4]), { options: { type: 'flatten' }, state: {} }] },
      { inputShape: [1, 1, 3] },
    );
    expect(input.shape).toEqual(['N', 1, 1, 3]);
    expect(ops(model)).toEqual(['Div', 'Sub', 'Div', 'Flatten', 'Gemm', 'Softmax']);
    expect(floats(initialiser(model, 'preprocess.0.divisor'))).toEqual([255]);
    expect(initialiser(model, 'preprocess.1.mean').dims).toEqual([1, 1, 3]);
    expect(floats(initialiser(model, 'preprocess.1.std'))).toEqual([2, 1, 4]);
    expect(model.graph.node[4]!.input[0]).toBe('preprocess.2.output');
  });

  it('global standardise uses scalars; --no-preprocess (preprocess: false) leaves the steps out and takes model.input', () => {
    const description = { preprocess: [standardised(false, 33.3, 78.5)] };
    const weights = { 'layers.0.weight': tensor([4, 3]), 'layers.0.bias': tensor([3]) };
    const withSteps = exportOf([4], [{ type: 'dense', units: 3 }], weights, description, { inputShape: [1, 2, 2] });
    expect(initialiser(withSteps.model, 'preprocess.0.mean')).toMatchObject({ dims: [] });
    expect(ops(withSteps.model)).toEqual(['Sub', 'Div', 'Flatten', 'Gemm', 'Softmax']);
    const without = exportOf([4], [{ type: 'dense', units: 3 }], weights, description, { inputShape: [1, 2, 2], preprocess: false });
    expect(without.input.shape).toEqual(['N', 4]);
    expect(ops(without.model)).toEqual(['Gemm', 'Softmax']);
    expect(without.model.metadataProps).toContainEqual({ key: 'preprocessing', value: 'left out' });
  });

  it('a preprocessing step without a mapping, or raw input of another size, is an OnnxExportError saying what to do', () => {
    const run = (preprocess: ExportableModel['preprocess'], inputShape: number[]) => () => exportOf([3], ['relu'], {}, { preprocess }, { inputShape });
    expect(run([{ options: { type: 'acme/clip' }, state: {} }], [3])).toThrow(/^preprocess\[0\] \(acme\/clip\): this preprocessing step has no ONNX mapping.*--no-preprocess/);
    expect(run([], [4])).toThrow(/^model\.input: the raw input \[4\] becomes \[4\] \(4 values\) after preprocessing, but the network takes \[3\]/);
    expect(run([], [4])).toThrow(OnnxExportError);
  });

  it('the output follows the loss: probabilities (Softmax), scores, or the network outputs with a warning', () => {
    expect(exportOf([3], ['relu']).output.name).toBe('probabilities');
    expect(exportOf([3], ['relu'], {}, { loss: { type: 'sum-squared-error' } })).toMatchObject({ output: { name: 'scores' }, warnings: [] });
    const plugin = exportOf([3], ['relu'], {}, { loss: { type: 'acme/focal' } });
    expect(plugin.output.name).toBe('outputs');
    expect(ops(plugin.model)).toEqual(['Relu']);
    expect(plugin.warnings[0]).toMatch(/the loss acme\/focal is not built in/);
  });

  it('writes producer, opset, IR version, metadata and value types, and encodes to a file that decodes to the same model', () => {
    const { model } = exportOf([3], ['relu'], {}, { name: 'tiny' }, { opset: 13, scratchnetVersion: '1.2.3' });
    expect(model).toMatchObject({ irVersion: 7, opsetImport: [{ domain: '', version: 13 }], producerName: 'scratchnet', producerVersion: '1.2.3' });
    expect(model.metadataProps).toEqual([
      { key: 'classNames', value: '["a","b","c"]' },
      { key: 'modelName', value: 'tiny' },
      { key: 'scratchnetVersion', value: '1.2.3' },
      { key: 'preprocessing', value: '[]' },
    ]);
    expect(model.graph.input[0]!.type!.tensorType).toEqual({ elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 3 }] } });
    expect(model.graph.output[0]!.name).toBe('probabilities');
    expect(exportOf([3], ['relu'], {}, {}, { opset: 21 }).model.irVersion).toBe(10);
    const decoded = decodeModel(encodeModel(model));
    expect(decoded.graph.node.map((n) => n.opType)).toEqual(['Relu', 'Softmax']);
    expect(decoded.metadataProps).toEqual(model.metadataProps);
  });

  it('refuses an opset outside 13..21', () => {
    expect(() => exportOf([3], ['relu'], {}, {}, { opset: 12 })).toThrow(/opset must be an integer from 13 to 21, got 12/);
    expect(() => exportOf([3], ['relu'], {}, {}, { opset: 22 })).toThrow(RangeError);
  });
});

describe('exportOnnxModel: plugin layers', () => {
  const base = {
    kind: 'layer' as const,
    specVersion: SPEC_VERSION,
    description: 'test layer',
    optionsSchema: { type: 'object', properties: { factor: { type: 'number', default: 2 } }, additionalProperties: false },
    outputShape: (shape: readonly number[]) => [...shape],
    create: () => {
      throw new Error('not built in these tests');
    },
  };

  it('a layer without toOnnx: an error naming its index and type and the toOnnx hook', () => {
    const r = registry(defineLayer({ ...base, type: 'double' }) as LayerPlugin<never>);
    expect(() => exportOf([3], ['relu', 'acme/double'], {}, {}, { registry: r })).toThrow(
      /^model\.layers\[1\] \(acme\/double\): layer 1 \(acme\/double\) has no ONNX mapping: .*toOnnx\(context\).*docs\/plugins\.md/,
    );
  });

  it("uses a plugin's toOnnx: its initialisers and names under layers.<i>., its options and shapes given", () => {
    const seen: unknown[] = [];
    const scale = defineLayer<{ factor: number }>({
      ...base,
      type: 'scale-by',
      toOnnx({ options, input, output, inputShape, outputShape, opset, addInitializer, uniqueName }) {
        seen.push({ options, input, output, inputShape, outputShape, opset });
        const factor = addInitializer('factor', { shape: [], data: Float32Array.of(options.factor) });
        const scaled = uniqueName('scaled');
        return [
          { opType: 'Mul', inputs: [input, factor], outputs: [scaled] },
          { opType: 'Identity', inputs: [scaled], outputs: [output] },
        ];
      },
    });
    const { model } = exportOf([3], ['relu', { type: 'acme/scale-by', factor: 3 }], {}, {}, { registry: registry(scale as LayerPlugin<never>) });
    expect(seen).toEqual([{ options: { type: 'acme/scale-by', factor: 3 }, input: 'layers.0.output', output: 'layers.1.output', inputShape: [3], outputShape: [3], opset: 17 }]);
    expect(ops(model)).toEqual(['Relu', 'Mul', 'Identity', 'Softmax']);
    expect(model.graph.node[1]!).toMatchObject({ input: ['layers.0.output', 'layers.1.factor'], output: ['layers.1.scaled'], name: 'model.layers.1/Mul' });
    expect(floats(initialiser(model, 'layers.1.factor'))).toEqual([3]);
  });

  it.each([
    ['reads a value that does not exist', () => [{ opType: 'Relu', inputs: ['nowhere'], outputs: ['x'] }], /node 0 \(Relu\): input "nowhere" is not a value of the graph/],
    ['never writes its output', (c: { input: string; uniqueName(h: string): string }) => [{ opType: 'Relu', inputs: [c.input], outputs: [c.uniqueName('y')] }], /no node writes the layer's output "layers\.0\.output"/],
    ['writes the graph input again', (c: { input: string }) => [{ opType: 'Relu', inputs: [c.input], outputs: [c.input] }], /output "input" must be a new value name/],
    ['gives an attribute of no known kind', (c: { input: string; output: string }) => [{ opType: 'Relu', inputs: [c.input], outputs: [c.output], attributes: { alpha: 0.5 } }], /attribute alpha: expected one of \{ int \}/],
    ['throws', () => {
      throw new Error('boom');
    }, /the plugin's toOnnx threw: boom/],
  ])('a toOnnx that %s is a clear error blaming the plugin', (_label, toOnnx, message) => {
    const broken = { ...base, type: 'broken', toOnnx } as unknown as LayerPlugin<never>;
    const run = () => exportOf([3], ['acme/broken'], {}, {}, { registry: registry(broken) });
    expect(run).toThrow(message);
    expect(run).toThrow(/^model\.layers\[0\] \(acme\/broken\): /);
    if (!String(message).includes('threw')) expect(run).toThrow(/This is a bug in the plugin's toOnnx\.$/);
  });
});
