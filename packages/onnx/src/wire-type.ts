/**
 * Protobuf wire types: the low 3 bits of every field key say how the value that follows is
 * framed. ONNX uses these four; 3 and 4 (groups) are deprecated and 6 and 7 are undefined.
 */
export const WireType = {
  /** int32, int64, enum, bool: a varint. */
  VARINT: 0,
  /** double: 8 bytes, little-endian. */
  I64: 1,
  /** string, bytes, nested messages, packed repeated numbers: a varint length, then that many bytes. */
  LEN: 2,
  /** float: 4 bytes, little-endian. */
  I32: 5,
} as const;

/** How errors name a wire type: `2 (length-delimited)`. */
export function describeWireType(wireType: number): string {
  switch (wireType) {
    case WireType.VARINT:
      return '0 (varint)';
    case WireType.I64:
      return '1 (64-bit)';
    case WireType.LEN:
      return '2 (length-delimited)';
    case 3:
      return '3 (start group, deprecated)';
    case 4:
      return '4 (end group, deprecated)';
    case WireType.I32:
      return '5 (32-bit)';
    default:
      return `${wireType} (undefined)`;
  }
}
