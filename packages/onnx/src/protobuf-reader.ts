import { OnnxFormatError } from './onnx-format-error.js';
import { describeWireType, WireType } from './wire-type.js';

/** What a reader refuses to go beyond (see DecodeOptions for the defaults and why). */
export interface ReaderLimits {
  readonly maxDepth: number;
  readonly maxElements: number;
}

/**
 * Reads protobuf fields from bytes that may be hostile: truncated, corrupted, or crafted to claim
 * sizes they do not have. Every length is checked against the bytes left in the enclosing message
 * before anything is allocated or read, so the work and memory of a read are bounded by the
 * input's length (plus the limits), and the read ends in a value or an OnnxFormatError.
 *
 * Use: a message decoder loops `while (reader.next())`, switches on `reader.field`, calls the
 * method for that field's type (which checks the wire type) and `skip()`s fields it does not know,
 * so files from newer ONNX versions still read. Nested messages go through `message()`, which
 * narrows the readable range to the nested message's bytes and names it in error paths.
 *
 * Wire types 3 and 4 (groups, deprecated since proto2 and never used by ONNX) are refused rather
 * than skipped.
 */
export class ProtobufReader {
  /** The field number of the key `next()` read. */
  field = 0;
  /** The wire type of the key `next()` read. */
  wireType = 0;

  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  #position = 0;
  /** End of the message being read (exclusive). */
  #end: number;
  /** Start of the message being read, for "missing field" errors. */
  #start = 0;
  #keyOffset = 0;
  readonly #path: string[] = [];
  /** The last varint read, as unsigned 32-bit halves. */
  #low = 0;
  #high = 0;

