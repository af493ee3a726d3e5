import { ModelFormatError } from '@scratchnet/spec';
import { formatShape, shapeSize } from '@scratchnet/tensor';
import type { FloatArray, Shape } from '@scratchnet/tensor';
import { sha256Hex } from './sha256.js';

/**
 * The safetensors byte layout (https://github.com/huggingface/safetensors):
 *
 *   u64 little-endian N | N bytes of JSON header, space-padded | raw little-endian tensor data
 *
 * The header maps each tensor name to `{ dtype, shape, data_offsets: [begin, end] }` (offsets
 * relative to the data section) plus an optional `"__metadata__"` object of string values.
 * Tensors are written back to back in the given order, so the data section has no holes.
 *
 * scratchnet adds `__metadata__["scratchnet.sha256"]`: the SHA-256 of the data section (every
 * byte after the header), as 64 lowercase hex digits. It is a string like all metadata, so other
 * safetensors readers (Python's `safetensors`) read the file as before and ignore it.
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

/** The `__metadata__` key holding the SHA-256 (hex) of the data section. */
export const DIGEST_KEY = 'scratchnet.sha256';

const BYTES: Record<SafetensorsDType, number> = { F32: 4, F64: 8 };

const isLittleEndian = (): boolean => new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function dtypeOf(data: FloatArray): SafetensorsDType {
  return data instanceof Float64Array ? 'F64' : 'F32';
}

/**
 * Serialises named tensors (F32 for Float32Array, F64 for Float64Array) and string metadata,
 * adding the data section's SHA-256 as `__metadata__["scratchnet.sha256"]` (a value given under
 * that key is replaced).
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, SafetensorsTensor>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const entries: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    if (name === '__metadata__') throw new RangeError('a tensor cannot be called "__metadata__"');
    if (shapeSize(tensor.shape) !== tensor.data.length) {
      throw new RangeError(`tensor ${name}: shape ${formatShape(tensor.shape)} does not match ${tensor.data.length} values`);
    }
    const dtype = dtypeOf(tensor.data);
    const end = offset + tensor.data.length * BYTES[dtype];
    entries[name] = { dtype, shape: [...tensor.shape], data_offsets: [offset, end] };
    offset = end;
  }
  const data = new Uint8Array(offset);
  const view = new DataView(data.buffer);
  const native = isLittleEndian();
  let position = 0;
  for (const tensor of Object.values(tensors)) {
    const values = tensor.data;
    if (native) {
      data.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), position);
    } else if (values instanceof Float64Array) {
      for (let i = 0; i < values.length; i++) view.setFloat64(position + i * 8, values[i]!, true);
    } else {
      for (let i = 0; i < values.length; i++) view.setFloat32(position + i * 4, values[i]!, true);
    }
    position += values.byteLength;
  }
  const header = { __metadata__: { ...metadata, [DIGEST_KEY]: sha256Hex(data) }, ...entries };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + headerLength + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength);
  bytes.set(data, 8 + headerLength);
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
 * Parses safetensors bytes, checking every structural rule and, when `__metadata__` holds
 * `scratchnet.sha256`, that the data section still has that digest (a file without one, such as
 * one written before digests or by another tool, cannot be checked and loads as it is).
 * Failures are ModelFormatErrors that name `file` and, where one is involved, the tensor with
 * expected vs found values (or the expected and actual digests).
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
  const expectedDigest = metadata[DIGEST_KEY];
  if (expectedDigest !== undefined) {
    const actualDigest = sha256Hex(bytes.subarray(dataStart));
    if (actualDigest !== expectedDigest) {
      fail(
        `the tensor data does not match its SHA-256 digest: expected ${expectedDigest} (__metadata__.${DIGEST_KEY}), ` +
          `found ${actualDigest}. The file is damaged (changed after it was written); restore it from a copy or write it again.`,
      );
    }
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

/**
 * Throws ModelFormatError naming `file` and the tensor at its first value that is NaN or
 * infinite (weights like that come from a diverged run or a damaged file, and only spread).
 */
export function checkFinite(file: string, name: string, tensor: SafetensorsTensor): void {
  const data = tensor.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new ModelFormatError(
        file,
        `tensor ${name} (shape ${formatShape(tensor.shape)}): value ${i} is ${data[i]}, expected a finite number. ` +
          'The weights come from a diverged run or the file is damaged; use an earlier checkpoint or retrain.',
      );
    }
  }
}
