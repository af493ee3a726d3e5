import { TensorDataLocation, TensorDataType, type TensorProto } from '../onnx-types.js';
import type { ImportedTensor, NodeContext } from './node-context.js';

const TYPE_NAMES = Object.fromEntries(Object.entries(TensorDataType).map(([name, value]) => [value, name])) as Record<number, string>;

const typeName = (dataType: number): string => TYPE_NAMES[dataType] ?? `data type ${dataType}`;
const tensorName = (tensor: TensorProto): string => (tensor.name ? JSON.stringify(tensor.name) : '(unnamed)');
const count = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

function checkInline(ctx: NodeContext, tensor: TensorProto, what: string): void {
  if (tensor.dataLocation === TensorDataLocation.EXTERNAL || tensor.externalData.length > 0) {
    throw ctx.fail(
      `${what} ${tensorName(tensor)} stored in the .onnx file`,
      'external data (the values are in another file)',
      'Export the model as one file (models under 2 GB are by default), or re-save it with onnx.save(model, save_as_external_data=False).',
    );
  }
}

/**
 * A FLOAT tensor's values as float32, checked: inline (not external data), exactly as many values
 * as its dims say (from raw_data, 4 bytes each little-endian, or float_data), all finite. The
 * decoder bounds the product of dims, so the copy is never larger than the file allows.
 */
export function floatTensor(ctx: NodeContext, tensor: TensorProto, what: string): ImportedTensor {
  checkInline(ctx, tensor, what);
  if (tensor.dataType !== TensorDataType.FLOAT) {
    throw ctx.fail(`${what} ${tensorName(tensor)} of type FLOAT (float32)`, typeName(tensor.dataType), 'Export the model in float32 (model.float() before torch.onnx.export).');
  }
  const size = count(tensor.dims);
  let data: Float32Array;
  if (tensor.rawData !== undefined) {
    if (tensor.rawData.length !== size * 4) {
      throw ctx.fail(`${what} ${tensorName(tensor)} [${tensor.dims.join(', ')}]: ${size * 4} bytes of raw_data (${size} float32 values)`, `${tensor.rawData.length} bytes`);
    }
    const view = new DataView(tensor.rawData.buffer, tensor.rawData.byteOffset, tensor.rawData.byteLength);
    data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = view.getFloat32(i * 4, true);
  } else {
    if (tensor.floatData.length !== size) {
      throw ctx.fail(`${what} ${tensorName(tensor)} [${tensor.dims.join(', ')}]: ${size} values in float_data`, `${tensor.floatData.length}`);
    }
    data = Float32Array.from(tensor.floatData);
  }
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw ctx.fail(`finite values in ${what} ${tensorName(tensor)}`, `${data[bad]} at index ${bad}`, 'The model is damaged or its training diverged.');
  return { shape: [...tensor.dims], data };
}

/** An INT64 tensor's values (a Reshape's shape), from raw_data (8 bytes each) or int64_data, each a safe integer. */
export function int64Values(ctx: NodeContext, tensor: TensorProto, what: string): number[] {
  checkInline(ctx, tensor, what);
  if (tensor.dataType !== TensorDataType.INT64) throw ctx.fail(`${what} ${tensorName(tensor)} of type INT64`, typeName(tensor.dataType));
  const size = count(tensor.dims);
  if (tensor.rawData === undefined) {
    if (tensor.int64Data.length !== size) throw ctx.fail(`${what} ${tensorName(tensor)}: ${size} values in int64_data`, `${tensor.int64Data.length}`);
    return [...tensor.int64Data];
  }
  if (tensor.rawData.length !== size * 8) throw ctx.fail(`${what} ${tensorName(tensor)}: ${size * 8} bytes of raw_data`, `${tensor.rawData.length} bytes`);
  const view = new DataView(tensor.rawData.buffer, tensor.rawData.byteOffset, tensor.rawData.byteLength);
  const values: number[] = [];
  for (let i = 0; i < size; i++) {
    const value = view.getBigInt64(i * 8, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw ctx.fail(`${what}: integers of at most 2^53`, `${value}`);
    values.push(Number(value));
  }
  return values;
}

/** The dims of a tensor as text, for messages. */
export const formatDims = (dims: readonly number[]): string => `[${dims.join(', ')}]`;

/** The number of values a shape holds. */
export const sizeOf = count;