  constructor(
    bytes: Uint8Array,
    /** Names the input in errors (a file name, or a description such as "ONNX model"). */
    readonly file: string,
    readonly limits: ReaderLimits,
  ) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#end = bytes.length;
  }

  /** Reads the next field key of the current message into `field` and `wireType`; false at the message's end. */
  next(): boolean {
    if (this.#position >= this.#end) return false;
    this.#keyOffset = this.#position;
    this.#varint(undefined, 'a field key');
    if (this.#high !== 0 || this.#low >>> 3 === 0) {
      const found = this.#high !== 0 ? 'a key above 2^32' : `field number 0 (key ${this.#low})`;
      this.fail(this.#keyOffset, undefined, 'a field key with a field number from 1 to 2^29 - 1', found);
    }
    this.field = this.#low >>> 3;
    this.wireType = this.#low & 7;
    return true;
  }

  /** An int64 field's value. */
  int64(name: string): number {
    this.#expectWireType(WireType.VARINT, name);
    return this.#int64Value(name);
  }

  /** An int32 or enum field's value: an int64 on the wire that must fit 32 bits. */
  int32(name: string): number {
    this.#expectWireType(WireType.VARINT, name);
    const offset = this.#position;
    const value = this.#int64Value(name);
    if (value < -(2 ** 31) || value >= 2 ** 31) this.fail(offset, name, 'an int32 value', String(value));
    return value;
  }

  /** A float field's value. */
  float(name: string): number {
    this.#expectWireType(WireType.I32, name);
    this.#need(4, name, 'a 4-byte float');
    const value = this.#view.getFloat32(this.#position, true);
    this.#position += 4;
    return value;
  }

  /** A string field's value; bytes that are not UTF-8 are an error. */
  string(name: string): string {
    this.#expectWireType(WireType.LEN, name);
    const length = this.#length(name);
    const offset = this.#position;
    this.#position += length;
    try {
      return this.#text.decode(this.#bytes.subarray(offset, offset + length));
    } catch {
      return this.fail(offset, name, 'UTF-8 text', `${length} bytes that are not valid UTF-8`);
    }
  }

  /** A bytes field's value, copied (the result never shares memory with the input). */
  bytes(name: string): Uint8Array {
    this.#expectWireType(WireType.LEN, name);
    const length = this.#length(name);
    const value = new Uint8Array(this.#bytes.subarray(this.#position, this.#position + length));
    this.#position += length;
    return value;
  }

  /** A nested message: `read` sees only its bytes, and error paths name it `name`. */
  message<T>(name: string, read: () => T): T {
    this.#expectWireType(WireType.LEN, name);
    if (this.#path.length >= this.limits.maxDepth) {
      this.fail(this.#keyOffset, name, `messages nested at most ${this.limits.maxDepth} deep (the maxDepth limit)`, 'a deeper one');
    }
    const length = this.#length(name);
    const outer = { start: this.#start, end: this.#end };
    this.#start = this.#position;
    this.#end = this.#position + length;
    this.#path.push(name);
    const value = read();
    this.#path.pop();
    this.#start = outer.start;
    this.#end = outer.end;
    return value;
  }

  /** One value, or a packed run of values, of a repeated int64 (or int32) field, appended to `into`. */
  repeatedInt64(name: string, into: number[]): void {
    if (this.wireType !== WireType.LEN) {
      this.#expectWireType(WireType.VARINT, name);
      this.#countOne(name, into);
      into.push(this.#int64Value(`${name}[${into.length}]`));
      return;
    }
    const length = this.#length(name);
    const outerEnd = this.#end;
    this.#end = this.#position + length;
    while (this.#position < this.#end) {
      this.#countOne(name, into);
      into.push(this.#int64Value(`${name}[${into.length}]`));
    }
    this.#end = outerEnd;
  }

  /** One value, or a packed run of values, of a repeated float field, appended to `into`. */
  repeatedFloat(name: string, into: number[]): void {
    this.#repeatedFixed(name, into, 4);
  }

  /** One value, or a packed run of values, of a repeated double field, appended to `into`. */
  repeatedDouble(name: string, into: number[]): void {
    this.#repeatedFixed(name, into, 8);
  }

  /** Passes over the value of a field the decoder does not use, whatever its wire type. */
  skip(): void {
    const name = `field ${this.field}`;
    switch (this.wireType) {
      case WireType.VARINT:
        this.#varint(name, 'a varint');
        return;
      case WireType.I64:
        this.#need(8, name, 'an 8-byte value');
        this.#position += 8;
        return;
      case WireType.LEN: {
        const length = this.#length(name); // read first: it moves the position past the length
        this.#position += length;
        return;
      }
      case WireType.I32:
        this.#need(4, name, 'a 4-byte value');
        this.#position += 4;
        return;
      default:
        this.fail(this.#keyOffset, name, 'wire type 0, 1, 2 or 5 (ONNX uses no groups)', `wire type ${describeWireType(this.wireType)}`);
    }
  }

  /** Refuses a message that lacks a field onnx.proto says every such message has. */
  missing(name: string, fieldNumber: number, message: string): never {
    return this.fail(
      this.#start,
      name,
      `field ${fieldNumber} (${name}), which every ${message} must have`,
      `no such field in the message's ${this.#end - this.#start} bytes`,
    );
  }

  /** Throws an OnnxFormatError at `offset`; `name` is the field (undefined: the message itself). */
  fail(offset: number, name: string | undefined, expected: string, found: string, hint?: string): never {
    const parts = name === undefined ? this.#path : [...this.#path, name];
    throw new OnnxFormatError(this.file, offset, parts.length === 0 ? '(model)' : parts.join('.'), expected, found, hint);
  }

  /** Where the value of the current field starts (for checks made after reading it). */
  get position(): number {
    return this.#position;
  }

  #repeatedFixed(name: string, into: number[], size: 4 | 8): void {
    const read = size === 4 ? (at: number) => this.#view.getFloat32(at, true) : (at: number) => this.#view.getFloat64(at, true);
    if (this.wireType !== WireType.LEN) {
      this.#expectWireType(size === 4 ? WireType.I32 : WireType.I64, name);
      this.#countOne(name, into);
      this.#need(size, name, `a ${size}-byte value`);
      into.push(read(this.#position));
      this.#position += size;
      return;
    }
    const offset = this.#position;
    const length = this.#length(name);
    if (length % size !== 0) this.fail(offset, name, `a packed length that is a multiple of ${size}`, `${length} bytes`);
    const count = length / size;
    if (into.length + count > this.limits.maxElements) {
      this.fail(offset, name, `at most ${this.limits.maxElements} values (the maxTensorElements limit)`, `${into.length + count}`);
    }
    for (let at = this.#position; at < this.#position + length; at += size) into.push(read(at));
    this.#position += length;
  }

  #countOne(name: string, into: readonly number[]): void {
    if (into.length >= this.limits.maxElements) {
      this.fail(this.#position, name, `at most ${this.limits.maxElements} values (the maxTensorElements limit)`, 'more');
    }
  }

  #expectWireType(expected: number, name: string): void {
    if (this.wireType === expected) return;
    this.fail(
      this.#keyOffset,
      name,
      `wire type ${describeWireType(expected)} for field ${this.field}`,
      `wire type ${describeWireType(this.wireType)}`,
      'The file does not follow the ONNX schema (onnx.proto) or is damaged.',
    );
  }

  /** A varint as a signed 64-bit integer, refused unless it is a safe JavaScript integer. */
  #int64Value(name: string): number {
    const offset = this.#position;
    this.#varint(name, 'a varint');
    const low = this.#low;
    const high = this.#high;
    if (high < 0x80000000) {
      if (high < 0x200000) return high * 2 ** 32 + low;
    } else {
      // Negative: the magnitude is the two's complement, ~value + 1.
      const magnitudeHigh = ~high >>> 0;
      const magnitude = magnitudeHigh * 2 ** 32 + (~low >>> 0) + 1;
      if (magnitudeHigh < 0x200000 && magnitude <= Number.MAX_SAFE_INTEGER) return -magnitude;
    }
    const unsigned = (BigInt(high) << 32n) | BigInt(low);
    return this.fail(offset, name, 'an integer within +-(2^53 - 1)', String(BigInt.asIntN(64, unsigned)));
  }

  /** A length prefix, checked against the bytes left in the current message. */
  #length(name: string): number {
    const offset = this.#position;
    this.#varint(name, 'a length');
    const left = this.#end - this.#position;
    if (this.#high !== 0 || this.#low > left) {
      const claimed = this.#high * 2 ** 32 + this.#low;
      this.fail(offset, name, `a length of at most ${left} bytes (what is left of ${this.#scope()})`, `${claimed}`);
    }
    return this.#low;
  }

  /** Reads a varint into #low/#high: 7 bits per byte, low bits first, at most 10 bytes (64 bits). */
  #varint(name: string | undefined, what: string): void {
    const offset = this.#position;
    let low = 0;
    let high = 0;
    for (let index = 0; index < 10; index++) {
      if (this.#position >= this.#end) {
        this.fail(offset, name, what, `the end of ${this.#scope()} after ${index} byte(s) of it`);
      }
      const byte = this.#bytes[this.#position++]!;
      const bits = byte & 0x7f;
      if (index < 4) low |= bits << (7 * index);
      else if (index === 4) {
        low |= bits << 28; // the low 4 bits land in bits 28..31; the rest start the high half
        high = bits >>> 4;
      } else high |= bits << (7 * index - 32);
      if (byte < 0x80) {
        if (index === 9 && byte > 1) this.fail(offset, name, `${what} of at most 64 bits`, 'a 10th byte with more than one bit');
        this.#low = low >>> 0;
        this.#high = high >>> 0;
        return;
      }
    }
    this.fail(offset, name, `${what} of at most 10 bytes`, 'a longer one');
  }

  #need(size: number, name: string, what: string): void {
    const left = this.#end - this.#position;
    if (left < size) this.fail(this.#position, name, what, `${left} byte(s) left in ${this.#scope()}`);
  }

  /** The message being read, as errors name it. */
  #scope(): string {
    return this.#path.length === 0 ? 'the file' : this.#path.join('.');
  }
}
