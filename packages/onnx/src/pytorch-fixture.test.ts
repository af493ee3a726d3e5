// The reader against a file PyTorch wrote: fixtures/pytorch-lenet.onnx, made by
// fixtures/make-pytorch-lenet.py with Debian's python3-torch (torch.onnx.export, opset 13).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, OnnxFormatError, TensorDataType, type NodeProto, type TensorProto } from './index.js';

const onnxFile = new URL('../fixtures/pytorch-lenet.onnx', import.meta.url);
const bytes = new Uint8Array(readFileSync(onnxFile));
const expected = JSON.parse(readFileSync(new URL('../fixtures/pytorch-lenet.expected.json', import.meta.url), 'utf8')) as {
  readonly opset: number;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Base64 of the inputs' 7,840 bytes; each input value is its byte / 256. */
  readonly inputBytes: string;
  readonly outputs: readonly (readonly number[])[];
};
const inputs = Float32Array.from(Buffer.from(expected.inputBytes, 'base64'), (byte) => byte / 256);
const model = decodeModel(bytes, { file: 'pytorch-lenet.onnx' });

/** A float32 initialiser's values (PyTorch stores them as little-endian raw_data). */
function values(tensor: TensorProto): Float32Array {
  const raw = tensor.rawData!;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Float32Array.from({ length: raw.length / 4 }, (_, i) => view.getFloat32(4 * i, true));
}

function ints(node: NodeProto, name: string): readonly number[] | number | undefined {
  const attribute = node.attribute.find((a) => a.name === name);
  return attribute?.ints.length ? attribute.ints : attribute?.i;
}

