// The ONNX -> scratchnet mapping: the PyTorch fixture, a hand-built MLP, and every refusal naming the node.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../onnx-decode.js';
import { AttributeType, TensorDataLocation, TensorDataType, type ModelProto, type NodeProto } from '../onnx-types.js';
import { attribute, batchedFloat, floatInitialiser, mlpModel, tensor, weights } from '../test-models.js';
import { importOnnxModel } from './import-model.js';
import { OnnxImportError } from './onnx-import-error.js';

const lenet = decodeModel(new Uint8Array(readFileSync(new URL('../../fixtures/pytorch-lenet.onnx', import.meta.url))), { file: 'pytorch-lenet.onnx' });

/** The MLP with its graph changed by `edit`. */
function mlpWith(edit: (graph: ModelProto['graph']) => Partial<ModelProto['graph']>, metadata?: ModelProto['metadataProps']): ModelProto {
  const model = mlpModel();
  return { ...model, graph: { ...model.graph, ...edit(model.graph) }, ...(metadata === undefined ? {} : { metadataProps: metadata }) };
}

function refusal(model: ModelProto): OnnxImportError {
  try {
    importOnnxModel(model, { file: 'm.onnx' });
  } catch (error) {
    expect(error).toBeInstanceOf(OnnxImportError);
    expect((error as OnnxImportError).code).toBe('MODEL_FORMAT');
    return error as OnnxImportError;
  }
  throw new Error('expected an OnnxImportError');
}

const replaceNode = (graph: ModelProto['graph'], name: string, node: Partial<NodeProto>): NodeProto[] =>
  graph.node.map((n) => (n.name === name ? { ...n, ...node } : n));

