import { ModelFormatError } from '@scratchnet/spec';
import { formatShape, shapeSize } from '@scratchnet/tensor';
import type { FloatArray, Shape } from '@scratchnet/tensor';

/**
 * The safetensors byte layout (https://github.com/huggingface/safetensors):
 *
 *   u64 little-endian N | N bytes of JSON header, space-padded | raw little-endian tensor data
 *
 * The header maps each tensor name to `{ dtype, shape, data_offsets: [begin, end] }` (offsets
 * relative to the data section) plus an optional `"__metadata__"` object of string values.
 * Tensors are written back to back in the given order, so the data section has no holes.
 */
export type SafetensorsDType = 'F32' | 'F64';

export interface SafetensorsTensor {
  readonly shape: Shape;
  readonly data: FloatArray;
}

export interface DecodedTensor extends SafetensorsTensor {
  readonly dtype: SafetensorsDType;
}

export interface DecodedSafetensors {
  /** In header order. */
  readonly tensors: ReadonlyMap<string, DecodedTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

const BYTES: Record<SafetensorsDType, number> = { F32: 4, F64: 8 };

const isLittleEndian = (): boolean => new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function dtypeOf(data: FloatArray): SafetensorsDType {
  return data instanceof Float64Array ? 'F64' : 'F32';
}

/** Serialises named tensors (F32 for Float32Array, F64 for Float64Array) and string metadata. */
export function encodeSafetensors(
  tensors: Readonly<Record<string, SafetensorsTensor>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header['__metadata__'] = metadata;
  let offset = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    if (name === '__metadata__') throw new RangeError('a tensor cannot be called "__metadata__"');
    if (shapeSize(tensor.shape) !== tensor.data.length) {
      throw new RangeError(`tensor ${name}: shape ${formatShape(tensor.shape)} does not match ${tensor.data.length} values`);
    }
    const dtype = dtypeOf(tensor.data);
    const end = offset + tensor.data.length * BYTES[dtype];
    header[name] = { dtype, shape: [...tensor.shape], data_offsets: [offset, end] };
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength);
  const dataStart = 8 + headerLength;
  const native = isLittleEndian();
  let position = dataStart;
  for (const tensor of Object.values(tensors)) {
    const data = tensor.data;
    if (native) {
      bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), position);
    } else if (data instanceof Float64Array) {
      for (let i = 0; i < data.length; i++) view.setFloat64(position + i * 8, data[i]!, true);
    } else {
      for (let i = 0; i < data.length; i++) view.setFloat32(position + i * 4, data[i]!, true);
    }
    position += data.byteLength;
  }
  return bytes;
}

function readData(bytes: Uint8Array, start: number, dtype: SafetensorsDType, length: number): FloatArray {
  const copy = bytes.slice(start, start + length * BYTES[dtype]);
  if (isLittleEndian()) return dtype === 'F64' ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer);
  const view = new DataView(copy.buffer);
  const out = dtype === 'F64' ? new Float64Array(length) : new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = dtype === 'F64' ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true);
  return out;
}

const isOffset = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * Parses safetensors bytes, checking every structural rule; failures are ModelFormatErrors that
 * name `file` and, where one is involved, the tensor with expected vs found values.
 */
export function decodeSafetensors(bytes: Uint8Array, file = 'weights.safetensors'): DecodedSafetensors {
  function fail(message: string): never {
    throw new ModelFormatError(file, message);
  }
  if (bytes.length < 8) {
    fail(`expected at least 8 bytes (the header length), found ${bytes.length}. The file is truncated or not safetensors.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(bytes.length - 8)) {
    fail(
      `the header length field says ${declared} bytes, but only ${bytes.length - 8} bytes follow it. ` +
        'The file is truncated or not safetensors.',
    );
  }
  const headerLength = Number(declared);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    fail(`the header is not valid UTF-8 JSON (${(error as Error).message}). The file is damaged or not safetensors.`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    fail('expected the header to be a JSON object of tensors, found ' + JSON.stringify(header));
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: SafetensorsDType; shape: Shape; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      for (const [key, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
        if (typeof value !== 'string') fail(`__metadata__.${key}: expected a string, found ${JSON.stringify(value)}`);
        metadata[key] = value as string;
      }
      continue;
    }
    const entry = (raw ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = entry.dtype;
    if (dtype !== 'F32' && dtype !== 'F64') fail(`tensor ${name}: expected dtype F32 or F64, found ${JSON.stringify(dtype)}`);
    const shape = entry.shape;
    if (!Array.isArray(shape) || !shape.every(isOffset)) {
      fail(`tensor ${name}: expected shape to be a list of non-negative integers, found ${JSON.stringify(shape)}`);
    }
    const offsets = entry.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isOffset) || offsets[0]! > offsets[1]!) {
      fail(`tensor ${name}: expected data_offsets [begin, end] with begin <= end, found ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const needed = shapeSize(shape as Shape) * BYTES[dtype as SafetensorsDType];
    if (end - begin !== needed) {
      fail(`tensor ${name}: shape ${formatShape(shape as Shape)} of ${dtype} needs ${needed} bytes, data_offsets cover ${end - begin}`);
    }
    if (end > dataLength) {
      fail(
        `tensor ${name}: expected data up to byte ${end} of the data section, found only ${dataLength} bytes. ` +
          'The file is truncated.',
      );
    }
    entries.push({ name, dtype: dtype as SafetensorsDType, shape: shape as Shape, begin, end });
  }
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin);
  let expectedBegin = 0;
  for (const entry of byOffset) {
    if (entry.begin !== expectedBegin) {
      fail(`tensor ${entry.name}: expected data to start at byte ${expectedBegin}, found ${entry.begin} (tensors overlap or leave a gap)`);
    }
    expectedBegin = entry.end;
  }
  if (expectedBegin !== dataLength) {
    fail(`expected ${expectedBegin} data bytes after the header, found ${dataLength}. The file is damaged.`);
  }
  const tensors = new Map<string, DecodedTensor>();
  for (const entry of entries) {
    const length = shapeSize(entry.shape);
    tensors.set(entry.name, {
      dtype: entry.dtype,
      shape: entry.shape,
      data: readData(bytes, dataStart + entry.begin, entry.dtype, length),
    });
  }
  return { tensors, metadata };
}