describe('pytorch-lenet.onnx (torch.onnx.export, opset 13)', () => {
  it('is a small committed file', () => {
    expect(bytes.length).toBeLessThan(100 * 1024);
  });

  it('has the header torch writes: IR version 7, producer pytorch, the ONNX operator set 13', () => {
    expect(model.irVersion).toBe(7);
    expect(model.producerName).toBe('pytorch');
    expect(model.opsetImport).toEqual([{ version: expected.opset }]);
    expect(expected.opset).toBe(13);
  });

  it('has the LeNet layers as ONNX ops, in order', () => {
    expect(model.graph.node.map((node) => node.opType)).toEqual(['Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Relu', 'Gemm']);
    const [conv1, , pool1, , , , flatten, fc1] = model.graph.node;
    expect(conv1!.input).toEqual(['input', 'conv1.weight', 'conv1.bias']);
    expect([ints(conv1!, 'kernel_shape'), ints(conv1!, 'strides'), ints(conv1!, 'pads'), ints(conv1!, 'dilations'), ints(conv1!, 'group')]).toEqual([[5, 5], [1, 1], [0, 0, 0, 0], [1, 1], 1]);
    expect([ints(pool1!, 'kernel_shape'), ints(pool1!, 'strides'), ints(pool1!, 'ceil_mode')]).toEqual([[2, 2], [2, 2], 0]);
    expect(ints(flatten!, 'axis')).toBe(1);
    expect(ints(fc1!, 'transB')).toBe(1);
    expect(fc1!.attribute.find((a) => a.name === 'alpha')?.f).toBe(1);
    expect(model.graph.node.at(-1)?.output).toEqual(['logits']);
  });

  it('has float initialisers of the right shapes, as raw_data', () => {
    const shapes = Object.fromEntries(model.graph.initializer.map((tensor) => [tensor.name, tensor.dims]));
    expect(shapes).toEqual({
      'conv1.weight': [4, 1, 5, 5],
      'conv1.bias': [4],
      'conv2.weight': [8, 4, 5, 5],
      'conv2.bias': [8],
      'fc1.weight': [32, 128],
      'fc1.bias': [32],
      'fc2.weight': [10, 32],
      'fc2.bias': [10],
    });
    for (const tensor of model.graph.initializer) {
      expect(tensor.dataType).toBe(TensorDataType.FLOAT);
      expect(tensor.rawData?.length).toBe(4 * tensor.dims.reduce((a, b) => a * b, 1));
      expect(tensor.floatData).toEqual([]);
    }
  });

  it('declares the input and output with a dynamic batch dimension N', () => {
    const shape = (dims: readonly { dimValue?: number; dimParam?: string }[] | undefined) => dims?.map((d) => d.dimParam ?? d.dimValue);
    expect(model.graph.input.map((v) => v.name)).toEqual(['input']);
    expect(model.graph.input[0]?.type?.tensorType?.elemType).toBe(TensorDataType.FLOAT);
    expect(shape(model.graph.input[0]?.type?.tensorType?.shape?.dim)).toEqual(['N', 1, 28, 28]);
    expect(model.graph.output.map((v) => v.name)).toEqual(['logits']);
    expect(shape(model.graph.output[0]?.type?.tensorType?.shape?.dim)).toEqual(['N', 10]);
  });

  it('refuses every truncation of the file (torch writes opset_import after the graph, and no metadata)', () => {
    let refused = 0;
    for (let length = 0; length < bytes.length; length++) {
      expect(() => decodeModel(bytes.subarray(0, length)), `prefix of ${length} bytes`).toThrow(OnnxFormatError);
      refused++;
    }
    expect(refused).toBe(bytes.length);
  });

  it('re-encodes to the very bytes torch wrote (same field order, same packing)', () => {
    expect(Buffer.from(encodeModel(model)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('holds weights that give torch’s logits for the 10 expected inputs', () => {
    expect(expected.inputShape).toEqual([10, 1, 28, 28]);
    expect(expected.outputShape).toEqual([10, 10]);
    const weights = Object.fromEntries(model.graph.initializer.map((tensor) => [tensor.name!, values(tensor)]));
    expect(inputs).toHaveLength(10 * 784);
    for (let i = 0; i < 10; i++) {
      const logits = lenet(inputs.subarray(i * 784, (i + 1) * 784), weights);
      const torch = expected.outputs[i]!;
      for (let k = 0; k < 10; k++) expect(Math.abs(logits[k]! - torch[k]!), `sample ${i} logit ${k}`).toBeLessThan(1e-5);
    }
  });
});

/** The fixture's network on one [1, 28, 28] sample, the plain way: a check of the decoded weights, not a kernel. */
function lenet(image: Float32Array, w: Record<string, Float32Array>): Float64Array {
  const x1 = maxPool(relu(conv(image, 1, 28, w['conv1.weight']!, w['conv1.bias']!, 4)), 4, 24); // [4, 12, 12]
  const x2 = maxPool(relu(conv(x1, 4, 12, w['conv2.weight']!, w['conv2.bias']!, 8)), 8, 8); // [8, 4, 4]
  return gemm(relu(gemm(x2, w['fc1.weight']!, w['fc1.bias']!, 32)), w['fc2.weight']!, w['fc2.bias']!, 10);
}

/** Valid 5x5 convolution, stride 1: [c, s, s] -> [k, s - 4, s - 4]. */
function conv(x: ArrayLike<number>, c: number, s: number, weight: Float32Array, bias: Float32Array, k: number): Float64Array {
  const o = s - 4;
  const y = new Float64Array(k * o * o);
  for (let f = 0; f < k; f++)
    for (let r = 0; r < o; r++)
      for (let q = 0; q < o; q++) {
        let sum = bias[f]!;
        for (let ch = 0; ch < c; ch++)
          for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) sum += weight[((f * c + ch) * 5 + i) * 5 + j]! * x[(ch * s + r + i) * s + q + j]!;
        y[(f * o + r) * o + q] = sum;
      }
  return y;
}

/** 2x2 max pooling, stride 2: [c, s, s] -> [c, s / 2, s / 2]. */
function maxPool(x: Float64Array, c: number, s: number): Float64Array {
  const o = s / 2;
  const y = new Float64Array(c * o * o);
  for (let ch = 0; ch < c; ch++)
    for (let r = 0; r < o; r++)
      for (let q = 0; q < o; q++) {
        const at = (ch * s + 2 * r) * s + 2 * q;
        y[(ch * o + r) * o + q] = Math.max(x[at]!, x[at + 1]!, x[at + s]!, x[at + s + 1]!);
      }
  return y;
}

function relu(x: Float64Array): Float64Array {
  return x.map((v) => Math.max(0, v));
}

/** Gemm with transB = 1: y = W x + b, W [n, x.length]. */
function gemm(x: Float64Array, weight: Float32Array, bias: Float32Array, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let sum = bias[j]!;
    for (let i = 0; i < x.length; i++) sum += weight[j * x.length + i]! * x[i]!;
    y[j] = sum;
  }
  return y;
}