describe('importOnnxModel', () => {
  it('maps the PyTorch LeNet: conv, relu, max-pool, flatten, dense with transposed weights, logits', () => {
    const imported = importOnnxModel(lenet, { file: 'pytorch-lenet.onnx' });
    expect(imported.input).toEqual([1, 28, 28]);
    expect(imported.layers).toEqual([
      { type: 'conv2d', filters: 4, kernelSize: 5, stride: 1, padding: 'valid', dilation: 1, useBias: true },
      { type: 'relu' },
      { type: 'max-pool2d', poolSize: 2, stride: 2, padding: 'valid' },
      { type: 'conv2d', filters: 8, kernelSize: 5, stride: 1, padding: 'valid', dilation: 1, useBias: true },
      { type: 'relu' },
      { type: 'max-pool2d', poolSize: 2, stride: 2, padding: 'valid' },
      { type: 'flatten' },
      { type: 'dense', units: 32, useBias: true },
      { type: 'relu' },
      { type: 'dense', units: 10, useBias: true },
    ]);
    expect(imported.ending).toBe('logits');
    expect(imported.loss).toEqual({ type: 'softmax-cross-entropy' });
    expect(imported.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect([...imported.tensors].map(([name, t]) => [name, t.shape])).toEqual([
      ['layers.0.weight', [4, 1, 5, 5]],
      ['layers.0.bias', [4]],
      ['layers.3.weight', [8, 4, 5, 5]],
      ['layers.3.bias', [8]],
      ['layers.7.weight', [128, 32]],
      ['layers.7.bias', [32]],
      ['layers.9.weight', [32, 10]],
      ['layers.9.bias', [10]],
    ]);
    expect(imported.producer).toMatch(/^pytorch /);
  });

  it('transposes Gemm weights with transB = 1 into dense [in, units]', () => {
    const imported = importOnnxModel(mlpModel());
    const stored = weights(20, 1); // [5, 4]
    const weight = imported.tensors.get('layers.0.weight')!;
    expect(weight.shape).toEqual([4, 5]);
    for (let i = 0; i < 4; i++) for (let o = 0; o < 5; o++) expect(weight.data[i * 5 + o]).toBe(stored[o * 4 + i]);
  });

  it('drops a final Softmax into the loss, reads a Reshape in front as model.input and the class names from the metadata', () => {
    const imported = importOnnxModel(mlpModel());
    expect(imported.layers.map((l) => l.type)).toEqual(['dense', 'relu', 'dense']);
    expect(imported.ending).toBe('softmax');
    expect(imported.classNames).toEqual(['cat', 'dog', 'bird']);
    expect(imported.rawInput).toEqual([2, 2]);
    expect(imported.input).toEqual([4]);
  });

  it('fuses MatMul + Add into one dense layer with a bias, and reads Div by a constant as scale', () => {
    const model = mlpWith((graph) => ({
      node: [
        { input: ['input', 'k'], output: ['scaled'], name: 'div', opType: 'Div', attribute: [] },
        { input: ['scaled'], output: ['flat'], name: 'flat', opType: 'Flatten', attribute: [] },
        { input: ['flat', 'w'], output: ['mm'], name: 'mm', opType: 'MatMul', attribute: [] },
        { input: ['b', 'mm'], output: ['out'], name: 'add', opType: 'Add', attribute: [] },
      ],
      initializer: [floatInitialiser('k', [], [255]), floatInitialiser('w', [4, 3], weights(12, 5)), floatInitialiser('b', [3], weights(3, 6))],
      output: [batchedFloat('out', [3])],
      input: graph.input,
    }));
    const imported = importOnnxModel(model);
    expect(imported.preprocess).toEqual([{ options: { type: 'scale', divisor: 255 }, state: {} }]);
    expect(imported.layers).toEqual([{ type: 'dense', units: 3, useBias: true }]);
    expect(imported.tensors.get('layers.0.weight')!.data).toEqual(Float32Array.from(weights(12, 5)));
    expect(imported.tensors.get('layers.0.bias')!.data).toEqual(Float32Array.from(weights(3, 6)));
  });

  it("reads uneven pads as scratchnet's 'same' padding, and a final Sigmoid as scores (quadratic loss)", () => {
    const conv = lenet.graph.node.findIndex((n) => n.opType === 'Conv');
    const pads = attribute('pads', AttributeType.INTS, { ints: [1, 1, 2, 2] }); // 4x4 'same' padding; the 5x5 kernel of the fixture needs [2, 2, 2, 2]
    const evenKernel = { ...lenet, graph: { ...lenet.graph, node: lenet.graph.node.map((n, i) => (i === conv ? { ...n, attribute: [...n.attribute.filter((a) => a.name !== 'pads'), pads] } : n)) } };
    expect(refusal(evenKernel).message).toContain("expected symmetric pads (top = bottom and left = right), or the 'same' padding of this input, found [1, 1, 2, 2]");
    const sigmoid = mlpWith((graph) => ({ node: replaceNode(graph, 'softmax', { opType: 'Sigmoid', attribute: [] }) }));
    const imported = importOnnxModel(sigmoid);
    expect(imported.ending).toBe('scores');
    expect(imported.loss).toEqual({ type: 'quadratic' });
    expect(imported.layers.at(-1)).toEqual({ type: 'sigmoid' });
  });

  it('refuses an unsupported operator naming the node, its op_type and the supported list', () => {
    const error = refusal(mlpWith((graph) => ({ node: replaceNode(graph, 'relu0', { opType: 'Cos' }) })));
    expect(error.message).toMatch(/^m\.onnx: node 3 "relu0" \(Cos\): expected one of the supported operators \(Gemm, MatMul/);
    expect(error.message).toContain('found Cos');
  });

  it('refuses a branch: a node that does not read the previous output', () => {
    const error = refusal(mlpWith((graph) => ({ node: replaceNode(graph, 'relu0', { input: ['flat'] }) })));
    expect(error.message).toContain('node 3 "relu0" (Relu): expected the previous node\'s output "dense0"');
  });

  it('refuses a missing initializer, a weight of the wrong size, non-float and external weights', () => {
    expect(refusal(mlpWith((graph) => ({ initializer: graph.initializer.slice(1) }))).message).toContain('node 2 "dense0" (Gemm): expected the previous node');
    const wrongBytes = mlpWith((graph) => ({ initializer: [floatInitialiser('dense0.weight', [5, 4], weights(19, 1)), ...graph.initializer.slice(1)] }));
    expect(refusal(wrongBytes).message).toContain('80 bytes of raw_data (20 float32 values), found 76 bytes');
    const wrongDims = mlpWith((graph) => ({ initializer: [floatInitialiser('dense0.weight', [4, 5], weights(20, 1)), ...graph.initializer.slice(1)] }));
    expect(refusal(wrongDims).message).toContain('expected weight B of shape [units, 4] for 4 input features, found [4, 5]');
    const doubles = mlpWith((graph) => ({ initializer: [tensor(TensorDataType.DOUBLE, [5, 4], { name: 'dense0.weight', doubleData: weights(20, 1) }), ...graph.initializer.slice(1)] }));
    expect(refusal(doubles).message).toContain('of type FLOAT (float32), found DOUBLE');
    const external = mlpWith((graph) => ({
      initializer: [tensor(TensorDataType.FLOAT, [5, 4], { name: 'dense0.weight', dataLocation: TensorDataLocation.EXTERNAL }), ...graph.initializer.slice(1)],
    }));
    expect(refusal(external).message).toContain('found external data');
  });

  it('refuses NaN weights, Gemm with alpha != 1, asymmetric conv pads and class names that do not fit', () => {
    const nan = mlpWith((graph) => ({ initializer: [floatInitialiser('dense0.bias', [5], [0, 0, Number.NaN, 0, 0]), ...graph.initializer.filter((t) => t.name !== 'dense0.bias')] }));
    expect(refusal(nan).message).toContain('finite values in bias C "dense0.bias", found NaN at index 2');
    const alpha = mlpWith((graph) => ({ node: replaceNode(graph, 'dense1', { attribute: [attribute('alpha', AttributeType.FLOAT, { f: 2 })] }) }));
    expect(refusal(alpha).message).toContain('node 4 "dense1" (Gemm): expected alpha = 1 and beta = 1');
    const pads = { ...lenet, graph: { ...lenet.graph, node: lenet.graph.node.map((n, i) => (i === 0 ? { ...n, attribute: [...n.attribute.filter((a) => a.name !== 'pads'), attribute('pads', AttributeType.INTS, { ints: [1, 1, 0, 0] })] } : n)) } };
    expect(refusal(pads).message).toContain('(Conv): expected symmetric pads');
    const names = mlpWith(() => ({}), [{ key: 'class_names', value: '["a","b"]' }]);
    expect(refusal(names).message).toBe('m.onnx: metadata_props "class_names": expected 3 class names (one per output of the graph), found 2. Fix or remove the metadata entry.');
  });

  it('refuses a graph whose output is not the end of the chain, and a second data input', () => {
    expect(refusal(mlpWith(() => ({ output: [batchedFloat('relu0', [5])] }))).message).toContain('graph.output: expected one output, the last node\'s "probabilities"');
    expect(refusal(mlpWith((graph) => ({ input: [...graph.input, batchedFloat('extra', [1])] }))).message).toContain('graph.input: expected one data input');
  });
});
