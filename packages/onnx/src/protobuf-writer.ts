import { WireType } from './wire-type.js';

/**
 * Writes protobuf fields (https://protobuf.dev/programming-guides/encoding/): the handful of
 * encodings ONNX uses and nothing else.
 *
 * - Varints for int32, int64 and enum fields. ONNX declares plain int64 (never sint64), so a
 *   negative value is its 64-bit two's complement: always 10 bytes. There is no zigzag.
 * - Fixed32 for float, fixed64 for double, little-endian.
 * - Length-delimited for strings, bytes, nested messages and packed repeated numbers.
 *
 * Repeated numbers are packed or not exactly as onnx.proto declares them (proto2 packs only
 * fields marked [packed = true]: TensorProto's *_data; dims, ints and floats are one field per
 * value), so the bytes match what protobuf's own serialiser writes for the same message.
 *
 * A nested message is written into a child writer and copied in behind its length, so each byte
 * is copied once per nesting level (at most six for the ONNX messages here). Values that cannot
 * be encoded (an int64 that is not a safe integer) throw a RangeError naming the field's path:
 * they are a bug in the caller, not bad input data.
 */
export class ProtobufWriter {
  #bytes = new Uint8Array(64);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;

  constructor(
    /** Where this writer is in the message tree, for error messages (`graph.node[2]`). */
    readonly path = '',
    private readonly text = new TextEncoder(),
  ) {}

  /** The bytes written so far, as a new array of exactly that length. */
  finish(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  /** An int64 field (wire type 0). */
  int64(field: number, value: number, name: string): void {
    this.#tag(field, WireType.VARINT);
    this.#int64(value, name);
  }

  /** An int32 or enum field: a varint like int64, but the value must fit 32 bits. */
  int32(field: number, value: number, name: string): void {
    if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
      throw new RangeError(`${this.#pathTo(name)}: expected an int32 value, found ${value}.`);
    }
    this.int64(field, value, name);
  }

  /** A float field (wire type 5). */
  float(field: number, value: number): void {
    this.#tag(field, WireType.I32);
    this.#reserve(4);
    this.#view.setFloat32(this.#length, value, true);
    this.#length += 4;
  }

  /** A string field: UTF-8 bytes behind their length. */
  string(field: number, value: string): void {
    this.bytes(field, this.text.encode(value));
  }

  /** A bytes field (wire type 2). */
  bytes(field: number, value: Uint8Array): void {
    this.#tag(field, WireType.LEN);
    this.#varint(value.length, 0);
    this.#append(value);
  }

  /** A nested message, written by `write` into a child writer at path `name`. */
  message(field: number, name: string, write: (child: ProtobufWriter) => void): void {
    const child = new ProtobufWriter(this.#pathTo(name), this.text);
    write(child);
    this.bytes(field, child.finish());
  }

  /** A repeated int64 field without [packed = true]: one tag and varint per value. */
  repeatedInt64(field: number, values: readonly number[], name: string): void {
    for (const [index, value] of values.entries()) this.int64(field, value, `${name}[${index}]`);
  }

  /** A repeated float field without [packed = true]: one tag and fixed32 per value. */
  repeatedFloat(field: number, values: readonly number[]): void {
    for (const value of values) this.float(field, value);
  }

  /** A [packed = true] repeated int64 field: one length-delimited run of varints. Nothing when empty. */
  packedInt64(field: number, values: readonly number[], name: string): void {
    if (values.length === 0) return;
    const run = new ProtobufWriter(this.path, this.text);
    for (const [index, value] of values.entries()) run.#int64(value, `${name}[${index}]`);
    this.bytes(field, run.finish());
  }

  /** A [packed = true] repeated int32 field: int64 varints whose values must fit 32 bits. */
  packedInt32(field: number, values: readonly number[], name: string): void {
    for (const [index, value] of values.entries()) {
      if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
        throw new RangeError(`${this.#pathTo(`${name}[${index}]`)}: expected an int32 value, found ${value}.`);
      }
    }
    this.packedInt64(field, values, name);
  }

  /** A [packed = true] repeated float field: 4 bytes per value. Nothing when empty. */
  packedFloat(field: number, values: readonly number[]): void {
    if (values.length === 0) return;
    this.#tag(field, WireType.LEN);
    this.#varint(values.length * 4, 0);
    this.#reserve(values.length * 4);
    for (const value of values) {
      this.#view.setFloat32(this.#length, value, true);
      this.#length += 4;
    }
  }

  /** A [packed = true] repeated double field: 8 bytes per value. Nothing when empty. */
  packedDouble(field: number, values: readonly number[]): void {
    if (values.length === 0) return;
    this.#tag(field, WireType.LEN);
    this.#varint(values.length * 8, 0);
    this.#reserve(values.length * 8);
    for (const value of values) {
      this.#view.setFloat64(this.#length, value, true);
      this.#length += 8;
    }
  }

  #pathTo(name: string): string {
    return this.path === '' ? name : `${this.path}.${name}`;
  }

  /** The key of a field: (field number << 3) | wire type, as a varint. */
  #tag(field: number, wireType: number): void {
    this.#varint(field * 8 + wireType, 0);
  }

  /** A signed 64-bit integer as protobuf's int64: negative values as two's complement. */
  #int64(value: number, name: string): void {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`${this.#pathTo(name)}: expected an integer within +-(2^53 - 1) for an int64 field, found ${value}.`);
    }
    const magnitude = Math.abs(value);
    const low = magnitude % 2 ** 32;
    const high = Math.floor(magnitude / 2 ** 32);
    if (value >= 0) this.#varint(low, high);
    // Two's complement of the 64-bit magnitude: invert both halves and add one (carrying into the high half).
    else this.#varint((~low + 1) >>> 0, (~high + (low === 0 ? 1 : 0)) >>> 0);
  }

  /** An unsigned 64-bit varint given as two unsigned 32-bit halves: 7 bits per byte, low bits first. */
  #varint(low: number, high: number): void {
    this.#reserve(10);
    while (high !== 0 || low > 0x7f) {
      this.#bytes[this.#length++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    this.#bytes[this.#length++] = low;
  }

  #append(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#bytes.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  /** Room for `extra` more bytes, doubling the buffer as needed. */
  #reserve(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }
}
