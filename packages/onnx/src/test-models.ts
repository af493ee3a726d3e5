// Test-only: small ONNX models built by hand. Excluded from the build (test-*.ts).
import { AttributeType, TensorDataType, type AttributeProto, type ModelProto, type TensorProto, type ValueInfoProto } from './onnx-types.js';

/** An attribute with the empty repeated fields filled in. */
export function attribute(name: string, type: number, value: Partial<AttributeProto> = {}): AttributeProto {
  return { name, type, floats: [], ints: [], strings: [], ...value };
}

/** A tensor with the empty repeated fields filled in. */
export function tensor(dataType: number, dims: readonly number[], value: Partial<TensorProto> = {}): TensorProto {
  return { dims, dataType, floatData: [], int32Data: [], int64Data: [], doubleData: [], externalData: [], ...value };
}

/** A float32 initialiser stored as raw_data (little-endian), the way PyTorch stores every weight. */
export function floatInitialiser(name: string, dims: readonly number[], values: readonly number[]): TensorProto {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  values.forEach((value, i) => view.setFloat32(4 * i, value, true));
  return tensor(TensorDataType.FLOAT, dims, { name, rawData: raw });
}

/** A float tensor value with a dynamic batch dimension named N. */
export function batchedFloat(name: string, features: readonly number[]): ValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: TensorDataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, ...features.map((dimValue) => ({ dimValue }))] } } },
  };
}

/** n values in (-1, 1) from a fixed sequence: the weights of the test models. */
export function weights(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.fround(Math.sin(seed * 1000 + i * 12.9898) * 0.9));
}

/**
 * The MLP an `runner export` of a tutorial network would write: the input [N, 2, 2] reshaped to
 * [N, 4] (the shape comes from a Constant holding int64 [-1, 4], so a negative int64 is in the
 * file), Gemm 4->5, Relu, Gemm 5->3, Softmax; float weights as raw_data; opset 17; class names
 * and the scratchnet version as metadata; a dynamic batch dimension N.
 */
export function mlpModel(): ModelProto {
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'scratchnet',
    producerVersion: '0.1.0',
    docString: 'A 4-5-3 multilayer perceptron.',
    graph: {
      name: 'mlp',
      node: [
        {
          input: [],
          output: ['shape'],
          name: 'shape',
          opType: 'Constant',
          attribute: [attribute('value', AttributeType.TENSOR, { t: tensor(TensorDataType.INT64, [2], { int64Data: [-1, 4] }) })],
        },
        { input: ['input', 'shape'], output: ['flat'], name: 'reshape', opType: 'Reshape', attribute: [] },
        {
          input: ['flat', 'dense0.weight', 'dense0.bias'],
          output: ['dense0'],
          name: 'dense0',
          opType: 'Gemm',
          attribute: [attribute('alpha', AttributeType.FLOAT, { f: 1 }), attribute('transB', AttributeType.INT, { i: 1 })],
        },
        { input: ['dense0'], output: ['relu0'], name: 'relu0', opType: 'Relu', attribute: [] },
        {
          input: ['relu0', 'dense1.weight', 'dense1.bias'],
          output: ['dense1'],
          name: 'dense1',
          opType: 'Gemm',
          attribute: [attribute('transB', AttributeType.INT, { i: 1 })],
        },
        {
          input: ['dense1'],
          output: ['probabilities'],
          name: 'softmax',
          opType: 'Softmax',
          domain: '',
          attribute: [attribute('axis', AttributeType.INT, { i: -1 })],
          docString: 'class probabilities',
        },
      ],
      initializer: [
        floatInitialiser('dense0.weight', [5, 4], weights(20, 1)),
        floatInitialiser('dense0.bias', [5], weights(5, 2)),
        floatInitialiser('dense1.weight', [3, 5], weights(15, 3)),
        floatInitialiser('dense1.bias', [3], weights(3, 4)),
      ],
      input: [{ ...batchedFloat('input', [2, 2]), docString: 'raw pixels' }],
      output: [batchedFloat('probabilities', [3])],
      valueInfo: [batchedFloat('flat', [4])],
    },
    metadataProps: [
      { key: 'class_names', value: '["cat","dog","bird"]' },
      { key: 'scratchnet_version', value: '0.1.0' },
    ],
  };
}
